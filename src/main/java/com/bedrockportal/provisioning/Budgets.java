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

    /**
     * A monthly COST budget limited to Bedrock and one business unit's cost-allocation tag and, when
     * {@code applicationTag} is set, to that application's tag as well (both tags must match: an application's slug
     * is unique only within its unit). Without it the budget counts the whole unit (the unit-wide budget, and the
     * budget of an application migrated from the one-user-per-unit model, whose IAM user has no application tag).
     */
    record BudgetSpec(String name, BigDecimal amountUsd, String businessUnitTag, List<BudgetAlert> alerts,
            String applicationTag) {

        /** A budget of the whole unit (no application tag). */
        public BudgetSpec(String name, BigDecimal amountUsd, String businessUnitTag, List<BudgetAlert> alerts) {
            this(name, amountUsd, businessUnitTag, alerts, null);
        }
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
