package io.makegood.credit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import io.makegood.metrics.MakegoodMetrics;
import io.makegood.outbox.OutboxRepository;
import io.makegood.outbox.OutboxRepository.NewMessage;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Writes a chunk's credits and its outbox rows in the chunk's one transaction, with batched inserts that skip
 * existing keys: a chunk retried or replayed after a crash grants and queues nothing twice.
 */
public class CreditGrantWriter implements ItemWriter<GrantedCredit> {

	private final String incidentId;

	private final CreditLedger ledger;

	private final OutboxRepository outbox;

	private final BiFunction<String, String, String> messageIds;

	private final Clock clock;

	private final MakegoodMetrics metrics;

	/** @param messageIds (incidentId, accountId) to a deterministic Message-ID */
	public CreditGrantWriter(String incidentId, CreditLedger ledger, OutboxRepository outbox,
			BiFunction<String, String, String> messageIds, MakegoodMetrics metrics, Clock clock) {
		this.incidentId = incidentId;
		this.ledger = ledger;
		this.outbox = outbox;
		this.messageIds = messageIds;
		this.metrics = metrics;
		this.clock = clock;
	}

	@Override
	public void write(Chunk<? extends GrantedCredit> chunk) {
		Instant now = clock.instant();
		List<CreditLedger.Entry> credits = chunk.getItems()
			.stream()
			.map(g -> new CreditLedger.Entry(g.account().row().accountId(), g.credit()))
			.toList();
		if (ledger.grant(incidentId, credits, now) > 0) {
			credits.stream()
				.collect(Collectors.groupingBy(e -> e.credit().amount() == null ? "none" : e.credit().amount().currencyCode(),
						Collectors.counting()))
				.forEach((currency, count) -> metrics.creditGranted(incidentId, currency, count.intValue()));
		}
		List<NewMessage> messages = chunk.getItems()
			.stream()
			.map(GrantedCredit::account)
			.filter(a -> a.isPrimary())
			.map(a -> new NewMessage(a.row().accountId(), a.seq(), a.row().email().trim(), a.covers(),
					messageIds.apply(incidentId, a.row().accountId()), a.suppressed() != null))
			.toList();
		outbox.enqueue(incidentId, messages, now);
	}

}
