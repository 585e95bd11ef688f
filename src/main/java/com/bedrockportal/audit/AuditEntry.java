package com.bedrockportal.audit;

import java.time.Instant;

/** One row of the audit log, as stored. */
public record AuditEntry(long seq, Instant occurredAt, String actor, String action, String target, String details,
        String prevHash, String hash) {
}
