package com.bedrockportal.alerts;

import java.time.Instant;

/**
 * One alert as the inbox shows it. {@code application} and {@code businessUnit} are display names (null when the
 * condition has none, e.g. a unit budget has no application); {@code keyPrefix} the key's first characters.
 */
public record Alert(long id, Rule rule, Severity severity, Status status, String fingerprint, Long applicationId,
        String application, Long businessUnitId, String businessUnit, Long keyId, String keyPrefix, String title,
        String evidence, long measure, String marks, Instant firstSeenAt, Instant lastSeenAt, int occurrences,
        Instant createdAt, String actedBy, Instant actedAt, Action action, String reason, Long compromiseCaseId) {

    /** What raised it: one per rule of {@code portal.alerts.rules.*}. */
    public enum Rule {
        /** Month-to-date spend over the budget's alert threshold, or the forecast over 100 % of the budget. */
        SPEND_OVER_BUDGET,
        /** At least N calls refused with AccessDenied within M minutes, for one application. */
        DENIED_BURST,
        /** Calls from an address outside the application's approved IP ranges. */
        OUTSIDE_IP_RANGE,
        /** A key that has not been used for the configured number of days (suggests revoking it). */
        KEY_UNUSED,
        /** A Bedrock API key or an IAM user created in AWS outside the portal (an open drift finding). */
        CREATED_OUTSIDE_PORTAL
    }

    public enum Severity {
        LOW, MEDIUM, HIGH, CRITICAL
    }

    public enum Status {
        OPEN, ACTED, DISMISSED
    }

    /** What security did about it. */
    public enum Action {
        KEY_DISABLED, COMPROMISE_OPENED, DISMISSED
    }

    public boolean open() {
        return status == Status.OPEN;
    }
}
