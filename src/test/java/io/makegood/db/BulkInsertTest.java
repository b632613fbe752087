package io.makegood.db;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.makegood.db.SqlDialect.Column;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Multi-row (PostgreSQL) and batched (HSQLDB) inserts skip existing keys and count only new rows. */
class BulkInsertTest {

	private static final List<Column> COLUMNS = List.of(new Column("k1", "varchar(20)"),
			new Column("k2", "bigint"), new Column("v", "varchar(20)"), new Column("amount", "numeric(19,6)"),
			new Column("created", "timestamp with time zone"));

	private static final Timestamp AT = Timestamp.from(Instant.parse("2025-03-01T10:00:00Z"));

	private static List<Named<JdbcTemplate>> databases;

	record Row(String k1, long k2, String value) {
	}

	@BeforeAll
	static void createTables() {
		databases = List.of(Named.of("hsqldb", TestDatabases.hsqldb().jdbc()),
				Named.of("postgresql", TestDatabases.postgres().jdbc()));
		for (Named<JdbcTemplate> database : databases) {
			database.getPayload()
				.execute("create table b (k1 varchar(20) not null, k2 bigint not null, v varchar(20),"
						+ " amount numeric(19,6), created timestamp with time zone, primary key (k1, k2))");
		}
	}

	@AfterAll
	static void dropTables() {
		databases.forEach(database -> database.getPayload().execute("drop table b"));
	}

	static List<Named<JdbcTemplate>> databases() {
		return databases;
	}

	@ParameterizedTest
	@MethodSource("databases")
	void skipsKeysThatExistOrRepeatAndKeepsTheFirst(JdbcTemplate jdbc) {
		// two rows per statement, so repeats fall both inside one statement and across statements
		BulkInsert<Row> insert = insert(jdbc, 2);

		int first = insert.insert(jdbc, List.of(new Row("one", 1, "first"), new Row("one", 2, "first")));
		int second = insert.insert(jdbc, List.of(new Row("one", 1, "second"), new Row("one", 3, "second"),
				new Row("one", 3, "third"), new Row("one", 4, "second"), new Row("one", 2, "second")));

		assertThat(first).isEqualTo(2);
		assertThat(second).isEqualTo(2);
		assertThat(jdbc.queryForList("select v from b where k1 = 'one' order by k2", String.class))
			.containsExactly("first", "first", "second", "second");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void bindsTypedValuesAndNulls(JdbcTemplate jdbc) {
		int inserted = insert(jdbc, 1000).insert(jdbc, List.of(new Row("two", 1, null), new Row("two", 2, "x")));

		assertThat(inserted).isEqualTo(2);
		assertThat(jdbc.queryForObject("select count(*) from b where k1 = 'two' and v is null and amount is null"
				+ " and created is null", Long.class)).isOne();
		assertThat(jdbc.queryForObject("select amount from b where k1 = 'two' and k2 = 2", java.math.BigDecimal.class))
			.isEqualByComparingTo("1.25");
		assertThat(jdbc.queryForObject("select created from b where k1 = 'two' and k2 = 2", Timestamp.class))
			.isEqualTo(AT);
		assertThat(insert(jdbc, 1000).insert(jdbc, List.of())).isZero();
	}

	@ParameterizedTest
	@MethodSource("databases")
	void insertsNewRowsWithEveryCharacterIntact(JdbcTemplate jdbc) {
		List<String> values = List.of("tab\there", "two\nlines", "cr\rlf", "back\\slash", "\\N", "Zoë 🙂", "");
		List<Row> rows = new java.util.ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			rows.add(new Row("three", i, values.get(i)));
		}
		rows.add(new Row("three", 99, null));

		int inserted = newRows(jdbc).insertNew(jdbc, rows);

		assertThat(inserted).isEqualTo(rows.size());
		assertThat(jdbc.queryForList("select v from b where k1 = 'three' and k2 < 99 order by k2", String.class))
			.containsExactlyElementsOf(values);
		assertThat(jdbc.queryForObject("select count(*) from b where k1 = 'three' and k2 = 99 and v is null"
				+ " and amount is null and created is null", Long.class)).isOne();
		assertThat(jdbc.queryForObject("select created from b where k1 = 'three' and k2 = 0", Timestamp.class))
			.isEqualTo(AT);
		assertThat(jdbc.queryForObject("select amount from b where k1 = 'three' and k2 = 0",
				java.math.BigDecimal.class)).isEqualByComparingTo("-0.000001");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void newRowsWhoseKeyExistsAfterAllAreSkippedLikeInsert(JdbcTemplate jdbc) {
		BulkInsert<Row> insert = newRows(jdbc);
		insert.insert(jdbc, List.of(new Row("four", 2, "first")));

		int inserted = insert.insertNew(jdbc,
				List.of(new Row("four", 1, "new"), new Row("four", 2, "again"), new Row("four", 3, "new")));

		assertThat(inserted).isEqualTo(2);
		assertThat(jdbc.queryForList("select v from b where k1 = 'four' order by k2", String.class))
			.containsExactly("new", "first", "new");
	}

	private static BulkInsert<Row> newRows(JdbcTemplate jdbc) {
		return new BulkInsert<>(SqlDialect.of(jdbc.getDataSource()), "b", COLUMNS, List.of("k1", "k2"), 1000,
				(values, row) -> values.string(row.k1())
					.number(row.k2())
					.string(row.value())
					.decimal(row.value() == null ? null : new java.math.BigDecimal("-0.000001"))
					.timestamp(row.value() == null ? null : AT));
	}

	private static BulkInsert<Row> insert(JdbcTemplate jdbc, int rowsPerStatement) {
		return new BulkInsert<>(SqlDialect.of(jdbc.getDataSource()), "b", COLUMNS, List.of("k1", "k2"),
				rowsPerStatement, (values, row) -> {
					boolean empty = row.value() == null;
					values.string(row.k1())
						.number(row.k2())
						.string(row.value())
						.decimal(empty ? null : new java.math.BigDecimal("1.25"))
						.timestamp(empty ? null : AT);
				});
	}

}
