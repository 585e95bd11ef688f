package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

/** A business unit: who may request Bedrock access for it, who approves, and its default budget. */
public record BusinessUnit(long id, String slug, String displayName, String costCenter, String ownerEmail,
        BigDecimal defaultMonthlyBudget, boolean archived, Set<String> managers, Set<String> members,
        Instant createdAt, Instant updatedAt, int version) {

    /** How the IAM users of this unit's applications are named (the application module derives and records them). */
    public static String iamUserPattern(String slug) {
        return slug + "-{application}-bedrock";
    }
}
