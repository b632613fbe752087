package io.makegood.db;

import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.makegood.db.SqlDialect.Column;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The duplicate-ignoring insert on the real databases it is written for. */
class SqlDialectTest {

	private static final List<Column> COLUMNS = List.of(new Column("k1", "varchar(20)"),
			new Column("k2", "varchar(20)"), new Column("v", "varchar(20)"),
			new Column("created", "timestamp with time zone"));

	private static final Timestamp AT = Timestamp.from(Instant.parse("2025-03-01T10:00:00Z"));

	private static List<Named<JdbcTemplate>> databases;

	@BeforeAll
	static void createTables() {
		databases = List.of(Named.of("hsqldb", TestDatabases.hsqldb().jdbc()),
				Named.of("postgresql", TestDatabases.postgres().jdbc()));
		for (Named<JdbcTemplate> database : databases) {
			database.getPayload()
				.execute("create table t (k1 varchar(20) not null, k2 varchar(20) not null, v varchar(20),"
						+ " created timestamp with time zone, primary key (k1, k2))");
		}
	}

	@AfterAll
	static void dropTables() {
		databases.forEach(database -> database.getPayload().execute("drop table t"));
	}

	static List<Named<JdbcTemplate>> databases() {
		return databases;
	}

	@Test
	void detectsTheDialect() {
		assertThat(SqlDialect.of(databases.get(0).getPayload().getDataSource())).isEqualTo(SqlDialect.HSQLDB);
		assertThat(SqlDialect.of(databases.get(1).getPayload().getDataSource())).isEqualTo(SqlDialect.POSTGRESQL);
	}

	@Test
	void namesTheDialectOfAProductNameAndNoneOfAnUnsupportedOne() {
		assertThat(SqlDialect.named("PostgreSQL")).contains(SqlDialect.POSTGRESQL);
		assertThat(SqlDialect.named("HSQL Database Engine")).contains(SqlDialect.HSQLDB);
		assertThat(SqlDialect.named("MySQL")).isEmpty();
	}

	@Test
	void onlyPostgresqlCopiesRows() {
		assertThat(SqlDialect.POSTGRESQL.copyRows("t", COLUMNS)).isEqualTo("copy t (k1, k2, v, created) from stdin");
		assertThat(SqlDialect.HSQLDB.copiesRows()).isFalse();
	}

	@ParameterizedTest
	@MethodSource("databases")
	void sameKeyTwiceInOneBatchInsertsOneRow(JdbcTemplate jdbc) {
		String insert = insert(jdbc);

		int[] counts = jdbc.batchUpdate(insert, List.of(row("one", "a", "first"), row("one", "a", "second")));

		assertThat(counts).containsExactly(1, 0);
		assertThat(values(jdbc, "one")).containsExactly("first");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void sameKeyAcrossBatchesInsertsOneRowAndKeepsTheFirst(JdbcTemplate jdbc) {
		String insert = insert(jdbc);

		int[] first = jdbc.batchUpdate(insert, List.of(row("two", "a", "first"), row("two", "b", "first")));
		int[] second = jdbc.batchUpdate(insert,
				List.of(row("two", "a", "second"), row("two", "c", "second"), row("two", "b", "second")));

		assertThat(first).containsExactly(1, 1);
		assertThat(second).containsExactly(0, 1, 0);
		assertThat(values(jdbc, "two")).containsExactly("first", "first", "second");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void onlyTheWholeKeyCountsAsADuplicate(JdbcTemplate jdbc) {
		String insert = insert(jdbc);

		int[] counts = jdbc.batchUpdate(insert,
				List.of(row("three", "a", "x"), row("three", "b", "x"), row("four", "a", "x")));

		assertThat(counts).containsExactly(1, 1, 1);
	}

	@ParameterizedTest
	@MethodSource("databases")
	void nullValuesAreTyped(JdbcTemplate jdbc) {
		int[] counts = jdbc.batchUpdate(insert(jdbc), List.<Object[]>of(new Object[] { "five", "a", null, null }));

		assertThat(counts).containsExactly(1);
		assertThat(jdbc.queryForObject("select count(*) from t where k1 = 'five' and v is null and created is null",
				Long.class)).isOne();
	}

	@Test
	void refusesADriverThatHidesPerRowResults() {
		TestDatabases.Database postgres = TestDatabases.postgres();
		JdbcTemplate rewriting = new JdbcTemplate(new DriverManagerDataSource(
				postgres.url() + "?reWriteBatchedInserts=true", postgres.username(), postgres.password()));
		rewriting.execute("create table t (k1 varchar(20) not null, k2 varchar(20) not null, v varchar(20),"
				+ " created timestamp with time zone, primary key (k1, k2))");

		int[] counts = rewriting.batchUpdate(insert(rewriting),
				List.of(row("six", "a", "x"), row("six", "a", "y"), row("six", "b", "z")));

		// the duplicate is indistinguishable from a new row here, so counting it either way would be a lie
		assertThat(counts).contains(Statement.SUCCESS_NO_INFO);
		assertThatIllegalStateException().isThrownBy(() -> SqlDialect.inserted(Statement.SUCCESS_NO_INFO))
			.withMessageContaining("reWriteBatchedInserts");
		assertThat(SqlDialect.inserted(1)).isTrue();
		assertThat(SqlDialect.inserted(0)).isFalse();
	}

	private static String insert(JdbcTemplate jdbc) {
		return SqlDialect.of(jdbc.getDataSource()).insertIgnoringDuplicates("t", COLUMNS, List.of("k1", "k2"));
	}

	private static Object[] row(String k1, String k2, String value) {
		return new Object[] { k1, k2, value, AT };
	}

	private static List<String> values(JdbcTemplate jdbc, String k1) {
		return jdbc.queryForList("select v from t where k1 = ? order by k2", String.class, k1);
	}

}
