package com.bedrockportal.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The estimate's maths: 30-day month, volume spread evenly, per-1k prices, budget comparison. */
class CostEstimateTest {

    static final LocalDate CHECKED = LocalDate.of(2025, 11, 15);
    static final CatalogModel NOVA = model("amazon.nova-lite-v1:0", CatalogModel.Kind.FOUNDATION_MODEL, null);
    static final CatalogModel SONNET = model("us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            CatalogModel.Kind.INFERENCE_PROFILE, "anthropic.claude-sonnet-4-5-20250929-v1:0");
    static final CatalogModel EMBED = model("amazon.titan-embed-text-v2:0", CatalogModel.Kind.FOUNDATION_MODEL, null);
    static final CatalogModel UNPRICED = model("acme.new-v1:0", CatalogModel.Kind.FOUNDATION_MODEL, null);
    static final Map<String, ModelPriceTable.Row> PRICES = Map.of(
            NOVA.modelId(), row("amazon.nova-lite-v1:0", "0.00006", "0.00024"),
            SONNET.modelId(), row("anthropic.claude-sonnet-4-5-20250929-v1:0", "0.003", "0.015"),
            EMBED.modelId(), row("amazon.titan-embed-text-v2:0", "0.00002", "0"));
    static final BigDecimal FIVE = new BigDecimal("5");

    static CatalogModel model(String id, CatalogModel.Kind kind, String foundation) {
        return new CatalogModel(1, id, "P", id, kind, foundation, "arn", List.of("us-east-1"), true, Instant.EPOCH);
    }

    static ModelPriceTable.Row row(String id, String in, String out) {
        return new ModelPriceTable.Row(id, new BigDecimal(in), new BigDecimal(out), CHECKED, null);
    }

    @Test
    void oneModelsMonthIsThirtyDaysOfCallsAtItsPerThousandPrices() {
        // 1,000 calls/day × 30 = 30,000 calls; each 2,000 in × $0.003/1k + 500 out × $0.015/1k = $0.0135 → $405.00
        CostEstimate.Estimate e = CostEstimate.estimate(List.of(SONNET), PRICES,
                new CostEstimate.Volume(1000, 2000, 500), new BigDecimal("500"), FIVE);
        assertThat(e.lines().get(0).monthlyCost()).isEqualByComparingTo("405.00");
        assertThat(e.total()).isEqualByComparingTo("405.00");
        assertThat(e.check()).isEqualTo(CostEstimate.BudgetCheck.FITS);
    }

    @Test
    void theVolumeIsSpreadEvenlyOverTheChosenModels() {
        CostEstimate.Estimate e = CostEstimate.estimate(List.of(SONNET, NOVA), PRICES,
                new CostEstimate.Volume(1000, 2000, 500), new BigDecimal("500"), FIVE);
        // 15,000 calls each: Sonnet $202.50; Nova Lite 15,000 × (2×0.00006 + 0.5×0.00024) = 15,000 × 0.00024 = $3.60
        assertThat(e.lines()).extracting(CostEstimate.Line::monthlyCost).containsExactly(new BigDecimal("202.50"),
                new BigDecimal("3.60"));
        assertThat(e.total()).isEqualByComparingTo("206.10");
    }

    @Test
    void embeddingsHaveNoOutputTokensAndUnpricedModelsAreNamedNotGuessed() {
        CostEstimate.Estimate e = CostEstimate.estimate(List.of(EMBED, UNPRICED), PRICES,
                new CostEstimate.Volume(10_000, 1000, 1000), new BigDecimal("10"), FIVE);
        // 150,000 calls × 1,000 in × $0.00002/1k = $3.00; output ignored
        assertThat(e.lines().get(0).monthlyCost()).isEqualByComparingTo("3.00");
        assertThat(e.lines().get(1).monthlyCost()).isNull();
        assertThat(e.lines().get(1).price()).isNull();
        assertThat(e.total()).isEqualByComparingTo("3.00");
    }

    @Test
    void aBudgetBelowTheEstimateOrFarAboveItIsFlagged() {
        CostEstimate.Volume volume = new CostEstimate.Volume(1000, 2000, 500);
        assertThat(CostEstimate.estimate(List.of(SONNET), PRICES, volume, new BigDecimal("404.99"), FIVE).check())
                .isEqualTo(CostEstimate.BudgetCheck.BELOW);
        assertThat(CostEstimate.estimate(List.of(SONNET), PRICES, volume, new BigDecimal("2025"), FIVE).check())
                .isEqualTo(CostEstimate.BudgetCheck.FITS);
        assertThat(CostEstimate.estimate(List.of(SONNET), PRICES, volume, new BigDecimal("2025.01"), FIVE).check())
                .isEqualTo(CostEstimate.BudgetCheck.FAR_ABOVE);
    }

    @Test
    void withoutACompleteVolumeThereIsNoEstimateButThePricesShow() {
        CostEstimate.Estimate e = CostEstimate.estimate(List.of(NOVA), PRICES, new CostEstimate.Volume(1000, null, 10),
                new BigDecimal("100"), FIVE);
        assertThat(e.total()).isNull();
        assertThat(e.check()).isEqualTo(CostEstimate.BudgetCheck.NO_ESTIMATE);
        assertThat(e.lines().get(0).price().inputPer1k()).isEqualByComparingTo("0.00006");
    }

    @Test
    void theLargestVolumeDoesNotOverflow() {
        CostEstimate.Estimate e = CostEstimate.estimate(List.of(SONNET), PRICES, new CostEstimate.Volume(10_000_000,
                1_000_000, 1_000_000), new BigDecimal("100000"), FIVE);
        // 300,000,000 calls × (1,000 × 0.003 + 1,000 × 0.015) = 300,000,000 × 18 = 5,400,000,000
        assertThat(e.total()).isEqualByComparingTo("5400000000.00");
        assertThat(e.check()).isEqualTo(CostEstimate.BudgetCheck.BELOW);
    }

    @Test
    void theSeededTableMatchesTheSandboxsPrices() {
        for (Map.Entry<String, ModelPriceTable.Row> e : PRICES.entrySet()) {
            ModelPrices.Price seed = ModelPrices.of(e.getValue().modelId()).orElseThrow();
            assertThat(seed.inputPer1k()).isEqualByComparingTo(e.getValue().inputPer1k());
            assertThat(seed.outputPer1k()).isEqualByComparingTo(e.getValue().outputPer1k());
        }
    }
}
