package com.bedrockportal.testsupport;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitDraft;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.DataClassification;
import com.bedrockportal.request.RequestDraft;

/**
 * Test data. Each test gets units of its own: AWS allows two keys per IAM user, and a unit's user outlives a test.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** A new unit (unique slug {@code prefix-xxxxxxxx}), created by adam. */
    public static BusinessUnit unit(BusinessUnitService units, String prefix, Set<String> managers,
            Set<String> members) {
        BusinessUnitDraft d = new BusinessUnitDraft();
        d.setSlug(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        d.setDisplayName(prefix + " " + d.getSlug());
        d.setCostCenter("CC-" + prefix.toUpperCase());
        d.setOwnerEmail("owner@example.com");
        d.setDefaultMonthlyBudget(new BigDecimal("500"));
        d.setManagers(managers);
        d.setMembers(members);
        return RunAs.user("adam", () -> units.create(d), "ADMIN");
    }

    /** A unit managed by mike with alice as member. */
    public static BusinessUnit unit(BusinessUnitService units, String prefix) {
        return unit(units, prefix, Set.of("mike"), Set.of("alice"));
    }

    /** A complete, valid request for Nova Lite in us-east-1. */
    public static RequestDraft request(long businessUnitId) {
        RequestDraft d = new RequestDraft();
        d.setBusinessUnitId(businessUnitId);
        d.setPurpose("Summarise support tickets for the weekly review meeting.");
        d.setModels(List.of("amazon.nova-lite-v1:0"));
        d.setRegions(List.of("us-east-1"));
        d.setLifetimeDays(14);
        d.setMonthlyBudget(new BigDecimal("200"));
        d.setAlertThreshold(80);
        d.setAlertEmails("alice@example.com");
        d.setOwnerEmail("alice@example.com");
        d.setDataClassification(DataClassification.INTERNAL);
        return d;
    }
}
