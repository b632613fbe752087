package io.makegood.credit;

import java.time.Clock;

import io.makegood.audience.SnapshotAccount;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/** Applies the incident's compensation policy to one frozen account. */
public class GrantProcessor implements ItemProcessor<SnapshotAccount, GrantedCredit> {

	private final CompensationPolicy policy;

	private final Clock clock;

	public GrantProcessor(CompensationPolicy policy, Clock clock) {
		this.policy = policy;
		this.clock = clock;
	}

	@Override
	public GrantedCredit process(SnapshotAccount account) {
		return new GrantedCredit(account, policy.grant(account.row(), clock.instant()));
	}

}
