package io.makegood.audience;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class EmailKeyTest {

	@Test
	void trimsAndLowerCasesLocalPartAndDomain() {
		assertThat(EmailKey.of("  Ann.Lee@Example.COM \t")).isEqualTo("ann.lee@example.com");
	}

	@Test
	void keepsDotsAndPlusTags() {
		assertThat(EmailKey.of("Ann.Lee+Promo@gmail.com")).isEqualTo("ann.lee+promo@gmail.com");
	}

	@Test
	void lowerCasesWithoutLocaleSurprises() {
		// Locale-sensitive lower-casing would turn I into a dotless ı under a Turkish default locale
		assertThat(EmailKey.of("INFO@EXAMPLE.COM")).isEqualTo("info@example.com");
	}

	@Test
	void sameMailboxSameKey() {
		assertThat(EmailKey.of("ANN@example.com")).isEqualTo(EmailKey.of("ann@EXAMPLE.com "));
	}

	@Test
	void refusesNull() {
		assertThatNullPointerException().isThrownBy(() -> EmailKey.of(null));
	}

}
