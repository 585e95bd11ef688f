package com.bedrockportal.audit;

import java.time.Instant;

/**
 * One row of the audit log, as stored: {@code chainKey} is the id of the key its hash is an HMAC under, null for rows
 * written before the chain was keyed (plain SHA-256).
 */
public record AuditEntry(long seq, Instant occurredAt, String actor, String action, String target, String details,
        String prevHash, String hash, String chainKey) {
}
