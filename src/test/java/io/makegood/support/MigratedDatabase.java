package io.makegood.support;

import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.makegood.db.SqlDialect;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real database with makegood's schema applied by the same Flyway migrations the application runs. Its
 * {@code toString()} is the vendor, so parameterized tests read "hsqldb" / "postgresql".
 */
public record MigratedDatabase(String vendor, TestDatabases.Database database, DataSource dataSource,
		JdbcTemplate jdbc, SqlDialect dialect) {

	public static MigratedDatabase hsqldb() {
		return migrate("hsqldb", TestDatabases.hsqldb());
	}

	public static MigratedDatabase postgres() {
		return migrate("postgresql", TestDatabases.postgres());
	}

	/** One of each supported database, for {@code @MethodSource}. */
	public static List<MigratedDatabase> both() {
		return List.of(hsqldb(), postgres());
	}

	private static MigratedDatabase migrate(String vendor, TestDatabases.Database database) {
		// pooled: tests claim rows from several threads, and a PostgreSQL connection per statement is slow
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(database.url());
		dataSource.setUsername(database.username());
		dataSource.setPassword(database.password());
		dataSource.setMaximumPoolSize(8);
		dataSource.setMinimumIdle(1);
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + vendor).load().migrate();
		return new MigratedDatabase(vendor, database, dataSource, new JdbcTemplate(dataSource),
				SqlDialect.of(dataSource));
	}

	public TransactionTemplate transactionTemplate() {
		return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	public long count(String sql, Object... args) {
		return jdbc.queryForObject(sql, Long.class, args);
	}

	@Override
	public String toString() {
		return vendor;
	}

}
