package io.makegood.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageIdsTest {

	@Test
	void sameInputsGiveTheSameId() {
		String id = MessageIds.of("outage-2026-11-28", "A-1", "mail.example.com");

		assertThat(id).isEqualTo(MessageIds.of("outage-2026-11-28", "A-1", "mail.example.com"))
			.matches("<[0-9a-f]{32}\\.outage-2026-11-28@mail\\.example\\.com>");
		assertThat(MessageIds.of("outage-2026-11-28", "A-2", "mail.example.com")).isNotEqualTo(id);
		assertThat(MessageIds.of("outage-2026-11-29", "A-1", "mail.example.com")).isNotEqualTo(id);
	}

	@Test
	void keepsTheIdValidWhateverTheIncidentIsCalled() {
		assertThat(MessageIds.of("Panne du 28/11 <été>", "A-1", "example.com"))
			.matches("<[0-9a-f]{32}\\.[A-Za-z0-9_-]+@example\\.com>");
		assertThatThrownBy(() -> MessageIds.of("i", "a", "bad domain>")).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void findsTheDomainOfAMailbox() {
		assertThat(MessageIds.domainOf("Example Streaming <care@example.com>")).isEqualTo("example.com");
		assertThat(MessageIds.domainOf("care@example.com")).isEqualTo("example.com");
	}

}
