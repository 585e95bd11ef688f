package com.bedrockportal.evidence;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A unit's (or every unit's) evidence for a period: each application with a summary of the same sections as its own
 * pack, counted within the period (dates inclusive, UTC), and the controls as they stand when the pack is made.
 */
public record UnitPack(String scope, LocalDate from, LocalDate to, Instant generatedAt, String generatedBy,
        List<ApplicationSummary> applications, EvidencePack.ChainProof chain, List<String> truncated) {

    public record ApplicationSummary(long applicationId, String application, String unit, String owner,
            String status, String dataClassification, int requests, int approvals, int keysCreated, int workingKeys,
            Instant oldestWorkingKey, int keyEvents, int accessReviews, String lastAccessReview, int alerts,
            int compromiseCases, List<EvidencePack.ControlItem> controls) {
    }
}
