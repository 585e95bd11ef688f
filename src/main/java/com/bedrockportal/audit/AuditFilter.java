package com.bedrockportal.audit;

import java.time.Instant;

/**
 * Filter for the audit view and export. Blank or null parts match everything. Actor and target match as
 * case-insensitive substrings; action matches exactly; the time range is inclusive of {@code from}, exclusive of
 * {@code to}.
 */
public record AuditFilter(String actor, String action, String target, Instant from, Instant to) {

    /** Longest actor, action or target text a filter takes (the columns are no wider). */
    public static final int TEXT_MAX = 200;

    public AuditFilter {
        actor = cap(actor);
        action = cap(action);
        target = cap(target);
    }

    private static String cap(String text) {
        return text == null || text.length() <= TEXT_MAX ? text : text.substring(0, TEXT_MAX);
    }

    public static AuditFilter none() {
        return new AuditFilter(null, null, null, null, null);
    }
}
