package io.makegood.delivery;

import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderTextTest {

	@Test
	void leavesShortAsciiAlone() {
		assertThat(HeaderText.unstructured("We're sorry", 9)).isEqualTo("We're sorry");
	}

	@Test
	void foldsLongAsciiAtSpaces() throws Exception {
		String subject = "word ".repeat(40).strip();

		String folded = HeaderText.unstructured(subject, 9);

		assertLinesFit("Subject: " + folded);
		assertThat(MimeUtility.unfold(folded)).isEqualTo(subject);
	}

	@Test
	void encodesNonAsciiWithoutSplittingCharacters() throws Exception {
		for (String subject : new String[] { "Désolé — 3 % de crédit", "€".repeat(80), "𝄞 Grüße ".repeat(20),
				"x".repeat(200), "looks =?UTF-8?Q?encoded?= but is not" }) {
			String encoded = HeaderText.unstructured(subject, 9);

			assertThat(HeaderText.isPrintableAscii(encoded.replace("\r\n", ""))).isTrue();
			assertLinesFit("Subject: " + encoded);
			assertThat(MimeUtility.decodeText(MimeUtility.unfold(encoded))).isEqualTo(subject);
		}
	}

	@Test
	void quotesOrEncodesDisplayNames() {
		assertThat(HeaderText.mailbox("Ann Lee", "ann@example.org", 4)).isEqualTo("Ann Lee <ann@example.org>");
		assertThat(HeaderText.mailbox("Lee, Ann \"A\"", "ann@example.org", 4))
			.isEqualTo("\"Lee, Ann \\\"A\\\"\" <ann@example.org>");
		assertThat(HeaderText.mailbox("Zoë", "z@example.org", 4)).isEqualTo("=?UTF-8?B?Wm/Dqw==?= <z@example.org>");
		assertThat(HeaderText.mailbox(null, "z@example.org", 4)).isEqualTo("z@example.org");
	}

	private static void assertLinesFit(String header) {
		for (String line : header.split("\r\n")) {
			assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
		}
	}

}
