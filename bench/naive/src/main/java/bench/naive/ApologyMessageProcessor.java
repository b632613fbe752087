package bench.naive;

import java.math.BigDecimal;
import java.math.RoundingMode;

import jakarta.mail.internet.MimeMessage;

import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/** The same apology makegood sends for jobs/examples/streaming-outage.yml: 3% of the fee, text and HTML. */
class ApologyMessageProcessor implements ItemProcessor<Account, MimeMessage> {

	private static final BigDecimal PERCENT = new BigDecimal("0.03");

	private final JavaMailSender sender;

	ApologyMessageProcessor(JavaMailSender sender) {
		this.sender = sender;
	}

	@Override
	public MimeMessage process(Account account) throws Exception {
		String credit = account.monthlyFee().multiply(PERCENT).setScale(2, RoundingMode.HALF_EVEN) + " "
				+ account.currency();
		MimeMessage message = sender.createMimeMessage();
		MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
		helper.setFrom("care@example.com", "Example Streaming");
		helper.setTo(account.email());
		helper.setSubject("We're sorry");
		helper.setText(text(account, credit), html(account, credit));
		return message;
	}

	private static String text(Account account, String credit) {
		return """
				Hi %s,

				Recently you may have had trouble watching because of a technical problem on our end, between \
				28 November 2026 18:05 UTC and 28 November 2026 23:40 UTC. We are sorry for the inconvenience this caused.

				We have added a credit of %s to your account %s. You don't need to do anything: it will be applied \
				automatically to your next bill.

				Again, we apologize and thank you for your understanding. If you need further assistance, please call \
				us at 1-866-000-0000.

				The Customer Care Team
				""".formatted(account.firstName(), credit, account.accountId());
	}

	private static String html(Account account, String credit) {
		return """
				<!DOCTYPE html>
				<html>
				<body style="font-family: Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.5; color: #222;">
				<p>Hi %s,</p>
				<p>Recently you may have had trouble watching because of a technical problem on our end, between \
				28 November 2026 18:05 UTC and 28 November 2026 23:40 UTC. We are sorry for the inconvenience this caused.</p>
				<p>We have added a credit of <strong>%s</strong> to your account %s. You don't need to do anything: \
				it will be applied automatically to your next bill.</p>
				<p>Again, we apologize and thank you for your understanding. If you need further assistance, please \
				call us at <a href="tel:1-866-000-0000">1-866-000-0000</a>.</p>
				<p>The Customer Care Team</p>
				</body>
				</html>
				""".formatted(escape(account.firstName()), credit, escape(account.accountId()));
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
