package io.makegood;

import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operator settings ({@code makegood.*}). Anything that describes one incident lives in its spec instead;
 * anything secret (SMTP credentials) comes from the environment through {@code spring.mail.*}.
 */
@ConfigurationProperties("makegood")
public record MakegoodProperties(@DefaultValue Delivery delivery, @DefaultValue Audience audience,
		@DefaultValue Credit credit, @DefaultValue Source source, @DefaultValue Lock lock,
		@DefaultValue("./jobs/templates") Path templates, @DefaultValue("./reports") Path reports,
		@DefaultValue Safety safety, @DefaultValue FrequencyCap frequencyCap) {

	/**
	 * @param requireExpectedAbove a frozen audience larger than this needs {@code guard.expected} in the spec
	 * @param approvalAbove a frozen audience larger than this needs {@code run --approve <plan-hash>}; 0 = only
	 * when the spec says {@code approval: required}
	 * @param stopWait how long {@code stop} and SIGTERM wait for a running send to wind down
	 */
	public record Safety(@DefaultValue("10000") long requireExpectedAbove, @DefaultValue("100000") long approvalAbove,
			@DefaultValue("60s") Duration stopWait) {
	}

	/**
	 * At most {@code messages} recovery messages per account per {@code period}, across all incidents. A message
	 * over the cap is held as CAPPED (its credit is granted) and sent by {@code release-capped} once allowed.
	 * @param messages 0 disables the cap
	 */
	public record FrequencyCap(@DefaultValue("1") int messages, @DefaultValue("24h") Duration period) {

		public boolean enabled() {
			return messages > 0;
		}

	}

	/**
	 * @param transport {@code pickup} (one .eml file per message under pickupDir) or {@code smtp}
	 * (spring.mail.*)
	 * @param rate default messages per second when the spec sets none; 0 means unthrottled
	 * @param messageIdDomain right-hand side of Message-IDs; defaults to the domain of the spec's from address
	 * @param domainRates messages per second per recipient domain; a spec's delivery.domains wins
	 * @param requireTls insist on STARTTLS for any SMTP host other than loopback
	 * @param journalDir where each sending lane notes the message it hands to the transport; it must outlive the
	 * process (in Kubernetes, an emptyDir volume), so a rerun on this machine holds only those messages IN_DOUBT
	 */
	public record Delivery(@DefaultValue("pickup") String transport, @DefaultValue("./outbox") Path pickupDir,
			@DefaultValue("4") int connections, @DefaultValue("200") double rate, @DefaultValue("100") int chunkSize,
			@DefaultValue("3") int maxAttempts, @DefaultValue("500ms") Duration retryDelay,
			@DefaultValue("5m") Duration retryLater, @DefaultValue("100") int breakerWindow,
			@DefaultValue("20") int breakerMinimumAttempts, @DefaultValue("0.5") double breakerFailureRatio,
			String messageIdDomain, Map<String, Double> domainRates, @DefaultValue("true") boolean requireTls,
			@DefaultValue("./data/journal") Path journalDir) {

		public Delivery {
			domainRates = domainRates == null ? Map.of() : Map.copyOf(domainRates);
		}

	}

	public record Audience(@DefaultValue("1000") int pageSize) {
	}

	/** @param grantWorkers snapshot ranges granted at once, each on its own thread and database connection */
	public record Credit(@DefaultValue("HALF_EVEN") RoundingMode rounding, @DefaultValue("2") int grantWorkers) {

		public Credit {
			if (grantWorkers < 1) {
				throw new IllegalArgumentException(
						"makegood.credit.grant-workers must be at least 1, was " + grantWorkers);
			}
		}

	}

	/**
	 * A separate, read-only database holding the affected accounts. Unset means makegood's own database.
	 */
	/**
	 * @param pageSize for an SQL audience on PostgreSQL, rows fetched per round trip of its one query; elsewhere,
	 * rows per keyset page. Each page runs the operator's query again, and a database cannot always push the page's
	 * key into it, so pages are large: the cost grows with the number of pages squared.
	 */
	public record Source(String url, String username, String password, @DefaultValue("10000") int pageSize) {
	}

	/** @param staleAfter a run lock whose heartbeat is older than this belongs to a dead process */
	public record Lock(@DefaultValue("5s") Duration heartbeat, @DefaultValue("60s") Duration staleAfter) {
	}

}
