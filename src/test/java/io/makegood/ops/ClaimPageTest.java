package io.makegood.ops;

import java.math.BigDecimal;
import java.time.Instant;

import io.makegood.credit.CompensationKind;
import io.makegood.credit.Credit;
import io.makegood.credit.CreditStatus;
import io.makegood.credit.Money;
import io.makegood.credit.claim.ClaimService.ClaimView;
import io.makegood.credit.claim.ClaimService.State;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimPageTest {

	static final Instant EXPIRES = Instant.parse("2026-12-08T09:00:00Z");

	static final Credit CREDIT = new Credit(CompensationKind.PERCENT_OF_FEE, Money.of(new BigDecimal("0.45"), "USD"),
			null, CreditStatus.CLAIMABLE, EXPIRES);

	@Test
	void eachStateHasItsStatusAndWords() {
		assertThat(page(State.CLAIMABLE, null, false)).satisfies(p -> {
			assertThat(p.status()).isEqualTo(200);
			assertThat(p.form()).isTrue();
			assertThat(p.message()).contains("a credit of $0.45 on your next bill", "account A1");
			assertThat(p.detail()).isEqualTo("Apply it by December 8, 2026, 09:00 UTC.");
		});
		assertThat(page(State.CLAIMED, Instant.parse("2026-12-02T10:00:00Z"), true).heading())
			.isEqualTo("Done: your credit is applied");
		assertThat(page(State.CLAIMED, Instant.parse("2026-12-02T10:00:00Z"), false).message())
			.isEqualTo("This credit was already applied on December 2, 2026. There is nothing more to do.");
		assertThat(page(State.EXPIRED, null, false)).satisfies(p -> {
			assertThat(p.status()).isEqualTo(410);
			assertThat(p.form()).isFalse();
			assertThat(p.message()).contains("ended on December 8, 2026, 09:00 UTC");
		});
		assertThat(page(State.REVOKED, null, false).status()).isEqualTo(410);
		assertThat(ClaimPage.of(new ClaimView(State.UNKNOWN, null, null, null, null, null, null), false).status())
			.isEqualTo(404);
	}

	@Test
	void complimentaryItemsAreNamed() {
		Credit rental = new Credit(CompensationKind.COMPLIMENTARY, null, "one movie rental", CreditStatus.CLAIMABLE,
				null);
		ClaimPage page = ClaimPage.of(new ClaimView(State.CLAIMABLE, "i", "Outage", "A1", rental, "en-GB", null), false);
		assertThat(page.message()).endsWith("give account A1 one movie rental.");
		assertThat(page.detail()).isEmpty();
	}

	@Test
	void modelHasEveryKeyTheTemplateReads() {
		assertThat(page(State.REVOKED, null, false).model("/claim/x", "_csrf", "")).containsKeys("title", "heading",
				"message", "detail", "hasDetail", "form", "success", "action", "csrfName", "csrfValue");
	}

	@Test
	void attemptsAreLimitedPerClientAddress() {
		ClaimAttemptLimiter limiter = new ClaimAttemptLimiter(3, 2);
		for (int i = 0; i < 3; i++) {
			assertThat(limiter.tryAttempt("10.0.0.1")).isTrue();
		}
		assertThat(limiter.tryAttempt("10.0.0.1")).isFalse();
		assertThat(limiter.tryAttempt("10.0.0.2")).as("another address has its own budget").isTrue();
	}

	private static ClaimPage page(State state, Instant claimedAt, boolean appliedNow) {
		return ClaimPage.of(new ClaimView(state, "outage", "Streaming unavailable", "A1", CREDIT, "en-US", claimedAt),
				appliedNow);
	}

}
