package io.makegood.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionBudgetTest {

	@Test
	void aPoolWithRoomForEveryLaneAndTheReservePasses() {
		assertThatCode(() -> ConnectionBudget.check(4, 10)).doesNotThrowAnyException();
		assertThatCode(() -> ConnectionBudget.check(8, 20)).doesNotThrowAnyException();
	}

	@Test
	void aSmallerPoolIsRefusedNamingBothSettings() {
		assertThatThrownBy(() -> ConnectionBudget.check(8, 10)).isInstanceOf(IllegalStateException.class)
			.hasMessage("makegood.delivery.connections=8 needs spring.datasource.hikari.maximum-pool-size of at least"
					+ " 14, but it is 10: each sending connection holds a database connection for the whole send");
	}

}
