package io.makegood.incident;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpecHashTest {

	@Test
	void isTheHexSha256OfTheUtf8Text() {
		assertThat(SpecHash.sha256("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
		assertThat(SpecHash.sha256("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void changesWithAnyEdit() {
		assertThat(SpecHash.sha256("percent: 3\n")).isNotEqualTo(SpecHash.sha256("percent: 3 \n"))
			.hasSize(64)
			.matches("[0-9a-f]{64}");
	}

}
