package io.makegood.audience;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.makegood.incident.IncidentSpec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.hsqldb.jdbc.JDBCDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Runs against real databases: an in-memory HSQLDB and an embedded PostgreSQL. */
class SqlAudienceSourceTest {

	private static final Instant WINDOW_START = Instant.parse("2025-03-01T18:00:00Z");

	private static final Instant WINDOW_END = Instant.parse("2025-03-01T22:00:00Z");

	private static final Map<String, Object> WINDOW = SqlAudienceSource
		.windowParameters(new IncidentSpec.Window(WINDOW_START, WINDOW_END));

	private static final String AFFECTED = """
			select c.id as account_id, c.email, c.full_name as name, c.plan, c.currency, c.monthly_fee, c.locale,
			       c.region, c.signup_channel
			from customer c
			where exists (select 1 from outage_event e
			              where e.customer_id = c.id and e.occurred_at >= :windowStart and e.occurred_at < :windowEnd)
			""";

	private static EmbeddedPostgres postgres;

	@BeforeAll
	static void startPostgres() throws IOException {
		postgres = EmbeddedPostgres.start();
	}

	@AfterAll
	static void stopPostgres() throws IOException {
		if (postgres != null) {
			postgres.close();
		}
	}

	static Stream<Named<DataSource>> databases() {
		JDBCDataSource hsqldb = new JDBCDataSource();
		hsqldb.setUrl("jdbc:hsqldb:mem:audience-" + UUID.randomUUID());
		hsqldb.setUser("SA");
		hsqldb.setPassword("");
		return Stream.of(Named.of("hsqldb", hsqldb), Named.of("postgresql", postgres.getPostgresDatabase()));
	}

	@ParameterizedTest
	@MethodSource("databases")
	void readsEveryRowOnceInKeyOrderAcrossPages(DataSource db) {
		JdbcTemplate jdbc = schema(db);
		insertCustomers(jdbc, 2_500, WINDOW_START.plusSeconds(60));
		// outside the window, must not be read
		insertCustomer(jdbc, "B0001", "early@example.com", WINDOW_START.minusSeconds(1));
		insertCustomer(jdbc, "B0002", "late@example.com", WINDOW_END);

		List<Read> rows = readAll(new SqlAudienceSource(db, AFFECTED, WINDOW, 1000));

		assertThat(rows).hasSize(2_500);
		assertThat(rows).extracting(Read::rowNo).containsExactlyElementsOf(rowNumbers(2_500));
		assertThat(rows).extracting(read -> read.row().row().accountId()).containsExactlyElementsOf(accountIds(2_500));
		AudienceRow first = rows.get(0).row().row();
		assertThat(first).isEqualTo(new AudienceRow("C00001", "user1@example.com", "User 1", "Premium", "EUR",
				new BigDecimal("12.99"), "en-GB", Map.of("region", "EU", "signup_channel", "")));
		assertThat(rows).allSatisfy(read -> assertThat(new AudienceRules().check(read.row())).isEmpty());
	}

	@Test
	void onPostgresqlTheWholeReadIsOneStatementThatSeesOneSnapshotOfTheSource() {
		DataSource db = postgres.getPostgresDatabase();
		JdbcTemplate jdbc = schema(db);
		insertCustomers(jdbc, 30, WINDOW_START);
		List<String> read = new ArrayList<>();

		new SqlAudienceSource(db, AFFECTED, WINDOW, 10).read((rowNo, row) -> {
			if (rowNo == 1) {
				try (Connection other = db.getConnection()) {
					insertOutsideTheRead(other);
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			}
			read.add(row.row().accountId());
		});

		assertThat(read).containsExactlyElementsOf(accountIds(30));
		assertThat(readAll(new SqlAudienceSource(db, AFFECTED, WINDOW, 10))).as("a later read sees the new account")
			.hasSize(31);
	}

	/** Committed on a connection of its own, with a key a later page would have read. */
	private static void insertOutsideTheRead(Connection connection) throws SQLException {
		try (PreparedStatement customer = connection
			.prepareStatement("insert into customer (id, email, plan) values ('C99999', 'new@example.com', 'Premium')");
				PreparedStatement event = connection
					.prepareStatement("insert into outage_event (customer_id, occurred_at) values ('C99999', ?)")) {
			customer.executeUpdate();
			event.setTimestamp(1, Timestamp.from(WINDOW_START));
			event.executeUpdate();
		}
	}

	@ParameterizedTest
	@MethodSource("databases")
	void exactPageMultipleEndsWithAnEmptyPage(DataSource db) {
		JdbcTemplate jdbc = schema(db);
		insertCustomers(jdbc, 30, WINDOW_START);
		assertThat(readAll(new SqlAudienceSource(db, AFFECTED, WINDOW, 10))).extracting(read -> read.row().row().accountId())
			.containsExactlyElementsOf(accountIds(30));
	}

	@ParameterizedTest
	@MethodSource("databases")
	void windowParameterWorksInAJoin(DataSource db) {
		JdbcTemplate jdbc = schema(db);
		insertCustomers(jdbc, 5, WINDOW_START.plusSeconds(3600));
		insertCustomer(jdbc, "B0001", "early@example.com", WINDOW_START.minusSeconds(3600));
		String query = """
				select distinct c.id as account_id, c.email, c.full_name as name, p.tier as plan_tier
				from customer c
				join outage_event e on e.customer_id = c.id
				join plan p on p.code = c.plan
				where e.occurred_at >= :windowStart and e.occurred_at < :windowEnd
				""";
		List<Read> rows = readAll(new SqlAudienceSource(db, query, WINDOW, 2));
		assertThat(rows).extracting(read -> read.row().row().accountId()).containsExactlyElementsOf(accountIds(5));
		assertThat(rows.get(0).row().row().attributes()).containsExactlyEntriesOf(Map.of("plan_tier", "gold"));
	}

	@ParameterizedTest
	@MethodSource("databases")
	void anySelectWorksAndExtraColumnsBecomeAttributes(DataSource db) {
		JdbcTemplate jdbc = schema(db);
		insertCustomers(jdbc, 3, WINDOW_START);
		String query = "SELECT c.id AS Account_Id, c.email AS EMAIL, c.region AS \"Region\", 'x' || c.plan AS promo_code, "
				+ "c.monthly_fee * 2 AS double_fee FROM customer c; ";
		List<Read> rows = readAll(new SqlAudienceSource(db, query, Map.of(), 100));
		assertThat(rows).hasSize(3);
		AudienceRow row = rows.get(0).row().row();
		assertThat(row.accountId()).isEqualTo("C00001");
		assertThat(row.email()).isEqualTo("user1@example.com");
		assertThat(row.monthlyFee()).isNull();
		assertThat(row.attributes()).containsOnlyKeys("region", "promo_code", "double_fee")
			.containsEntry("region", "EU")
			.containsEntry("promo_code", "xPremium");
		assertThat(new BigDecimal(row.attributes().get("double_fee"))).isEqualByComparingTo("25.98");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void queryMayEndWithACommentOrSemicolon(DataSource db) {
		JdbcTemplate jdbc = schema(db);
		insertCustomers(jdbc, 3, WINDOW_START);
		String query = "select id as account_id, email from customer -- affected customers\n;\n";
		assertThat(readAll(new SqlAudienceSource(db, query, Map.of(), 2))).hasSize(3);
	}

	@ParameterizedTest
	@MethodSource("databases")
	void numericAccountIdsAreReadOnceInStringOrder(DataSource db) {
		JdbcTemplate jdbc = new JdbcTemplate(db);
		jdbc.execute("drop table if exists numbered");
		jdbc.execute("create table numbered (id integer primary key, email varchar(100))");
		for (int i = 1; i <= 25; i++) {
			jdbc.update("insert into numbered (id, email) values (?, ?)", i, "u" + i + "@example.com");
		}
		List<Read> rows = readAll(
				new SqlAudienceSource(db, "select id as account_id, email from numbered", Map.of(), 4));
		List<String> expected = IntStream.rangeClosed(1, 25).mapToObj(String::valueOf).sorted().toList();
		assertThat(rows).extracting(read -> read.row().row().accountId()).containsExactlyElementsOf(expected);
	}

	@ParameterizedTest
	@MethodSource("databases")
	void repeatedAccountsAreAllDeliveredEvenAcrossPageBoundaries(DataSource db) {
		JdbcTemplate jdbc = schema(db);
		insertCustomers(jdbc, 6, WINDOW_START);
		// C00002 three times (it straddles the first page end at size 2), C00005 twice
		addEvent(jdbc, "C00002", WINDOW_START.plusSeconds(1));
		addEvent(jdbc, "C00002", WINDOW_START.plusSeconds(2));
		addEvent(jdbc, "C00005", WINDOW_START.plusSeconds(1));
		String query = "select c.id as account_id, c.email from customer c join outage_event e on e.customer_id = c.id";
		List<Read> rows = readAll(new SqlAudienceSource(db, query, Map.of(), 2));
		assertThat(rows).extracting(read -> read.row().row().accountId())
			.containsExactly("C00001", "C00002", "C00002", "C00002", "C00003", "C00004", "C00005", "C00005", "C00006");
		assertThat(rows).extracting(Read::rowNo).containsExactlyElementsOf(rowNumbers(9));
	}

	@ParameterizedTest
	@MethodSource("databases")
	void rowsWithoutAccountIdComeLastSoTheyAreReported(DataSource db) {
		JdbcTemplate jdbc = schema(db);
		insertCustomers(jdbc, 3, WINDOW_START);
		jdbc.update("insert into customer (id, email) values (?, ?)", "N1", "nobody@example.com");
		String query = "select case when id = 'N1' then null else id end as account_id, email from customer";
		List<Read> rows = readAll(new SqlAudienceSource(db, query, Map.of(), 2));
		assertThat(rows).extracting(read -> read.row().row().accountId())
			.containsExactly("C00001", "C00002", "C00003", null);
		assertThat(new AudienceRules().check(rows.get(3).row())).map(AudienceRules.Reject::reason)
			.contains("missing-account-id");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void unparseableFeeStreamsWithAProblem(DataSource db) {
		JdbcTemplate jdbc = schema(db);
		String query = "select id as account_id, email, 'twelve' as monthly_fee from customer";
		insertCustomers(jdbc, 1, WINDOW_START);
		List<Read> rows = readAll(new SqlAudienceSource(db, query, Map.of(), 10));
		assertThat(new AudienceRules().check(rows.get(0).row())).map(AudienceRules.Reject::reason).contains("invalid-fee");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void firstReturnsTheLowestAccount(DataSource db) {
		JdbcTemplate jdbc = schema(db);
		insertCustomers(jdbc, 3, WINDOW_START);
		assertThat(new SqlAudienceSource(db, AFFECTED, WINDOW, 1000).first()).map(AudienceRow::accountId)
			.contains("C00001");
		String none = "select id as account_id, email from customer where 1 = 0";
		assertThat(new SqlAudienceSource(db, none, Map.of(), 1000).first()).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("databases")
	void windowParametersWithoutAWindowFailClearly(DataSource db) {
		schema(db);
		Map<String, Object> noWindow = SqlAudienceSource.windowParameters(null);
		assertThat(noWindow).isEmpty();
		assertThatExceptionOfType(AudienceSourceException.class)
			.isThrownBy(() -> new SqlAudienceSource(db, AFFECTED, noWindow, 1000))
			.withMessageContaining("[:windowEnd, :windowStart]")
			.withMessageContaining("window");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void queryMustNotUseThePagingParameter(DataSource db) {
		assertThatExceptionOfType(AudienceSourceException.class)
			.isThrownBy(() -> new SqlAudienceSource(db, "select * from customer where id > :lastAccountId",
					Map.of(), 10))
			.withMessageContaining(":lastAccountId");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void brokenQueryFailsClearly(DataSource db) {
		schema(db);
		SqlAudienceSource source = new SqlAudienceSource(db, "select email from customer", Map.of(), 10);
		assertThatExceptionOfType(AudienceSourceException.class).isThrownBy(() -> readAll(source))
			.withMessageStartingWith("The audience query failed")
			.withMessageContaining("account_id");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void consumerExceptionsPassThroughUnchanged(DataSource db) {
		JdbcTemplate jdbc = schema(db);
		insertCustomers(jdbc, 3, WINDOW_START);
		String query = "select c.id as account_id, c.email from customer c join outage_event e on e.customer_id = c.id";
		addEvent(jdbc, "C00002", WINDOW_START);
		DuplicateKeyException failure = new DuplicateKeyException("already in the snapshot");
		SqlAudienceSource source = new SqlAudienceSource(db, query, Map.of(), 2);
		// C00002 repeats at the end of the first page, so it is read by the streaming path
		assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> source.read((rowNo, row) -> {
			if (rowNo == 2) {
				throw failure;
			}
		})).isSameAs(failure);
	}

	private static JdbcTemplate schema(DataSource db) {
		JdbcTemplate jdbc = new JdbcTemplate(db);
		jdbc.execute("drop table if exists outage_event");
		jdbc.execute("drop table if exists customer");
		jdbc.execute("drop table if exists plan");
		jdbc.execute("""
				create table customer (id varchar(20) primary key, email varchar(320), full_name varchar(200),
				  plan varchar(50), currency char(3), monthly_fee numeric(10,2), locale varchar(35),
				  region varchar(20), signup_channel varchar(20))""");
		jdbc.execute("create table outage_event (customer_id varchar(20) not null, occurred_at timestamp not null)");
		jdbc.execute("create table plan (code varchar(50) primary key, tier varchar(20))");
		jdbc.update("insert into plan (code, tier) values ('Premium', 'gold')");
		return jdbc;
	}

	private static void insertCustomers(JdbcTemplate jdbc, int count, Instant eventAt) {
		List<Object[]> customers = new ArrayList<>();
		List<Object[]> events = new ArrayList<>();
		// inserted in reverse so the source's order cannot come from insertion order
		for (int i = count; i >= 1; i--) {
			String id = accountId(i);
			customers.add(new Object[] { id, "user" + i + "@example.com", "User " + i, "Premium", "EUR",
					new BigDecimal("12.99"), "en-GB", "EU" });
			events.add(new Object[] { id, Timestamp.from(eventAt) });
		}
		jdbc.batchUpdate("insert into customer (id, email, full_name, plan, currency, monthly_fee, locale, region) "
				+ "values (?, ?, ?, ?, ?, ?, ?, ?)", customers);
		jdbc.batchUpdate("insert into outage_event (customer_id, occurred_at) values (?, ?)", events);
	}

	private static void insertCustomer(JdbcTemplate jdbc, String id, String email, Instant eventAt) {
		jdbc.update("insert into customer (id, email, plan) values (?, ?, 'Premium')", id, email);
		addEvent(jdbc, id, eventAt);
	}

	private static void addEvent(JdbcTemplate jdbc, String id, Instant at) {
		jdbc.update("insert into outage_event (customer_id, occurred_at) values (?, ?)", id, Timestamp.from(at));
	}

	private static String accountId(int i) {
		return "C%05d".formatted(i);
	}

	private static List<String> accountIds(int count) {
		return IntStream.rangeClosed(1, count).mapToObj(SqlAudienceSourceTest::accountId).toList();
	}

	private static List<Long> rowNumbers(int count) {
		return IntStream.rangeClosed(1, count).mapToObj(i -> (long) i).toList();
	}

	private static List<Read> readAll(AudienceSource source) {
		List<Read> rows = new ArrayList<>();
		source.read((rowNo, row) -> rows.add(new Read(rowNo, row)));
		return rows;
	}

	private record Read(long rowNo, SourceRow row) {
	}

}
