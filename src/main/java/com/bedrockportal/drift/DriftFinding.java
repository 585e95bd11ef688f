package com.bedrockportal.drift;

import java.time.Instant;

/**
 * Something in AWS that differs from the portal's records. {@code resource} names it (a credential id, a policy,
 * budget or secret name, an IAM user) — never a key or secret value. Open while {@code resolvedAt} is null.
 */
public record DriftFinding(long id, Kind kind, Long applicationId, String application, String iamUser,
        String resource, String observed, String detail, Instant firstSeenAt, Instant lastSeenAt, Instant resolvedAt,
        Resolution resolution, String resolvedBy, String resolutionReason) {

    /** What differs. */
    public enum Kind {
        /** A Bedrock API key on an application's IAM user that the portal did not create (or had revoked). */
        KEY_OUTSIDE_PORTAL,
        /** A key the portal holds as live is gone from AWS. */
        KEY_DELETED_IN_AWS,
        /** A key the portal holds as active is Inactive in AWS. */
        KEY_DISABLED_IN_AWS,
        /** A key the portal disabled is Active in AWS again. */
        KEY_REENABLED_IN_AWS,
        /** The inline policy differs from the one the portal builds from the application's approved access. */
        POLICY_EDITED,
        /** The application's inline policy is gone. */
        POLICY_MISSING,
        /** The application's recorded budget is gone. */
        BUDGET_MISSING,
        /** The application's recorded Secrets Manager copy is gone. */
        SECRET_MISSING,
        /** The application's recorded IAM user is gone. */
        IAM_USER_MISSING,
        /** An IAM user under the portal's path that no application records. */
        UNKNOWN_IAM_USER
    }

    /** How a finding ended. */
    public enum Resolution {
        /** The drift disappeared (a later run no longer saw it). */
        AUTO,
        /** Security took AWS's state into the portal (a key adopted, a key recorded disabled or deleted). */
        ADOPTED,
        /** Security re-applied the portal's policy. */
        REAPPLIED,
        /** Security set the key Inactive in AWS. */
        DISABLED
    }

    /** What security may do about a finding. */
    public enum Action {
        ADOPT, REAPPLY_POLICY, DISABLE
    }

    public boolean open() {
        return resolvedAt == null;
    }

    /** The actions this finding offers (the service checks again, against AWS, when one is taken). */
    public java.util.Set<Action> actions() {
        if (!open()) {
            return java.util.Set.of();
        }
        return switch (kind) {
            case KEY_OUTSIDE_PORTAL -> "Inactive".equals(observed) ? java.util.Set.of(Action.ADOPT)
                    : java.util.Set.of(Action.ADOPT, Action.DISABLE);
            case KEY_DELETED_IN_AWS, KEY_DISABLED_IN_AWS -> java.util.Set.of(Action.ADOPT);
            case KEY_REENABLED_IN_AWS -> java.util.Set.of(Action.DISABLE);
            case POLICY_EDITED, POLICY_MISSING -> java.util.Set.of(Action.REAPPLY_POLICY);
            default -> java.util.Set.of();
        };
    }
}
