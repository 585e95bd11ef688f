package com.bedrockportal.provisioning;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Port: the monthly AWS Budgets of business units. Implemented by the AWS SDK adapter and the simulated account,
 * held to {@code BudgetsContract}. Failures are {@link CloudException}s.
 */
public interface Budgets {

    /** An alert of a budget: ACTUAL or FORECASTED spend above a percentage of the amount, to these addresses. */
    record BudgetAlert(String type, int thresholdPercent, List<String> emails) {
    }

    /** A monthly COST budget limited to Bedrock and one business unit's cost-allocation tag. */
    record BudgetSpec(String name, BigDecimal amountUsd, String businessUnitTag, List<BudgetAlert> alerts) {
    }

    Optional<BudgetSpec> findBudget(String budgetName);

    /** @throws CloudException ALREADY_EXISTS */
    void createBudget(BudgetSpec spec);

    /** Replaces amount, filters and alerts of an existing budget. */
    void updateBudget(BudgetSpec spec);

    // --- Decommissioning (teardown of an application's resources)

    /**
     * Deletes a budget with its alerts. Idempotent: a missing budget counts as deleted.
     *
     * @return true if this call deleted it, false if there was none
     */
    boolean deleteBudget(String budgetName);
}
