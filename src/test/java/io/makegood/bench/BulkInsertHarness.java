package io.makegood.bench;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.makegood.credit.ApplyMode;
import io.makegood.credit.CompensationKind;
import io.makegood.credit.Credit;
import io.makegood.credit.CreditLedger;
import io.makegood.credit.CreditStatus;
import io.makegood.credit.Money;
import io.makegood.db.SqlDialect;
import io.makegood.db.SqlDialect.Column;
import io.makegood.outbox.OutboxRepository;
import io.makegood.outbox.OutboxRepository.NewMessage;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Prints how long the grant step's inserts take per account, new bulk statements against the JdbcTemplate batches
 * they replaced, on a database given as the first argument (an empty one; the schema is migrated). Not a test.
 */
public final class BulkInsertHarness {

	private static final List<Column> CREDIT = List.of(new Column("incident_id", "varchar(200)"),
			new Column("account_id", "varchar(100)"), new Column("kind", "varchar(20)"),
			new Column("amount", "numeric(19,6)"), new Column("currency", "char(3)"),
			new Column("item", "varchar(200)"), new Column("status", "varchar(20)"),
			new Column("expires_at", "timestamp with time zone"), new Column("created_at", "timestamp with time zone"),
			new Column("updated_at", "timestamp with time zone"));

	public static void main(String[] args) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(args[0]);
		dataSource.setUsername("postgres");
		dataSource.setPassword("");
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/postgresql").load().migrate();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		SqlDialect dialect = SqlDialect.of(dataSource);
		TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		CreditLedger ledger = new CreditLedger(jdbc, dialect);
		OutboxRepository outbox = new OutboxRepository(jdbc, dialect);
		String oldInsert = dialect.insertIgnoringDuplicates("mg_credit", CREDIT, List.of("incident_id", "account_id"));
		int accounts = Integer.parseInt(args.length > 1 ? args[1] : "50000");
		int chunk = Integer.parseInt(args.length > 2 ? args[2] : "1000");
		for (int round = 0; round < 3; round++) {
			String incident = "new-" + round;
			cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
			long start = System.nanoTime();
			for (int from = 0; from < accounts; from += chunk) {
				List<CreditLedger.Entry> entries = entries(from, chunk);
				List<NewMessage> messages = messages(from, chunk);
				tx.executeWithoutResult(s -> ledger.grant(incident, entries, Instant.now()));
			}
			report("new credits only", start, accounts);
			String old = "old-" + round;
			start = System.nanoTime();
			if (args.length > 3) {
				String sc = args[3];
				start = System.nanoTime();
				for (int from = 0; from < accounts; from += chunk) {
					List<CreditLedger.Entry> entries = entries(from, chunk);
					tx.executeWithoutResult(s -> {
						jdbc.execute("set local synchronous_commit = " + sc);
						ledger.grant("async-" + incident, entries, Instant.now());
					});
				}
				report("new, sync commit " + sc, start, accounts);
				start = System.nanoTime();
			}
			for (int from = 0; from < accounts; from += chunk) {
				List<CreditLedger.Entry> entries = entries(from, chunk);
				tx.executeWithoutResult(s -> {
					Timestamp at = Timestamp.from(Instant.now());
					List<Object[]> rows = entries.stream().map(e -> {
						Credit c = e.credit();
						return new Object[] { old, e.accountId(), c.kind().name(), c.amount().amount(),
								c.amount().currencyCode(), c.item(), c.status().name(), null, at, at };
					}).toList();
					for (int count : jdbc.batchUpdate(oldInsert, rows)) {
						SqlDialect.inserted(count);
					}
				});
			}
			report("old credits only", start, accounts);
			String un = "unnest-" + round;
			start = System.nanoTime();
			for (int from = 0; from < accounts; from += chunk) {
				List<CreditLedger.Entry> entries = entries(from, chunk);
				tx.executeWithoutResult(s -> jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Integer>) con -> {
					int n = entries.size();
					String[] ids = new String[n], kinds = new String[n], amounts = new String[n], currencies = new String[n],
							items = new String[n], statuses = new String[n], expires = new String[n];
					for (int i = 0; i < n; i++) {
						CreditLedger.Entry e = entries.get(i);
						Credit c = e.credit();
						ids[i] = e.accountId();
						kinds[i] = c.kind().name();
						amounts[i] = c.amount().amount().toPlainString();
						currencies[i] = c.amount().currencyCode();
						items[i] = c.item();
						statuses[i] = c.status().name();
						expires[i] = c.expiresAt() == null ? null : c.expiresAt().toString();
					}
					try (java.sql.PreparedStatement ps = con.prepareStatement("insert into mg_credit (incident_id, account_id, kind, amount, currency, item, status, expires_at, created_at, updated_at)"
							+ " select ?, u.* , ?, ? from unnest(?::varchar[], ?::varchar[], ?::numeric[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[]) u on conflict do nothing")) {
						Timestamp at = Timestamp.from(Instant.now());
						ps.setString(1, un);
						ps.setTimestamp(2, at);
						ps.setTimestamp(3, at);
						int k = 4;
						for (String[] a : List.of(ids, kinds, amounts, currencies, items, statuses, expires)) {
							ps.setArray(k++, con.createArrayOf("varchar", a));
						}
						return ps.executeUpdate();
					}
				}));
			}
			report("unnest credits only", start, accounts);
		}
		dataSource.close();
	}

	private static long cpuStart;

	private static void report(String what, long start, int accounts) {
		long micros = Duration.ofNanos(System.nanoTime() - start).toNanos() / 1000;
		long cpu = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1000;
		System.out.printf("%-20s %8d ms  %6.1f us/account wall, %6.1f us/account JVM CPU%n", what, micros / 1000,
				(double) micros / accounts, (double) cpu / accounts);
		cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
	}

	private static List<CreditLedger.Entry> entries(int from, int n) {
		List<CreditLedger.Entry> entries = new ArrayList<>(n);
		for (int i = from; i < from + n; i++) {
			entries.add(new CreditLedger.Entry("A" + i, new Credit(CompensationKind.PERCENT_OF_FEE,
					Money.of(new BigDecimal("0.24"), Currency.getInstance("USD"), Money.DEFAULT_ROUNDING), null,
					CreditStatus.APPLIED, null)));
		}
		return entries;
	}

	private static List<NewMessage> messages(int from, int n) {
		List<NewMessage> messages = new ArrayList<>(n);
		for (int i = from; i < from + n; i++) {
			messages.add(new NewMessage("A" + i, i, "a" + i + "@example.com", 1, "<" + i + ".x@example.com>", false));
		}
		return messages;
	}

}
