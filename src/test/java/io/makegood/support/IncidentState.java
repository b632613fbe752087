package io.makegood.support;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;

/** What makegood's tables say about one incident, read straight from the database. */
public final class IncidentState {

	private final JdbcTemplate jdbc;

	private final String incidentId;

	public IncidentState(TestDatabases.Database database, String incidentId) {
		this.jdbc = database.jdbc();
		this.incidentId = incidentId;
	}

	/** Statuses of the recovery job's executions for this incident, oldest first. */
	public List<String> jobExecutionStatuses() {
		return jdbc.queryForList("""
				select e.status from batch_job_execution e
				join batch_job_instance i on i.job_instance_id = e.job_instance_id
				join batch_job_execution_params p on p.job_execution_id = e.job_execution_id
				where i.job_name = 'recovery' and p.parameter_name = 'incident' and p.parameter_value = ?
				order by e.job_execution_id""", String.class, incidentId);
	}

	/** One line per step execution of this incident, in the order they ran: name, status, counts, exit. */
	public List<String> stepExecutions() {
		return jdbc.queryForList("""
				select s.step_name || ' ' || s.status || ' read=' || s.read_count || ' write=' || s.write_count
				  || ' exit=' || s.exit_code || ' ' || coalesce(substr(s.exit_message, 1, 200), '')
				from batch_step_execution s
				join batch_job_execution_params p on p.job_execution_id = s.job_execution_id
				where p.parameter_name = 'incident' and p.parameter_value = ?
				order by s.step_execution_id""", String.class, incidentId);
	}

	public int jobInstances() {
		return jdbc.queryForObject("select count(*) from batch_job_instance where job_name = 'recovery'",
				Integer.class);
	}

	/** Outbox rows per status name. */
	public Map<String, Long> outboxByStatus() {
		Map<String, Long> counts = new TreeMap<>();
		jdbc.query("select status, count(*) from mg_outbox where incident_id = ? group by status",
				rs -> {
					counts.put(rs.getString(1), rs.getLong(2));
				}, incidentId);
		return counts;
	}

	/** Outbox status per recipient address (lower case). */
	public Map<String, String> outboxStatusByRecipient() {
		Map<String, String> statuses = new TreeMap<>();
		jdbc.query("select lower(recipient), status from mg_outbox where incident_id = ?", rs -> {
			statuses.put(rs.getString(1), rs.getString(2));
		}, incidentId);
		return statuses;
	}

	/** Number of credit rows per account. */
	public Map<String, Long> creditsPerAccount() {
		Map<String, Long> counts = new TreeMap<>();
		jdbc.query("select account_id, count(*) from mg_credit where incident_id = ? group by account_id", rs -> {
			counts.put(rs.getString(1), rs.getLong(2));
		}, incidentId);
		return counts;
	}

	public long creditRows() {
		return jdbc.queryForObject("select count(*) from mg_credit where incident_id = ?", Long.class, incidentId);
	}

	/** The pid recorded by the process holding this incident's run lock, if any. */
	public Optional<Long> runLockPid() {
		return jdbc.queryForList("select pid from mg_run_lock where incident_id = ?", Long.class, incidentId)
			.stream()
			.findFirst();
	}

}
