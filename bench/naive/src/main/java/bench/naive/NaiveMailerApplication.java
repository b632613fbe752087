package bench.naive;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The benchmark's naive baseline: what a team would write first with plain Spring Batch. One thread, a JDBC
 * cursor over the affected accounts, one MimeMessage per account built with MimeMessageHelper, and
 * MimeMessageItemWriter sending each chunk through JavaMailSenderImpl. No outbox, no credits, no dedup.
 */
@SpringBootApplication
public class NaiveMailerApplication {

	public static void main(String[] args) {
		System.exit(SpringApplication.exit(SpringApplication.run(NaiveMailerApplication.class, args)));
	}

}
