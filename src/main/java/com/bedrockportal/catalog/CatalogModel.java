package com.bedrockportal.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A Bedrock model requesters may choose: a foundation model, or a cross-region inference profile that routes to
 * one. {@code arnPattern} holds {@code {region}} and {@code {account}} placeholders.
 */
public record CatalogModel(long id, String modelId, String provider, String displayName, Kind kind,
        String foundationModelId, String arnPattern, List<String> regions, boolean enabled, Instant updatedAt) {

    public enum Kind {
        FOUNDATION_MODEL, INFERENCE_PROFILE
    }

    public boolean availableIn(String region) {
        return regions.contains(region);
    }

    /** The ARN of this model (or profile) in a region of an account. */
    public String arn(String region, String accountId) {
        return arnPattern.replace("{region}", region).replace("{account}", accountId);
    }

    public String label() {
        return provider + " · " + displayName;
    }
}
