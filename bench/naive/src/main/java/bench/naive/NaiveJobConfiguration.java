package bench.naive;

import javax.sql.DataSource;

import jakarta.mail.internet.MimeMessage;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcCursorItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.batch.infrastructure.item.mail.javamail.MimeMessageItemWriter;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
class NaiveJobConfiguration {

	/** Same audience as the makegood bench spec: accounts that failed to play in the outage window. */
	static final String AFFECTED_ACCOUNTS = """
			select a.account_id, a.email, a.name, a.plan, a.currency, a.monthly_fee, a.locale
			from accounts a
			where exists (
			  select 1 from playback_failures f
			  where f.account_id = a.account_id
			    and f.attempted_at between timestamp '2026-11-28 18:05:00' and timestamp '2026-11-28 23:40:00')
			order by a.account_id""";

	static final int CHUNK_SIZE = 100;

	/** Job repository in memory; Spring Boot creates the Batch schema in it because it is embedded. */
	@Bean
	@Primary
	DataSource jobRepositoryDataSource() {
		return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.HSQL).generateUniqueName(true).build();
	}

	@Bean(defaultCandidate = false)
	DataSource accountsDataSource(Environment env) {
		return DataSourceBuilder.create()
			.url(env.getRequiredProperty("bench.accounts.url"))
			.username(env.getProperty("bench.accounts.username"))
			.password(env.getProperty("bench.accounts.password", ""))
			.build();
	}

	@Bean
	JdbcCursorItemReader<Account> accountReader(@Qualifier("accountsDataSource") DataSource accounts) {
		// autocommit off, or the PostgreSQL driver ignores the fetch size and loads the whole result in memory
		return new JdbcCursorItemReaderBuilder<Account>().name("accounts")
			.dataSource(accounts)
			.sql(AFFECTED_ACCOUNTS)
			.fetchSize(1000)
			.connectionAutoCommit(false)
			.rowMapper((rs, row) -> new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getString(5), rs.getBigDecimal(6), rs.getString(7)))
			.build();
	}

	@Bean
	Step sendStep(JobRepository jobRepository, PlatformTransactionManager tm, JdbcCursorItemReader<Account> reader,
			JavaMailSender mailSender) {
		return new StepBuilder("send", jobRepository).<Account, MimeMessage>chunk(CHUNK_SIZE)
			.transactionManager(tm)
			.reader(reader)
			.processor(new ApologyMessageProcessor(mailSender))
			.writer(new MimeMessageItemWriter(mailSender))
			.build();
	}

	@Bean
	Job naiveJob(JobRepository jobRepository, Step sendStep) {
		return new JobBuilder("naive", jobRepository).start(sendStep).build();
	}

}
