package com.bedrockportal.application;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An application of a business unit, with the access approved last and the names of its resources in AWS.
 * {@code shortTermOnly}: it uses 12-hour keys only — {@code names.iamUser()} then names its IAM role, not a user.
 */
public record Application(long id, long businessUnitId, String slug, String displayName, String owner,
        String ownerEmail, String purpose, String dataClassification, Access access, AwsNames names, Status status,
        Long createdByRequest, Instant createdAt, Instant updatedAt, int version, boolean shortTermOnly) {

    /** An application with long-term keys (an IAM user). */
    public Application(long id, long businessUnitId, String slug, String displayName, String owner,
            String ownerEmail, String purpose, String dataClassification, Access access, AwsNames names, Status status,
            Long createdByRequest, Instant createdAt, Instant updatedAt, int version) {
        this(id, businessUnitId, slug, displayName, owner, ownerEmail, purpose, dataClassification, access, names,
                status, createdByRequest, createdAt, updatedAt, version, false);
    }

    public enum Status {
        ACTIVE, DECOMMISSIONING, DECOMMISSIONED
    }

    /** What the application may do: the access its policy, budget and keys in AWS reflect. */
    public record Access(List<String> models, List<String> regions, List<String> sourceCidrs, int lifetimeDays,
            BigDecimal monthlyBudget, int alertThreshold, List<String> alertEmails, boolean storeSecret) {
    }

    /** The names of the application's resources in AWS, as created (budget and secret: null until created). */
    public record AwsNames(String iamUser, String budgetName, String secretName) {
    }
}
