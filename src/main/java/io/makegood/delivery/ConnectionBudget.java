package io.makegood.delivery;

/**
 * The database connections a send needs. Each sending connection holds one database connection for the whole
 * deliver step, beside the step's own transaction and the short ones of heartbeats, shared rate permits and the
 * report. With a smaller pool the lanes wait for connections and the step fails half a minute later with a
 * time-out that names neither setting; checked before the first lane opens instead.
 */
public final class ConnectionBudget {

	/** Database connections beyond one per sending connection (config/application.yml documents the same). */
	public static final int RESERVE = 6;

	private ConnectionBudget() {
	}

	/** @throws IllegalStateException when a pool of {@code poolSize} cannot serve {@code connections} lanes */
	public static void check(int connections, int poolSize) {
		int needed = connections + RESERVE;
		if (poolSize < needed) {
			throw new IllegalStateException("makegood.delivery.connections=" + connections
					+ " needs spring.datasource.hikari.maximum-pool-size of at least " + needed + ", but it is "
					+ poolSize + ": each sending connection holds a database connection for the whole send");
		}
	}

}
