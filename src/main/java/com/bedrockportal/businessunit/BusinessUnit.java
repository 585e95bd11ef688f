package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

/** A business unit: who may request Bedrock access for it, who approves, and its default budget. */
public record BusinessUnit(long id, String slug, String displayName, String costCenter, String ownerEmail,
        BigDecimal defaultMonthlyBudget, boolean archived, Set<String> managers, Set<String> members,
        Instant createdAt, Instant updatedAt, int version) {

    /** The IAM user that provisioning creates for this unit. */
    public String iamUserName() {
        return iamUserName(slug);
    }

    public static String iamUserName(String slug) {
        return slug + "-bedrock-user";
    }
}
