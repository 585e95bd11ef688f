package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The business unit draft's field rules, with the messages of the translation bundle. */
class BusinessUnitDraftTest {

    static final FormValidation RULES = FormValidation.standalone();

    @ParameterizedTest
    @ValueSource(strings = { "marketing", "data-science", "bu.7", "a", "x_y", "a23456789012345678901234567890123456789012345678901" })
    void acceptsSlugsThatMakeValidIamUserNames(String slug) {
        assertThat(errorsFor(draft(slug))).doesNotContainKey("slug");
        assertThat(slug + "-bedrock-user").hasSizeLessThanOrEqualTo(64).matches("[A-Za-z0-9+=,.@_-]+");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "Marketing", "-marketing", "marketing-", "mark eting", "märketing", "a/b",
            "bu!", "a234567890123456789012345678901234567890123456789012" })
    void rejectsSlugsThatWouldBreakIamNamingOrLookOdd(String slug) {
        assertThat(errorsFor(draft(slug))).containsKey("slug");
    }

    @Test
    void slugMessagesSayWhy() {
        assertThat(errorsFor(draft("")).get("slug")).isEqualTo("Enter a slug, e.g. marketing.");
        assertThat(errorsFor(draft("a".repeat(52))).get("slug"))
                .isEqualTo("At most 51 characters: the IAM user {slug}-bedrock-user may have at most 64.");
        assertThat(errorsFor(draft("Research Lab!")).get("slug")).isEqualTo("Use lowercase letters, digits, '.', '_' "
                + "or '-', starting and ending with a letter or digit (it names the IAM user {slug}-bedrock-user).");
    }

    @Test
    void slugLimitFollowsFromIamsSixtyFourCharacterUserNames() {
        assertThat(BusinessUnitDraft.SLUG_MAX).isEqualTo(64 - "-bedrock-user".length());
    }

    @Test
    void reportsEveryBadFieldAtOnce() {
        BusinessUnitDraft d = new BusinessUnitDraft();
        d.setSlug("ok");
        d.setDefaultMonthlyBudget(new BigDecimal("0"));
        d.setOwnerEmail("nope");
        d.setCostCenter("<script>");
        d.setManagers(Set.of("bad user"));
        Map<String, String> errors = errorsFor(d);
        assertThat(errors).containsOnlyKeys("displayName", "costCenter", "ownerEmail", "defaultMonthlyBudget",
                "managers");
        assertThat(errors.values()).allSatisfy(message -> assertThat(message).doesNotContain("{bu.", "${"));
    }

    @Test
    void textFieldsHaveMessagesForMissingTooLongAndBadCharacters() {
        assertThat(errorsFor(with(d -> d.setDisplayName(" "))).get("displayName")).isEqualTo("Enter a display name.");
        assertThat(errorsFor(with(d -> d.setDisplayName("n".repeat(121)))).get("displayName"))
                .isEqualTo("At most 120 characters.");
        assertThat(errorsFor(with(d -> d.setCostCenter(""))).get("costCenter"))
                .isEqualTo("Enter the cost center that pays for this unit's usage.");
        assertThat(errorsFor(with(d -> d.setCostCenter("c".repeat(65)))).get("costCenter"))
                .isEqualTo("At most 64 characters.");
        assertThat(errorsFor(with(d -> d.setCostCenter("CC;1"))).get("costCenter"))
                .isEqualTo("Use letters, digits, spaces and _ . : / = + - @ only (it becomes an AWS tag).");
        assertThat(errorsFor(with(d -> d.setOwnerEmail(""))).get("ownerEmail"))
                .isEqualTo("Enter the owner's e-mail address.");
        assertThat(errorsFor(with(d -> d.setOwnerEmail("a".repeat(400) + "@example.com"))).get("ownerEmail"))
                .isEqualTo("Enter a valid e-mail address, e.g. owner@example.com.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-1|The budget must be more than 0 USD.",
        "0|The budget must be more than 0 USD.",
        "1000000.01|At most 1,000,000 USD a month.",
        "1e30|At most 1,000,000 USD a month.",
        "10.001|Use at most two decimal places." })
    void rejectsBudgetsOutsideOneCentToAMillion(String budget, String message) {
        BusinessUnitDraft d = draft("ok");
        d.setDefaultMonthlyBudget(new BigDecimal(budget));
        assertThat(errorsFor(d).get("defaultMonthlyBudget")).isEqualTo(message);
    }

    @Test
    void budgetIsRequired() {
        assertThat(errorsFor(with(d -> d.setDefaultMonthlyBudget(null))).get("defaultMonthlyBudget"))
                .isEqualTo("Enter a default monthly budget in USD.");
    }

    @Test
    void needsAtLeastOneManager() {
        BusinessUnitDraft d = draft("ok");
        d.setManagers(Set.of());
        assertThat(errorsFor(d).get("managers")).isEqualTo("Name at least one manager who approves this unit's requests.");
    }

    @Test
    void peopleMustBeUsernamesAndTheirCountIsCapped() {
        assertThat(errorsFor(with(d -> d.setManagers(Set.of("bad user")))).get("managers"))
                .isEqualTo("'bad user' is not a valid username.");
        assertThat(errorsFor(with(d -> d.setMembers(Set.of("u".repeat(129))))).get("members"))
                .isEqualTo("'" + "u".repeat(129) + "' is not a valid username.");
        assertThat(errorsFor(with(d -> d.setManagers(people(51)))).get("managers")).isEqualTo("At most 50 people.");
        assertThat(errorsFor(with(d -> d.setMembers(people(501)))).get("members")).isEqualTo("At most 500 people.");
        assertThat(errorsFor(with(d -> {
            d.setManagers(people(50));
            d.setMembers(people(500));
        }))).isEmpty();
    }

    @Test
    void aValidDraftPasses() {
        assertThat(errorsFor(draft("ok"))).isEmpty();
    }

    @Test
    void fieldErrorsCarryNoPartialSave() {
        assertThatThrownBy(() -> new FieldErrors.Collector().add("slug", "x").throwIfAny())
                .isInstanceOf(FieldErrors.class).hasMessageContaining("slug");
    }

    private static Set<String> people(int count) {
        return IntStream.range(0, count).mapToObj(i -> "user" + i).collect(Collectors.toSet());
    }

    private static Map<String, String> errorsFor(BusinessUnitDraft d) {
        try {
            RULES.check(d).throwIfAny();
            return Map.of();
        } catch (FieldErrors e) {
            return e.errors();
        }
    }

    private static BusinessUnitDraft with(java.util.function.Consumer<BusinessUnitDraft> change) {
        BusinessUnitDraft d = draft("ok");
        change.accept(d);
        return d;
    }

    static BusinessUnitDraft draft(String slug) {
        BusinessUnitDraft d = new BusinessUnitDraft();
        d.setSlug(slug);
        d.setDisplayName("Unit");
        d.setCostCenter("CC-1");
        d.setOwnerEmail("owner@example.com");
        d.setDefaultMonthlyBudget(new BigDecimal("100"));
        d.setManagers(Set.of("mike"));
        return d;
    }
}
