package bench.naive;

import java.math.BigDecimal;

public record Account(String accountId, String email, String name, String plan, String currency,
		BigDecimal monthlyFee, String locale) {

	String firstName() {
		int space = name.indexOf(' ');
		return space < 0 ? name : name.substring(0, space);
	}

}
