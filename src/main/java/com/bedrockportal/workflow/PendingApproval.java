package com.bedrockportal.workflow;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A decision waiting in someone's inbox; {@code application} is the application's name, {@code change} whether the
 * request changes it (else it creates it), {@code managerOnly} whether the manager's approval is the only one, and
 * {@code blockers} why it would not provision now (the "will it provision" checks that fail; empty when ready);
 * {@code models} the model ids asked for, {@code monthlyBudget} in USD, {@code lifetimeDays} the key's lifetime and
 * {@code renewal} whether the change is a renewal asked through the expiry watch.
 */
public record PendingApproval(String taskId, long requestId, Stage stage, String businessUnit, String requester,
        Instant waitingSince, String claimedBy, List<RiskFlag> riskFlags, String application, boolean change,
        boolean managerOnly, List<String> blockers, List<String> models, BigDecimal monthlyBudget,
        int lifetimeDays, boolean renewal) {
}
