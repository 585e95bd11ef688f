package com.bedrockportal.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/**
 * An <b>estimate</b> of Amazon Bedrock's on-demand prices per 1,000 tokens (USD, us-east-1, standard tier) for the
 * catalog's models, from AWS's public Bedrock pricing page as of late 2025. It prices the simulated account's calls so
 * that the embedded default shows plausible spend; it is never used for real money: in {@code aws} mode spend comes
 * from Cost Explorer and Budgets. Cross-region inference profiles ({@code us.}, {@code eu.}) are priced as their
 * foundation model.
 */
public final class ModelPrices {

    /** Input and output price per 1,000 tokens, in USD. */
    public record Price(BigDecimal inputPer1k, BigDecimal outputPer1k) {

        /** What a call with these token counts costs, in USD (6 decimals). */
        public BigDecimal cost(long inputTokens, long outputTokens) {
            return inputPer1k.multiply(BigDecimal.valueOf(inputTokens))
                    .add(outputPer1k.multiply(BigDecimal.valueOf(outputTokens)))
                    .divide(BigDecimal.valueOf(1000), 6, RoundingMode.HALF_UP);
        }
    }

    /** The price of models this table does not know: Nova Lite's. */
    public static final String FALLBACK_MODEL = "amazon.nova-lite-v1:0";

    private static final Map<String, Price> PRICES = Map.ofEntries(
            price("anthropic.claude-sonnet-4-5-20250929-v1:0", "0.003", "0.015"),
            price("anthropic.claude-haiku-4-5-20251001-v1:0", "0.001", "0.005"),
            price("anthropic.claude-opus-4-1-20250805-v1:0", "0.015", "0.075"),
            price("anthropic.claude-3-5-haiku-20241022-v1:0", "0.0008", "0.004"),
            price("anthropic.claude-v2:1", "0.008", "0.024"),
            price("amazon.nova-pro-v1:0", "0.0008", "0.0032"),
            price("amazon.nova-lite-v1:0", "0.00006", "0.00024"),
            price("amazon.nova-micro-v1:0", "0.000035", "0.00014"),
            price("amazon.titan-embed-text-v2:0", "0.00002", "0"),
            price("meta.llama3-3-70b-instruct-v1:0", "0.00072", "0.00072"),
            price("meta.llama4-maverick-17b-instruct-v1:0", "0.00024", "0.00097"),
            price("mistral.mistral-large-2407-v1:0", "0.002", "0.006"),
            price("mistral.pixtral-large-2502-v1:0", "0.002", "0.006"));

    private ModelPrices() {
    }

    private static Map.Entry<String, Price> price(String model, String in, String out) {
        return Map.entry(model, new Price(new BigDecimal(in), new BigDecimal(out)));
    }

    /** The model's estimated price; an inference profile's is its foundation model's. */
    public static Optional<Price> of(String modelId) {
        if (modelId == null) {
            return Optional.empty();
        }
        String id = modelId.substring(modelId.lastIndexOf('/') + 1);
        Price p = PRICES.get(id);
        if (p == null && id.matches("^(us|eu|apac|global)\\..*")) {
            p = PRICES.get(id.substring(id.indexOf('.') + 1));
        }
        return Optional.ofNullable(p);
    }

    /** The model's price, or the fallback model's. */
    public static Price orFallback(String modelId) {
        return of(modelId).orElse(PRICES.get(FALLBACK_MODEL));
    }

    /** Whether the model only reads (embeddings): its calls have no output tokens. */
    public static boolean embeddings(String modelId) {
        return modelId != null && modelId.contains("embed");
    }
}
