package io.makegood.job;

import java.time.Clock;
import java.util.UUID;

import io.makegood.MakegoodProperties;
import io.makegood.credit.claim.ClaimLinks;
import io.makegood.credit.claim.Reminders;
import io.makegood.delivery.DeliveryWriter;
import io.makegood.delivery.MailTemplate;
import io.makegood.delivery.MailTemplates;
import io.makegood.delivery.TemplateNotFoundException;
import io.makegood.incident.IncidentSpec;
import io.makegood.ops.ExitCodes;
import io.makegood.ops.IncidentReports;
import io.makegood.ops.ReportTasklet;
import io.makegood.ops.RunLock;

import io.makegood.outbox.OutboxEntry;
import io.makegood.outbox.OutboxReader;
import io.makegood.outbox.OutboxRepository;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Sends a reminder campaign ({@code <incident>:reminder}) with the same pieces as the recovery job's deliver
 * and report steps: outbox claims, throttle, retries, circuit breaker, report. Each run is a new "reminder" job
 * instance: its only state is the outbox, so a rerun picks up exactly what is still PENDING or RETRY.
 * <p>
 * A reminder only speaks of credits that can still be claimed, as they are when it is rendered, and is not sent
 * at all when none is left ({@link ReminderPreparer}); links are issued with purpose {@link ClaimLinks#REMINDER},
 * so the first message's link keeps working.
 */
public class ReminderDelivery {

	public record Outcome(String campaignId, int exitCode, String summary) {
	}

	private final JobRepository jobRepository;

	private final JobOperator jobOperator;

	private final PlatformTransactionManager tm;

	private final JdbcTemplate jdbc;

	private final Incidents incidents;

	private final OutboxRepository outbox;

	private final DeliveryWiring deliveryWiring;

	private final MakegoodProperties properties;

	private final Clock clock;

	private final ClaimLinks claimLinks;

	private final Reminders reminders;

	private final IncidentReports reports;

	private final RunLock runLock;

	private final String defaultTemplate;

	public ReminderDelivery(JobRepository jobRepository, JobOperator jobOperator, PlatformTransactionManager tm,
			JdbcTemplate jdbc, Incidents incidents, OutboxRepository outbox, DeliveryWiring deliveryWiring,
			MakegoodProperties properties, Clock clock, ClaimLinks claimLinks,
			Reminders reminders, IncidentReports reports, RunLock runLock, String defaultTemplate) {
		this.jobRepository = jobRepository;
		this.jobOperator = jobOperator;
		this.tm = tm;
		this.jdbc = jdbc;
		this.incidents = incidents;
		this.outbox = outbox;
		this.deliveryWiring = deliveryWiring;
		this.properties = properties;
		this.clock = clock;
		this.claimLinks = claimLinks;
		this.reminders = reminders;
		this.reports = reports;
		this.runLock = runLock;
		this.defaultTemplate = defaultTemplate;
	}

	public Outcome deliver(String campaignId) throws Exception {
		String incidentId = Reminders.incidentOf(campaignId);
		try (RunLock.Lease lease = runLock.acquire(campaignId)) {
			reminders.withdrawStale(campaignId, clock.instant());
			IncidentSpec spec = incidents.spec(incidentId);
			JobExecution execution = jobOperator.start(job(campaignId, spec),
					new JobParametersBuilder().addString("campaign", campaignId)
						.addString("run", UUID.randomUUID().toString())
						.toJobParameters());
			if (execution.getStatus() == BatchStatus.COMPLETED) {
				return new Outcome(campaignId, ExitCodes.DONE, "Reminders of " + incidentId + " sent.");
			}
			return new Outcome(campaignId, ExitCodes.FAILED, "Reminders of " + incidentId + " did not finish; "
					+ outbox.unfinished(campaignId) + " left for the next run.");
		}
		catch (RunLock.HeldElsewhereException busy) {
			return new Outcome(campaignId, ExitCodes.BUSY, busy.getMessage());
		}
	}

	/** {@code <message.template>-reminder} when the operator wrote one, else the configured reminder set. */
	MailTemplate template(IncidentSpec spec) {
		MailTemplates templates = new MailTemplates(properties.templates());
		try {
			return templates.load(spec.message().template() + "-reminder");
		}
		catch (TemplateNotFoundException ex) {
			return templates.load(defaultTemplate);
		}
	}

	private Job job(String campaignId, IncidentSpec spec) {
		MakegoodProperties.Delivery delivery = properties.delivery();
		String incidentId = spec.id();
		ReminderPreparer preparer = new ReminderPreparer(spec, template(spec), incidents.composer(spec),
				Incidents.envelopeAddress(spec.message().from()),
				claimLinks.forIncident(incidentId, ClaimLinks.REMINDER), outbox, clock);
		DeliveryWriter<OutboxEntry> writer = deliveryWiring.writer(spec, campaignId, preparer);
		Step deliver = new StepBuilder("reminder-deliver", jobRepository)
			.<OutboxEntry, OutboxEntry>chunk(delivery.chunkSize())
			.transactionManager(tm)
			.reader(new OutboxReader(jdbc, campaignId, incidentId, delivery.chunkSize(), clock))
			.writer(writer)
			.listener(writer)
			.build();
		ReportTasklet report = new ReportTasklet(campaignId, reports);
		Step reportStep = new StepBuilder("reminder-report", jobRepository).tasklet(report, tm).listener(report).build();
		// a failed deliver step ends the flow; going on would mark it ABANDONED, and a rerun would skip it
		return new JobBuilder("reminder", jobRepository).start(deliver)
			.next(reportStep).on("FAILED").fail()
			.from(reportStep).on("*").end()
			.end()
			.build();
	}

}
