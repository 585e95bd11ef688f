package com.bedrockportal.request;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A request for Bedrock access for one business unit, as submitted. */
public record AccessRequest(long id, long businessUnitId, String requester, String purpose, List<String> models,
        List<String> regions, List<String> sourceCidrs, int lifetimeDays, BigDecimal monthlyBudget,
        int alertThreshold, List<String> alertEmails, boolean storeSecret, String ownerEmail,
        DataClassification dataClassification, RequestStatus status, Instant createdAt, Instant updatedAt) {
}
