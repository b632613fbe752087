package io.makegood.credit.claim;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimTokensTest {

	@Test
	void tokensCarry256RandomBitsInUrlSafeText() {
		ClaimTokens tokens = new ClaimTokens();
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String token = tokens.newToken();
			assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
			assertThat(ClaimTokens.isWellFormed(token)).isTrue();
			assertThat(seen.add(token)).isTrue();
		}
		assertThat(ClaimTokens.TOKEN_BYTES * 8).isGreaterThanOrEqualTo(128);
	}

	@Test
	void onlyTheHashIsKeptAndItIsStable() {
		String token = new ClaimTokens().newToken();
		assertThat(ClaimTokens.hash(token)).hasSize(64).isEqualTo(ClaimTokens.hash(token)).doesNotContain(token);
		assertThat(ClaimTokens.hash("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void anythingElseIsNotAToken() {
		assertThat(ClaimTokens.isWellFormed(null)).isFalse();
		assertThat(ClaimTokens.isWellFormed("short")).isFalse();
		assertThat(ClaimTokens.isWellFormed("A".repeat(42) + "/")).isFalse();
		assertThat(ClaimTokens.isWellFormed("A".repeat(44))).isFalse();
	}

}
