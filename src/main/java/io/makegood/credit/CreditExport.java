package io.makegood.credit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The billing hand-off: one incident's credits as an RFC 4180 CSV, one row per account, ordered by account id.
 * Billing applies each row at most once by its {@code idempotency_key}, so the file can be re-sent safely.
 * Credits of kind NONE carry no value and are left out.
 */
public final class CreditExport {

	/** What billing acts on: credits applied automatically and credits the customer claimed. */
	public static final Set<CreditStatus> BILLING_STATUSES = Collections
		.unmodifiableSet(EnumSet.of(CreditStatus.APPLIED, CreditStatus.CLAIMED));

	static final List<String> HEADER = List.of("idempotency_key", "incident_id", "account_id", "kind", "amount",
			"currency", "item", "status", "expires_at", "granted_at");

	private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
		.setHeader(HEADER.toArray(String[]::new))
		.get();

	private static final String SELECT = """
			select incident_id, account_id, kind, amount, currency, item, status, expires_at, created_at
			from mg_credit
			where incident_id = :incidentId and status in (:statuses) and kind <> 'NONE'
			order by account_id""";

	private static final int FETCH_SIZE = 500;

	private final JdbcClient jdbc;

	private final TransactionTemplate readOnly;

	public CreditExport(DataSource dataSource) {
		this.jdbc = JdbcClient.create(new JdbcTemplate(dataSource));
		// PostgreSQL honours the fetch size only inside a transaction; without one it reads every row into memory
		this.readOnly = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.readOnly.setReadOnly(true);
	}

	/**
	 * Writes the export to {@code file} in UTF-8. The file appears complete or not at all: it is written beside
	 * its final name and moved into place, so billing never picks up half an export.
	 * @return the number of credit rows written
	 */
	public long export(String incidentId, Path file, Set<CreditStatus> statuses) throws IOException {
		Path target = file.toAbsolutePath();
		Path partial = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".partial");
		try {
			long rows;
			try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
				rows = export(incidentId, out, statuses);
			}
			Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			return rows;
		}
		finally {
			Files.deleteIfExists(partial);
		}
	}

	/** Exports the credits billing acts on ({@link #BILLING_STATUSES}). */
	public long export(String incidentId, Writer out) throws IOException {
		return export(incidentId, out, BILLING_STATUSES);
	}

	/**
	 * Writes a header row and one row per credit in {@code statuses} to {@code out}, which is flushed but left
	 * open; the caller chooses its encoding (UTF-8 for billing).
	 * @return the number of credit rows written
	 */
	public long export(String incidentId, Writer out, Set<CreditStatus> statuses) throws IOException {
		Objects.requireNonNull(incidentId, "incidentId");
		if (statuses.isEmpty()) {
			throw new IllegalArgumentException("no credit status to export");
		}
		List<String> statusNames = statuses.stream().map(CreditStatus::name).toList();
		CSVPrinter csv = new CSVPrinter(out, FORMAT);
		long[] rows = { 0 };
		try {
			readOnly.executeWithoutResult((tx) -> jdbc.sql(SELECT)
				.withFetchSize(FETCH_SIZE)
				.param("incidentId", incidentId)
				.param("statuses", statusNames)
				.query((ResultSet rs) -> {
					print(csv, rs);
					rows[0]++;
				}));
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		csv.flush();
		return rows[0];
	}

	private static void print(CSVPrinter csv, ResultSet rs) throws SQLException {
		String incidentId = rs.getString("incident_id");
		String accountId = rs.getString("account_id");
		String currency = rs.getString("currency");
		BigDecimal amount = rs.getBigDecimal("amount");
		try {
			csv.printRecord(IdempotencyKey.of(incidentId, accountId), incidentId, accountId, rs.getString("kind"),
					amount == null ? null : Currencies.atMinorScale(amount, currency).toPlainString(), currency,
					rs.getString("item"), rs.getString("status"), instant(rs, "expires_at"),
					instant(rs, "created_at"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : DateTimeFormatter.ISO_INSTANT.format(value.toInstant());
	}

}
