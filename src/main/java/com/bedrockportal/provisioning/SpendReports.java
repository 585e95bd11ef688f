package com.bedrockportal.provisioning;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Port: Cost Explorer's {@code GetCostAndUsage} (unblended cost, daily) of Amazon Bedrock for one business unit's
 * cost-allocation tag and, when {@code applicationTag} is set, one application's tag too — the same filter as the
 * application's budget ({@link Budgets.BudgetSpec}). Implemented by the AWS SDK adapter and the simulated account.
 * Failures are {@link CloudException}s.
 */
public interface SpendReports {

    /** The spend of one day, in USD. */
    record DailySpend(LocalDate day, BigDecimal amountUsd) {
    }

    /** Daily spend from {@code from} (inclusive) to {@code to} (exclusive), oldest first, one row per day. */
    List<DailySpend> dailySpend(String businessUnitTag, String applicationTag, LocalDate from, LocalDate to);
}
