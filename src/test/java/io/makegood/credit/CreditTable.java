package io.makegood.credit;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.hsqldb.jdbc.JDBCDataSource;

/** A fresh in-memory HSQLDB with makegood's schema, and plain-JDBC inserts into mg_credit. */
final class CreditTable {

	private final DataSource dataSource;

	private CreditTable(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	static CreditTable migrated() {
		JDBCDataSource dataSource = new JDBCDataSource();
		dataSource.setUrl("jdbc:hsqldb:mem:credit-" + UUID.randomUUID());
		dataSource.setUser("SA");
		dataSource.setPassword("");
		return migrated(dataSource, "hsqldb");
	}

	static CreditTable migrated(DataSource dataSource, String vendor) {
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + vendor).load().migrate();
		return new CreditTable(dataSource);
	}

	DataSource dataSource() {
		return dataSource;
	}

	void insert(String incidentId, String accountId, CompensationKind kind, String amount, String currency,
			String item, CreditStatus status, Instant expiresAt, Instant createdAt) {
		String sql = """
				insert into mg_credit (incident_id, account_id, kind, amount, currency, item, status, expires_at,
					created_at, updated_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
		try (Connection connection = dataSource.getConnection();
				PreparedStatement insert = connection.prepareStatement(sql)) {
			insert.setString(1, incidentId);
			insert.setString(2, accountId);
			insert.setString(3, kind.name());
			insert.setBigDecimal(4, amount == null ? null : new BigDecimal(amount));
			insert.setString(5, currency);
			insert.setString(6, item);
			insert.setString(7, status.name());
			insert.setObject(8, utc(expiresAt));
			insert.setObject(9, utc(createdAt));
			insert.setObject(10, utc(createdAt));
			insert.executeUpdate();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
	}

}
