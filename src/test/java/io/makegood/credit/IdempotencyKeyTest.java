package io.makegood.credit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The header form of a credit's key, as docs/claims.md documents it for billing. */
class IdempotencyKeyTest {

	@Test
	void printableAsciiOtherThanPercentIsSentAsItAlwaysWas() {
		assertThat(IdempotencyKey.header(IdempotencyKey.of("outage-1", "B1"))).isEqualTo("outage-1/B1");
		assertThat(IdempotencyKey.header("outage-1/a+b@x y/z~\"q\"")).isEqualTo("outage-1/a+b@x y/z~\"q\"");
	}

	@Test
	void percentAndEveryByteBeyondAsciiAreEncodedOverUtf8() {
		assertThat(IdempotencyKey.header("outage-1/50%")).isEqualTo("outage-1/50%25");
		assertThat(IdempotencyKey.header("outage-1/Zoé")).isEqualTo("outage-1/Zo%C3%A9");
		assertThat(IdempotencyKey.header("outage-1/用户2")).isEqualTo("outage-1/%E7%94%A8%E6%88%B72");
		assertThat(IdempotencyKey.header("outage-1/\u007f\t")).isEqualTo("outage-1/%7F%09");
	}

}
