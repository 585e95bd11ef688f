package com.bedrockportal.audit;

import java.time.Instant;

/**
 * Filter for the audit view and export. Blank or null parts match everything. Actor and target match as
 * case-insensitive substrings; action matches exactly; the time range is inclusive of {@code from}, exclusive of
 * {@code to}.
 */
public record AuditFilter(String actor, String action, String target, Instant from, Instant to) {

    public static AuditFilter none() {
        return new AuditFilter(null, null, null, null, null);
    }
}
