package io.makegood.incident;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecDiffTest {

	@Test
	void reportsChangedValuesByPath() {
		String before = SpecText.valid().yaml();
		String after = SpecText.valid()
			.with("compensation", "compensation:\n  kind: percent-of-fee\n  percent: 5\n")
			.with("message", "message:\n  template: outage-v2\n  from: \"Example Streaming <care@example.com>\"\n")
			.yaml();

		assertThat(SpecDiff.changes(before, after)).containsExactly("compensation.percent: 3 -> 5",
				"message.template: streaming-outage -> outage-v2");
	}

	@Test
	void reportsAddedAndRemovedFields() {
		String before = SpecText.valid().yaml();
		String after = SpecText.valid()
			.without("delivery")
			.with("compensation", "compensation:\n  kind: percent-of-fee\n  percent: 3\n  expires: P7D\n")
			.yaml();

		assertThat(SpecDiff.changes(before, after)).containsExactly("delivery.rate: removed 50/s",
				"compensation.expires: added P7D");
	}

	@Test
	void ignoresFormattingCommentsQuotingAndOrder() {
		String before = "id: a\ntitle: T\ncompensation:\n  kind: fixed\n  amounts: { USD: 5.00 }\n";
		String after = "# edited\ncompensation:\n  amounts:\n    USD: \"5.00\"\n  kind: 'fixed'\ntitle: T\nid: a\n";

		assertThat(SpecDiff.changes(before, after)).isEmpty();
	}

	@Test
	void reportsASectionReplacedByAValue() {
		assertThat(SpecDiff.changes("compensation:\n  kind: none\n", "compensation:\n"))
			.containsExactly("compensation.kind: removed none", "compensation: added null");
	}

	@Test
	void shortensLongValuesToOneLine() {
		String before = "audience:\n  query: |\n    select *\n    from accounts\n";
		String after = "audience:\n  query: |\n    select *\n    from accounts\n    where " + "x = 1 and ".repeat(20)
				+ "true\n";

		assertThat(SpecDiff.changes(before, after)).singleElement().satisfies((line) -> {
			assertThat(line).startsWith("audience.query: select * from accounts -> select * from accounts where x")
				.endsWith("...")
				.doesNotContain("\n");
		});
	}

	@Test
	void saysWhenOnlyWhiteSpaceChanged() {
		assertThat(SpecDiff.changes("audience:\n  query: select 1\n", "audience:\n  query: |\n    select   1\n"))
			.containsExactly("audience.query: changed (white space only)");
	}

	@Test
	void refusesUnsafeOrMalformedTexts() {
		assertThatThrownBy(() -> SpecDiff.changes("id: a\n", "id: a\nid: b\n")).isInstanceOf(InvalidSpecException.class)
			.hasMessage("id: new spec duplicate key");
		assertThatThrownBy(() -> SpecDiff.changes("", "id: a\n")).isInstanceOf(InvalidSpecException.class)
			.hasMessageStartingWith("(document): old spec is empty");
	}

}
