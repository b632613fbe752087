package io.makegood.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Real databases for integration tests: one embedded PostgreSQL server per test JVM with a fresh database per
 * call, and uniquely named HSQLDB databases.
 */
public final class TestDatabases {

	private static EmbeddedPostgres postgres;

	private TestDatabases() {
	}

	public record Database(String url, String username, String password) {

		public DataSource dataSource() {
			return new DriverManagerDataSource(url, username, password);
		}

		public JdbcTemplate jdbc() {
			return new JdbcTemplate(dataSource());
		}

		/** Command-line options that point makegood at this database. */
		public String[] springArgs() {
			return new String[] { "--spring.datasource.url=" + url, "--spring.datasource.username=" + username,
					"--spring.datasource.password=" + password };
		}

	}

	public static synchronized Database postgres() {
		if (postgres == null) {
			try {
				postgres = EmbeddedPostgres.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		String name = "mg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		new JdbcTemplate(postgres.getPostgresDatabase()).execute("create database " + name);
		return new Database("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres", "postgres");
	}

	public static Database hsqldb() {
		return new Database("jdbc:hsqldb:mem:mg" + UUID.randomUUID().toString().replace("-", "") + ";hsqldb.tx=mvcc",
				"SA", "");
	}

	/** A file-mode HSQLDB under the given directory, as the embedded default uses. */
	public static Database hsqldbFile(Path directory) {
		return new Database("jdbc:hsqldb:file:" + directory.resolve("makegood").toAbsolutePath()
				+ ";hsqldb.tx=mvcc;hsqldb.write_delay=false;shutdown=true", "SA", "");
	}

}
