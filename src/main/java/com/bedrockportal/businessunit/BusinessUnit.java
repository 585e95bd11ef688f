package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * A business unit: who may request Bedrock access for it, who approves, its default budget and the default
 * scheduled rotation of its applications' keys ({@code rotateEvery}; an application may override it).
 */
public record BusinessUnit(long id, String slug, String displayName, String costCenter, String ownerEmail,
        BigDecimal defaultMonthlyBudget, boolean archived, Set<String> managers, Set<String> members,
        Instant createdAt, Instant updatedAt, int version, RotateEvery rotateEvery) {

    public BusinessUnit {
        rotateEvery = rotateEvery == null ? RotateEvery.UNIT_DEFAULT : rotateEvery;
        managers = Collections.unmodifiableSortedSet(new TreeSet<>(managers == null ? Set.of() : managers));
        members = Collections.unmodifiableSortedSet(new TreeSet<>(members == null ? Set.of() : members));
    }

    /** A unit with the default rotation (P30D). */
    public BusinessUnit(long id, String slug, String displayName, String costCenter, String ownerEmail,
            BigDecimal defaultMonthlyBudget, boolean archived, Set<String> managers, Set<String> members,
            Instant createdAt, Instant updatedAt, int version) {
        this(id, slug, displayName, costCenter, ownerEmail, defaultMonthlyBudget, archived, managers, members,
                createdAt, updatedAt, version, RotateEvery.UNIT_DEFAULT);
    }

    /** How the IAM users of this unit's applications are named (the application module derives and records them). */
    public static String iamUserPattern(String slug) {
        return slug + "-{application}-bedrock";
    }
}
