package com.bedrockportal.provisioning;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Port of the usage collection: what AWS Budgets says of a budget this month ({@code DescribeBudget}: the limit,
 * {@code CalculatedSpend.ActualSpend} and {@code ForecastedSpend}). Implemented by the AWS SDK adapter and the
 * simulated account (whose actual and forecast follow its simulated spend). Failures are {@link CloudException}s.
 */
public interface BudgetReadings {

    /** A budget's month so far. {@code forecastUsd} null when AWS has no forecast yet (a new account or budget). */
    record BudgetReading(String budgetName, BigDecimal limitUsd, BigDecimal actualUsd, BigDecimal forecastUsd) {
    }

    /** The budget's reading; empty when there is no such budget. */
    Optional<BudgetReading> reading(String budgetName);
}
