package io.makegood.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.makegood.MakegoodProperties;
import io.makegood.audience.AudienceRules;
import io.makegood.audience.AudienceSnapshot;
import io.makegood.audience.AudienceSources;
import io.makegood.audience.BlastRadiusGuard;
import io.makegood.audience.PlanHash;
import io.makegood.audience.SnapshotAccount;
import io.makegood.audience.SnapshotReaders;
import io.makegood.credit.CompensationPolicies;
import io.makegood.credit.CompensationPolicy;
import io.makegood.credit.Credit;
import io.makegood.delivery.CoveredAccount;
import io.makegood.delivery.MailTemplate;
import io.makegood.delivery.MessageIds;
import io.makegood.delivery.RenderedMessage;
import io.makegood.delivery.TemplateModel;
import io.makegood.incident.IncidentSpec;
import io.makegood.job.Incidents;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A dry run of an incident: the audience exactly as a run would freeze it (same rules, suppressions and shared
 * addresses, applied under a scratch id that is deleted afterwards), counted and summed with set-based SQL,
 * the credits as the policy would grant them, and a few sample messages as files. It writes no credit, no
 * outbox row and no incident, and sends nothing. The plan hash it prints is what {@code run --approve} takes.
 */
public class AudiencePreview {

	static final int SAMPLES = 5;

	/** Credit statistics of one currency. */
	public record CreditStats(long accounts, BigDecimal total, BigDecimal min, BigDecimal median, BigDecimal max) {
	}

	/**
	 * @param accepted accounts a run would freeze (and credit)
	 * @param messages messages a run would queue and send: one per address, suppressed addresses excluded
	 * @param guard what the blast-radius guard would say: "ok" or the refusal
	 * @param approvalRequired whether {@code run} needs {@code --approve planHash}
	 */
	public record Preview(String incidentId, String planHash, String audienceFingerprint, long accepted,
			Map<String, Long> rejectsByReason, long suppressed, long sharedAddressAccounts, long messages,
			Map<String, Long> byPlan, Map<String, Long> byCurrency, Map<String, Long> byLocale, String creditKind,
			long credits, Map<String, CreditStats> creditByCurrency, String guard, boolean approvalRequired,
			List<String> samples, Instant previewedAt) {
	}

	private final JdbcTemplate jdbc;

	private final AudienceSnapshot snapshot;

	private final AudienceSources sources;

	private final Incidents incidents;

	private final MakegoodProperties properties;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	public AudiencePreview(JdbcTemplate jdbc, AudienceSnapshot snapshot, AudienceSources sources, Incidents incidents,
			MakegoodProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.snapshot = snapshot;
		this.sources = sources;
		this.incidents = incidents;
		this.properties = properties;
		this.clock = clock;
	}

	/** Computes the preview and writes preview.json, preview.html and the samples under {@code outDir}. */
	public Preview preview(IncidentSpec spec, Path outDir) {
		String scratch = "~preview-" + UUID.randomUUID();
		try {
			snapshot.loadScratch(scratch, sources.open(spec),
					row -> CompensationPolicies.cannotGrant(spec.compensation(), row)
						.map(reason -> new AudienceRules.Reject(reason, "cannot compute the credit")));
			Preview preview = summarize(spec, scratch, outDir);
			write(preview, outDir);
			return preview;
		}
		finally {
			snapshot.deleteScratch(scratch);
		}
	}

	private Preview summarize(IncidentSpec spec, String scratch, Path outDir) {
		Map<String, Long> rejects = new TreeMap<>();
		jdbc.query("select reason, count(*) from mg_audience_reject where incident_id = ? group by reason", rs -> {
			rejects.put(rs.getString(1), rs.getLong(2));
		}, scratch);
		Map<String, Object> counts = jdbc.queryForMap("""
				select count(*) as accepted,
				  coalesce(sum(case when suppressed is not null then 1 else 0 end), 0) as suppressed,
				  coalesce(sum(case when primary_account_id <> account_id then 1 else 0 end), 0) as shared,
				  coalesce(sum(case when primary_account_id = account_id and suppressed is null then 1 else 0 end), 0)
				    as messages
				from mg_audience where incident_id = ?""", scratch);
		long accepted = number(counts.get("accepted"));
		String fingerprint = snapshot.fingerprint(scratch);
		CompensationPolicy policy = CompensationPolicies.from(spec.compensation(), properties.credit().rounding());
		Instant now = clock.instant();
		Map<String, List<BigDecimal>> amounts = new TreeMap<>();
		long[] credits = { 0 };
		jdbc.query("select " + columns() + " from mg_audience where incident_id = ?", rs -> {
			Credit credit = policy.grant(SnapshotReaders.account(rs).row(), now);
			credits[0]++;
			if (credit.amount() != null) {
				amounts.computeIfAbsent(credit.amount().currencyCode(), c -> new ArrayList<>())
					.add(credit.amount().amount());
			}
		}, scratch);
		Map<String, CreditStats> creditStats = new TreeMap<>();
		amounts.forEach((currency, values) -> creditStats.put(currency, stats(values)));
		String guard = BlastRadiusGuard.refusal(spec.guard(), accepted, properties.safety().requireExpectedAbove())
			.map(refusal -> "refused: " + refusal)
			.orElse("ok");
		long approvalAbove = properties.safety().approvalAbove();
		boolean approvalRequired = spec.approvalRequired() || (approvalAbove > 0 && accepted > approvalAbove);
		List<String> samples = samples(spec, scratch, policy, now, outDir);
		return new Preview(spec.id(), PlanHash.of(spec.sourceText(), fingerprint), fingerprint, accepted, rejects,
				number(counts.get("suppressed")), number(counts.get("shared")), number(counts.get("messages")),
				breakdown("plan", scratch), breakdown("currency", scratch), breakdown("locale", scratch),
				spec.compensation().kind().name(), credits[0], creditStats, guard, approvalRequired, samples, now);
	}

	private Map<String, Long> breakdown(String column, String scratch) {
		Map<String, Long> counts = new TreeMap<>();
		jdbc.query("select " + column + ", count(*) from mg_audience where incident_id = ? group by " + column, rs -> {
			String value = rs.getString(1);
			counts.merge(value == null ? "(none)" : value.trim(), rs.getLong(2), Long::sum);
		}, scratch);
		return counts;
	}

	private static CreditStats stats(List<BigDecimal> values) {
		values.sort(null);
		BigDecimal total = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
		int n = values.size();
		BigDecimal median = n % 2 == 1 ? values.get(n / 2)
				: values.get(n / 2 - 1).add(values.get(n / 2)).divide(BigDecimal.valueOf(2));
		return new CreditStats(n, total, values.get(0), median, values.get(n - 1));
	}

	private List<String> samples(IncidentSpec spec, String scratch, CompensationPolicy policy, Instant now,
			Path outDir) {
		MailTemplate template = incidents.template(spec);
		String domain = MessageIds.domainOf(spec.message().from());
		List<SnapshotAccount> accounts = jdbc.query("select " + columns() + " from mg_audience"
				+ " where incident_id = ? and primary_account_id = account_id and suppressed is null"
				+ " order by seq fetch first " + SAMPLES + " rows only", (rs, n) -> SnapshotReaders.account(rs),
				scratch);
		List<String> files = new ArrayList<>();
		try {
			Path dir = outDir.resolve("samples");
			Files.createDirectories(dir);
			int i = 0;
			for (SnapshotAccount account : accounts) {
				i++;
				List<CoveredAccount> covered = account.covers() > 1 ? covered(scratch, account, policy, now) : List.of();
				RenderedMessage rendered = template.render(TemplateModel.of(spec, account.row(),
						policy.grant(account.row(), now), null, covered));
				byte[] eml = incidents.composer(spec).compose(spec.id(),
						MessageIds.of("preview." + spec.id(), account.row().accountId(), domain),
						account.row().email(), account.row().name(), rendered);
				Files.write(dir.resolve("sample-" + i + ".eml"), eml);
				Files.writeString(dir.resolve("sample-" + i + ".html"),
						rendered.html() != null ? rendered.html() : "<pre>" + HtmlUtils.htmlEscape(rendered.text()) + "</pre>");
				files.add("samples/sample-" + i + ".eml");
				files.add("samples/sample-" + i + ".html");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the sample messages under " + outDir, ex);
		}
		return files;
	}

	private List<CoveredAccount> covered(String scratch, SnapshotAccount primary, CompensationPolicy policy,
			Instant now) {
		return jdbc.query("select " + columns() + " from mg_audience where incident_id = ? and primary_account_id = ?"
				+ " and account_id <> ? order by account_id", (rs, n) -> {
					SnapshotAccount account = SnapshotReaders.account(rs);
					return new CoveredAccount(account.row().accountId(), policy.grant(account.row(), now));
				}, scratch, primary.row().accountId(), primary.row().accountId());
	}

	private void write(Preview preview, Path outDir) {
		try {
			Files.createDirectories(outDir);
			Files.writeString(outDir.resolve("preview.json"), json.writeValueAsString(preview));
			Files.writeString(outDir.resolve("preview.html"), html(preview));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the preview under " + outDir, ex);
		}
	}

	/** The preview for a terminal. Counts only: no address or name is printed. */
	public static String text(Preview p) {
		StringBuilder out = new StringBuilder();
		out.append("Preview of ").append(p.incidentId()).append(" (nothing was written or sent)\n");
		out.append("  audience:   ").append(p.accepted()).append(" accounts, ").append(p.messages())
			.append(" messages; rejected ").append(p.rejectsByReason()).append(", suppressed ").append(p.suppressed())
			.append(", sharing an address ").append(p.sharedAddressAccounts()).append('\n');
		out.append("  by plan:    ").append(p.byPlan()).append('\n');
		out.append("  by currency:").append(' ').append(p.byCurrency()).append('\n');
		out.append("  by locale:  ").append(p.byLocale()).append('\n');
		out.append("  credits:    ").append(p.credits()).append(" x ").append(p.creditKind()).append('\n');
		p.creditByCurrency().forEach((currency, s) -> out.append("    ").append(currency).append(": total ")
			.append(s.total().toPlainString()).append(", min ").append(s.min().toPlainString()).append(", median ")
			.append(s.median().toPlainString()).append(", max ").append(s.max().toPlainString()).append('\n'));
		out.append("  guard:      ").append(p.guard()).append('\n');
		out.append("  plan hash:  ").append(p.planHash())
			.append(p.approvalRequired() ? "  (approval required: run with --approve " + p.planHash() + ")" : "")
			.append('\n');
		return out.toString();
	}

	private static String html(Preview p) {
		StringBuilder out = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Preview of ")
			.append(esc(p.incidentId())).append("</title></head><body>\n<h1>Preview of ").append(esc(p.incidentId()))
			.append("</h1>\n<p>Nothing was credited, queued or sent.</p>\n<table border=\"1\" cellpadding=\"4\">\n");
		Map<String, Object> rows = new LinkedHashMap<>();
		rows.put("Plan hash", p.planHash() + (p.approvalRequired() ? " (approval required)" : ""));
		rows.put("Accounts (credited)", p.accepted());
		rows.put("Messages", p.messages());
		rows.put("Rejected", p.rejectsByReason());
		rows.put("Suppressed", p.suppressed());
		rows.put("Sharing an address", p.sharedAddressAccounts());
		rows.put("By plan", p.byPlan());
		rows.put("By currency", p.byCurrency());
		rows.put("By locale", p.byLocale());
		rows.put("Compensation", p.credits() + " x " + p.creditKind());
		p.creditByCurrency().forEach((currency, s) -> rows.put("Credit " + currency, "total "
				+ s.total().toPlainString() + ", min " + s.min().toPlainString() + ", median "
				+ s.median().toPlainString() + ", max " + s.max().toPlainString()));
		rows.put("Guard", p.guard());
		rows.forEach((k, v) -> out.append("<tr><th align=\"left\">").append(esc(k)).append("</th><td>")
			.append(esc(String.valueOf(v))).append("</td></tr>\n"));
		out.append("</table>\n<h2>Samples</h2>\n<ul>\n");
		for (String sample : p.samples()) {
			out.append("<li><a href=\"").append(esc(sample)).append("\">").append(esc(sample)).append("</a></li>\n");
		}
		return out.append("</ul>\n</body></html>\n").toString();
	}

	private static String esc(String value) {
		return HtmlUtils.htmlEscape(value);
	}

	private static String columns() {
		return "seq, account_id, email, name, plan, currency, monthly_fee, locale, attributes, primary_account_id,"
				+ " covers, suppressed";
	}

	private static long number(Object value) {
		return value == null ? 0 : ((Number) value).longValue();
	}


}
