package io.makegood.ops;

import java.io.PrintStream;

import io.makegood.credit.claim.Revocation;
import io.makegood.incident.IncidentRepository;

/** {@code makegood nightly} and {@code makegood revoke}. */
public class ClaimCommands {

	private final NightlyRun nightly;

	private final Revocation revocation;

	private final IncidentRepository repository;

	private final PrintStream out = System.out;

	private final PrintStream err = System.err;

	public ClaimCommands(NightlyRun nightly, Revocation revocation, IncidentRepository repository) {
		this.nightly = nightly;
		this.revocation = revocation;
		this.repository = repository;
	}

	public int nightly() {
		try {
			return nightly.run(out, err);
		}
		catch (Exception ex) {
			err.println("Nightly run failed: " + ex.getMessage() + ". Run it again: it only does what is still due.");
			return ExitCodes.FAILED;
		}
	}

	/** @param accountId one account, or null for every unclaimed credit of the incident */
	public int revoke(String incidentId, String accountId) {
		if (repository.find(incidentId).isEmpty()) {
			err.println("Unknown incident " + incidentId);
			return ExitCodes.INVALID;
		}
		int revoked = revocation.revoke(incidentId, accountId);
		if (accountId != null && revoked == 0) {
			String status = revocation.statusOf(incidentId, accountId);
			err.println(status == null ? "Account " + accountId + " has no credit in " + incidentId
					: "Nothing revoked: the credit of account " + accountId + " is " + status
							+ " (only unclaimed credits can be revoked)");
			return status == null ? ExitCodes.INVALID : ExitCodes.DONE;
		}
		out.println(revoked + " unclaimed credit(s) of " + incidentId + " revoked; their links now say so.");
		return ExitCodes.DONE;
	}

}
