package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.util.Set;

import com.bedrockportal.shared.FieldErrors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BusinessUnitRulesTest {

    @ParameterizedTest
    @ValueSource(strings = { "marketing", "data-science", "bu.7", "a", "x_y", "a23456789012345678901234567890123456789012345678901" })
    void acceptsSlugsThatMakeValidIamUserNames(String slug) {
        assertThat(errorsFor(draft(slug))).doesNotContainKey("slug");
        assertThat(BusinessUnit.iamUserName(slug)).hasSizeLessThanOrEqualTo(64).matches("[A-Za-z0-9+=,.@_-]+");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "Marketing", "-marketing", "marketing-", "mark eting", "märketing", "a/b",
            "bu!", "a234567890123456789012345678901234567890123456789012" })
    void rejectsSlugsThatWouldBreakIamNamingOrLookOdd(String slug) {
        assertThat(errorsFor(draft(slug))).containsKey("slug");
    }

    @Test
    void slugLimitFollowsFromIamsSixtyFourCharacterUserNames() {
        assertThat(BusinessUnitRules.SLUG_MAX).isEqualTo(51);
    }

    @Test
    void reportsEveryBadFieldAtOnce() {
        BusinessUnitDraft d = new BusinessUnitDraft();
        d.setSlug("ok");
        d.setDefaultMonthlyBudget(new BigDecimal("0"));
        d.setOwnerEmail("nope");
        d.setCostCenter("<script>");
        d.setManagers(Set.of("bad user"));
        assertThat(errorsFor(d)).containsKeys("displayName", "costCenter", "ownerEmail", "defaultMonthlyBudget",
                "managers");
    }

    @ParameterizedTest
    @ValueSource(strings = { "-1", "0", "1000000.01", "10.001" })
    void rejectsBudgetsOutsideOneCentToAMillion(String budget) {
        BusinessUnitDraft d = draft("ok");
        d.setDefaultMonthlyBudget(new BigDecimal(budget));
        assertThat(errorsFor(d)).containsKey("defaultMonthlyBudget");
    }

    @Test
    void needsAtLeastOneManager() {
        BusinessUnitDraft d = draft("ok");
        d.setManagers(Set.of());
        assertThat(errorsFor(d).get("managers")).contains("at least one manager");
    }

    private static java.util.Map<String, String> errorsFor(BusinessUnitDraft d) {
        FieldErrors.Collector collector = new FieldErrors.Collector();
        BusinessUnitRules.validate(d, true, collector);
        try {
            collector.throwIfAny();
            return java.util.Map.of();
        } catch (FieldErrors e) {
            return e.errors();
        }
    }

    private static BusinessUnitDraft draft(String slug) {
        BusinessUnitDraft d = new BusinessUnitDraft();
        d.setSlug(slug);
        d.setDisplayName("Unit");
        d.setCostCenter("CC-1");
        d.setOwnerEmail("owner@example.com");
        d.setDefaultMonthlyBudget(new BigDecimal("100"));
        d.setManagers(Set.of("mike"));
        return d;
    }

    @Test
    void fieldErrorsCarryNoPartialSave() {
        assertThatThrownBy(() -> new FieldErrors.Collector().add("slug", "x").throwIfAny())
                .isInstanceOf(FieldErrors.class).hasMessageContaining("slug");
    }
}
