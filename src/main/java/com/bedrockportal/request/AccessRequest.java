package com.bedrockportal.request;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A request for Bedrock access for one application of a business unit, as submitted: {@code applicationSlug} and
 * {@code applicationName} name the application it creates; {@code applicationId} is set once that exists (or, for a
 * request that changes an application, from the start).
 */
public record AccessRequest(long id, long businessUnitId, String requester, String purpose, List<String> models,
        List<String> regions, List<String> sourceCidrs, int lifetimeDays, BigDecimal monthlyBudget,
        int alertThreshold, List<String> alertEmails, boolean storeSecret, String ownerEmail,
        DataClassification dataClassification, RequestStatus status, Instant createdAt, Instant updatedAt,
        Long applicationId, String applicationSlug, String applicationName) {
}
