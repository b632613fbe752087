package io.makegood.incident;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.makegood.credit.ApplyMode;
import io.makegood.credit.CompensationKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped examples are what operators copy; they must always parse. */
class ExampleSpecsTest {

	private static final Path EXAMPLES = Path.of("jobs", "examples");

	private final IncidentSpecParser parser = new IncidentSpecParser();

	static List<Path> examples() throws IOException {
		try (Stream<Path> files = Files.list(EXAMPLES)) {
			return files.filter((file) -> file.toString().endsWith(".yml")).sorted().toList();
		}
	}

	@Test
	void thereAreExamples() throws IOException {
		assertThat(examples()).extracting((file) -> file.getFileName().toString())
			.contains("streaming-outage.yml", "wrong-audience-apology.yml");
	}

	@ParameterizedTest
	@MethodSource("examples")
	void everyExampleParses(Path file) {
		IncidentSpec spec = parser.parse(file);

		assertThat(spec.id()).isNotBlank();
	}

	@Test
	void streamingOutageCreditsThreePercentAutomatically() {
		IncidentSpec spec = parser.parse(EXAMPLES.resolve("streaming-outage.yml"));

		assertThat(spec.compensation().kind()).isEqualTo(CompensationKind.PERCENT_OF_FEE);
		assertThat(spec.compensation().percent()).isEqualByComparingTo("3");
		assertThat(spec.compensation().apply()).isEqualTo(ApplyMode.AUTOMATIC);
		assertThat(spec.audience().query()).contains("account_id", "email", "name", "plan", "currency",
				"monthly_fee", "locale", "playback_failures", ":windowStart", ":windowEnd");
		assertThat(spec.message().supportPhone()).isEqualTo("1-866-000-0000");
		assertThat(spec.delivery().rate()).isEqualTo(200.0);
	}

	@Test
	void streamingOutageQueryFindsEachAffectedAccountOnce() throws Exception {
		IncidentSpec spec = parser.parse(EXAMPLES.resolve("streaming-outage.yml"));
		// Wrapped the way the SQL source wraps it, with the window parameters bound positionally.
		String sql = "select q.* from (\n" + spec.audience().query().replace(":windowStart", "?")
			.replace(":windowEnd", "?") + "\n) q order by q.account_id";

		try (Connection db = DriverManager.getConnection("jdbc:hsqldb:mem:examples;shutdown=true", "SA", "")) {
			try (Statement ddl = db.createStatement()) {
				ddl.execute("create table accounts (account_id varchar(20) primary key, email varchar(320), "
						+ "name varchar(200), plan varchar(50), currency char(3), monthly_fee numeric(19,2), "
						+ "locale varchar(35))");
				ddl.execute("create table playback_failures (account_id varchar(20), attempted_at timestamp)");
				ddl.execute("insert into accounts values ('a1', 'a1@example.com', 'A', 'basic', 'USD', 9.99, 'en-US'),"
						+ " ('a2', 'a2@example.com', 'B', 'premium', 'EUR', 17.99, 'de-DE'),"
						+ " ('a3', 'a3@example.com', 'C', 'basic', 'USD', 9.99, 'en-US')");
				ddl.execute("insert into playback_failures values ('a1', timestamp '2026-11-28 18:10:00'),"
						+ " ('a1', timestamp '2026-11-28 19:00:00'), ('a2', timestamp '2026-11-28 23:00:00'),"
						+ " ('a3', timestamp '2026-11-28 12:00:00')");
			}
			try (PreparedStatement query = db.prepareStatement(sql)) {
				query.setTimestamp(1, Timestamp.valueOf(LocalDateTime.ofInstant(spec.window().start(), ZoneOffset.UTC)));
				query.setTimestamp(2, Timestamp.valueOf(LocalDateTime.ofInstant(spec.window().end(), ZoneOffset.UTC)));
				List<String> accounts = new ArrayList<>();
				try (ResultSet rows = query.executeQuery()) {
					while (rows.next()) {
						accounts.add(rows.getString("account_id") + " " + rows.getString("currency") + " "
								+ rows.getBigDecimal("monthly_fee") + " " + rows.getString("locale"));
					}
				}
				assertThat(accounts).containsExactly("a1 USD 9.99 en-US", "a2 EUR 17.99 de-DE");
			}
		}
	}

	@Test
	void wrongAudienceApologyGivesAComplimentaryRentalFromACsv() throws IOException {
		IncidentSpec spec = parser.parse(EXAMPLES.resolve("wrong-audience-apology.yml"));

		assertThat(spec.audience().file()).isRegularFile();
		assertThat(Files.readAllLines(spec.audience().file()).get(0))
			.isEqualTo("account_id,email,name,plan,currency,monthly_fee,locale");
		assertThat(spec.compensation().kind()).isEqualTo(CompensationKind.COMPLIMENTARY);
		assertThat(spec.compensation().item()).isEqualTo("one complimentary movie rental");
		assertThat(spec.compensation().expires()).hasDays(7);
		assertThat(spec.message().template()).isEqualTo("complimentary-rental");
	}

}
