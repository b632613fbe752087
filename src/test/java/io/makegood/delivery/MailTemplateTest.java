package io.makegood.delivery;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MailTemplateTest {

	@Test
	void collapsesControlRunsOfASubjectAsTheRegexDoes() {
		Pattern controlRuns = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]+");
		String[] samples = { "We're sorry", "  padded  ", "a\r\nBcc: x@example.org", "tab\there", "nul\u0000",
				"del\u007F", "nel\u0085x", "ls\u2028ps\u2029", "\u00A0nbsp\u00A0", "é€𝄞", "\u001F\u0020\u0021", "",
				"a\r\n\r\nb\n", "\n\nx", "x\u0000\u2028\u0001y" };
		for (String sample : samples) {
			assertThat(MailTemplate.singleLine(sample)).as(sample)
				.isEqualTo(controlRuns.matcher(sample).replaceAll(" ").strip());
		}
	}

}
