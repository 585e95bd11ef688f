package com.bedrockportal.request;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A request for Bedrock access for one application of a business unit, as submitted. A {@link Kind#NEW} request names
 * the application it creates ({@code applicationSlug}, {@code applicationName}; {@code applicationId} is set once
 * provisioning has created it); a {@link Kind#CHANGE} names the application it changes from the start, and
 * {@code baseline} holds that application's access when the request was submitted. {@code renewal}: a change asked
 * through the expiry watch's Renew (a new key with the same access; see {@link AccessChange}). {@code shortTermOnly}:
 * the application uses 12-hour keys only (an IAM role, no long-term key); a change inherits it from its application.
 */
public record AccessRequest(long id, long businessUnitId, String requester, String purpose, List<String> models,
        List<String> regions, List<String> sourceCidrs, int lifetimeDays, BigDecimal monthlyBudget,
        int alertThreshold, List<String> alertEmails, boolean storeSecret, String ownerEmail,
        DataClassification dataClassification, RequestStatus status, Instant createdAt, Instant updatedAt,
        Long applicationId, String applicationSlug, String applicationName, Kind kind, boolean newKey,
        boolean securityReview, Baseline baseline, boolean renewal, boolean shortTermOnly) {

    /** A request for long-term keys (before 12-hour keys existed, every request). */
    public AccessRequest(long id, long businessUnitId, String requester, String purpose, List<String> models,
            List<String> regions, List<String> sourceCidrs, int lifetimeDays, BigDecimal monthlyBudget,
            int alertThreshold, List<String> alertEmails, boolean storeSecret, String ownerEmail,
            DataClassification dataClassification, RequestStatus status, Instant createdAt, Instant updatedAt,
            Long applicationId, String applicationSlug, String applicationName, Kind kind, boolean newKey,
            boolean securityReview, Baseline baseline, boolean renewal) {
        this(id, businessUnitId, requester, purpose, models, regions, sourceCidrs, lifetimeDays, monthlyBudget,
                alertThreshold, alertEmails, storeSecret, ownerEmail, dataClassification, status, createdAt, updatedAt,
                applicationId, applicationSlug, applicationName, kind, newKey, securityReview, baseline, renewal,
                false);
    }

    public enum Kind {
        /** Creates an application (with its IAM user, policy, key, budget). */
        NEW,
        /** Changes an existing application's access in place. */
        CHANGE
    }

    /** The application's access a change starts from, as it was at submission. */
    public record Baseline(List<String> models, List<String> regions, List<String> sourceCidrs, int lifetimeDays,
            BigDecimal monthlyBudget, boolean storeSecret, DataClassification dataClassification) {
    }

    public boolean isChange() {
        return kind == Kind.CHANGE;
    }

    /** What this change adds and removes; empty for a new application. */
    public AccessChange change() {
        return baseline == null ? AccessChange.NONE : AccessChange.between(baseline, this);
    }
}
