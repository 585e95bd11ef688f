package com.bedrockportal.workflow;

import java.time.Instant;
import java.util.List;

/** A decision waiting in someone's inbox. */
public record PendingApproval(String taskId, long requestId, Stage stage, String businessUnit, String requester,
        Instant waitingSince, String claimedBy, List<RiskFlag> riskFlags) {
}
