-- An IN_DOUBT message may have been delivered, and a receiver that deduplicates by Message-ID keeps that first
-- copy and drops the resend. One live link per (incident, account, purpose) made the resend's new token replace
-- the first copy's, so the customer was left holding a dead link. Every issued link now stays valid until its
-- credit expires; they all lead to the same credit, which can still be applied only once.
drop index mg_claim_token_link_ux;
