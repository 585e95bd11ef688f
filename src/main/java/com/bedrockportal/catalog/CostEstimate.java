package com.bedrockportal.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The estimated monthly cost of an expected volume: a 30-day month of {@code requestsPerDay} calls, spread evenly over
 * the chosen models, each call with the given input and output tokens, at the price table's per-1,000-token prices
 * (an embeddings model's calls have no output tokens). Pure maths, in USD, rounded to cents per model; the total is
 * the sum of the models' lines. Compared with the budget: below the estimate, or more than {@code farAboveFactor}
 * times it, is worth a warning.
 */
public final class CostEstimate {

    public static final int DAYS_PER_MONTH = 30;

    /** The expected volume; all three must be given for an estimate. */
    public record Volume(Integer requestsPerDay, Integer inputTokensPerRequest, Integer outputTokensPerRequest) {

        public boolean complete() {
            return requestsPerDay != null && inputTokensPerRequest != null && outputTokensPerRequest != null;
        }
    }

    /** One model's share: its monthly cost, or null when the table has no price for it. */
    public record Line(CatalogModel model, BigDecimal monthlyCost, ModelPriceTable.Row price) {
    }

    /** How the budget compares with the estimate. */
    public enum BudgetCheck {
        /** No complete volume or no priced model: nothing to compare. */
        NO_ESTIMATE,
        /** The budget is below the estimate: the budget alerts will fire and spend will overrun it. */
        BELOW,
        /** The budget is more than the factor times the estimate: it guards little against a leaked key. */
        FAR_ABOVE,
        FITS
    }

    public record Estimate(List<Line> lines, BigDecimal total, BigDecimal budget, BudgetCheck check) {
    }

    private CostEstimate() {
    }

    public static Estimate estimate(List<CatalogModel> models, Map<String, ModelPriceTable.Row> prices, Volume volume,
            BigDecimal budget, BigDecimal farAboveFactor) {
        List<Line> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        boolean priced = false;
        for (CatalogModel m : models) {
            ModelPriceTable.Row row = prices.get(m.modelId());
            if (row == null || !volume.complete()) {
                lines.add(new Line(m, null, row));
                continue;
            }
            BigDecimal calls = BigDecimal.valueOf((long) volume.requestsPerDay() * DAYS_PER_MONTH)
                    .divide(BigDecimal.valueOf(models.size()), 10, RoundingMode.HALF_UP);
            long output = ModelPrices.embeddings(m.modelId()) ? 0 : volume.outputTokensPerRequest();
            BigDecimal perCall = row.inputPer1k().multiply(BigDecimal.valueOf(volume.inputTokensPerRequest()))
                    .add(row.outputPer1k().multiply(BigDecimal.valueOf(output)))
                    .divide(BigDecimal.valueOf(1000), 12, RoundingMode.HALF_UP);
            BigDecimal monthly = perCall.multiply(calls).setScale(2, RoundingMode.HALF_UP);
            lines.add(new Line(m, monthly, row));
            total = total.add(monthly);
            priced = true;
        }
        BudgetCheck check;
        if (!priced || budget == null) {
            check = BudgetCheck.NO_ESTIMATE;
        } else if (budget.compareTo(total) < 0) {
            check = BudgetCheck.BELOW;
        } else if (total.signum() > 0 && budget.compareTo(total.multiply(farAboveFactor)) > 0) {
            check = BudgetCheck.FAR_ABOVE;
        } else {
            check = BudgetCheck.FITS;
        }
        return new Estimate(List.copyOf(lines), priced ? total : null, budget, check);
    }
}
