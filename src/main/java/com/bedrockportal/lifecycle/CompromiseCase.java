package com.bedrockportal.lifecycle;

import java.time.Duration;
import java.time.Instant;

/**
 * A reported compromise of one key, as {@link Compromises} records it: who reported it and why, when AWS confirmed
 * the key Inactive, the evidence snapshot's state, security's triage, the rotation, the owner's post-incident report.
 * Names the key by id and its first characters only.
 */
public record CompromiseCase(long id, long keyId, Long applicationId, long businessUnitId, String keyPrefix,
        String iamUser, Source source, String reportedBy, String reason, Instant reportedAt, Status status,
        Instant disabledAt, int disableAttempts, String lastError, Instant notifiedAt, Instant evidenceAt,
        String trailNote, boolean trailTruncated, String spendNote, int spendDays, Triage triageDecision, String triageBy,
        String triageReason, Instant triageAt, Instant reenabledAt, Long rotationId, String rotationNote,
        Instant oldKeyDeletedAt, Instant reportDueAt, String reportWhat, String reportRootCause, String reportActions,
        String reportBy, Instant reportAt, Instant escalatedAt, Instant closedAt) {

    /** How the compromise was reported. */
    public enum Source {
        /** A person who can see the key pressed "Report compromised" on its page. */
        USER_REPORT,
        /** Security pasted the leaked key (or its beginning) into "Report a leaked key". */
        LEAK_FORM,
        /** A secret-scanning alert arrived at the signed endpoint. */
        SCANNER
    }

    /** Where the case stands. */
    public enum Status {
        /** Waiting for AWS to confirm the key Inactive (retried while AWS does not answer). */
        DISABLING,
        /** Disabled; evidence gathered (or being gathered); waits for security's triage. */
        TRIAGE,
        /** Security called it a false alarm: the key is being set Active again. */
        REENABLING,
        /** Confirmed: rotation started, the old key being deleted. */
        ROTATING,
        /** Waits for the owner's post-incident report. */
        REPORT_DUE,
        /** Report received; the case is over. */
        CLOSED,
        /** A false alarm: the key works again; the case is over. */
        FALSE_ALARM;

        public boolean open() {
            return this != CLOSED && this != FALSE_ALARM;
        }
    }

    /** Security's triage decision. */
    public enum Triage {
        CONFIRMED, FALSE_ALARM
    }

    /** From the report to AWS confirming the key Inactive; null while disabling. */
    public Duration timeToInactive() {
        return disabledAt == null ? null : Duration.between(reportedAt, disabledAt);
    }
}
