package com.bedrockportal.request;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.shared.FieldErrors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input on every field of the request form, checked where it matters: in the service's rules. */
class RequestRulesTest {

    static final BusinessUnit MARKETING = new BusinessUnit(1, "marketing", "Marketing", "CC-1", "o@example.com",
            new BigDecimal("500"), false, Set.of("mike"), Set.of("alice"), Instant.EPOCH, Instant.EPOCH, 0);
    static final CatalogModel NOVA = new CatalogModel(1, "amazon.nova-lite-v1:0", "Amazon", "Nova Lite",
            CatalogModel.Kind.FOUNDATION_MODEL, null, "arn:aws:bedrock:{region}::foundation-model/amazon.nova-lite-v1:0",
            List.of("us-east-1", "us-west-2"), true, Instant.EPOCH);
    static final CatalogModel LEGACY = new CatalogModel(2, "anthropic.claude-v2:1", "Anthropic", "Claude 2.1",
            CatalogModel.Kind.FOUNDATION_MODEL, null, "arn:aws:bedrock:{region}::foundation-model/anthropic.claude-v2:1",
            List.of("us-east-1"), false, Instant.EPOCH);
    static final CatalogModel MISTRAL = new CatalogModel(3, "mistral.mistral-large-2407-v1:0", "Mistral AI",
            "Mistral Large", CatalogModel.Kind.FOUNDATION_MODEL, null, "x", List.of("us-west-2"), true, Instant.EPOCH);
    static final RequestProperties PROPS = new RequestProperties(List.of("us-east-1", "us-west-2", "eu-central-1"), 30,
            90, new BigDecimal("100000"), 20, "us-east-1");

    @Test
    void aCompleteRequestPasses() {
        RequestRules.Valid valid = validate(d -> { });
        assertThat(valid.unit()).isEqualTo(MARKETING);
        assertThat(valid.sourceCidrs()).containsExactly("203.0.113.0/24");
        assertThat(valid.alertEmails()).containsExactly("alice@example.com", "team@example.com");
    }

    @Test
    void businessUnitIsRequiredAndMustBeTheUsersOwn() {
        assertThat(errors(d -> d.setBusinessUnitId(null))).containsKey("businessUnit");
        assertThat(errors(d -> d.setBusinessUnitId(99L)).get("businessUnit")).contains("member");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "   ", "too short" })
    void purposeMustSayEnough(String purpose) {
        assertThat(errors(d -> d.setPurpose(purpose))).containsKey("purpose");
    }

    @Test
    void purposeHasAnUpperLimitAndNoControlCharacters() {
        assertThat(errors(d -> d.setPurpose("x".repeat(2001))).get("purpose")).contains("At most 2000");
        assertThat(errors(d -> d.setPurpose("Normal text but with a bell \u0007 inside it"))).containsKey("purpose");
    }

    @Test
    void markupInThePurposeIsAcceptedAsPlainText() {
        RequestRules.Valid valid = validate(d -> d.setPurpose("<script>alert('x')</script> summarise tickets"));
        assertThat(valid.purpose()).isEqualTo("<script>alert('x')</script> summarise tickets");
    }

    @Test
    void modelsMustBeChosenKnownAndEnabled() {
        assertThat(errors(d -> d.setModels(List.of()))).containsKey("models");
        assertThat(errors(d -> d.setModels(List.of("acme.unknown-v1"))).get("models")).contains("not in the model catalog");
        assertThat(errors(d -> d.setModels(List.of(LEGACY.modelId()))).get("models")).contains("disabled");
    }

    @Test
    void regionsMustBeOfferedAndServeEveryChosenModel() {
        assertThat(errors(d -> d.setRegions(List.of()))).containsKey("regions");
        assertThat(errors(d -> d.setRegions(List.of("mars-north-1"))).get("regions")).contains("not a region");
        assertThat(errors(d -> {
            d.setModels(List.of(MISTRAL.modelId()));
            d.setRegions(List.of("us-east-1"));
        }).get("regions")).contains("Mistral Large is not offered in us-east-1");
    }

    @ParameterizedTest
    @ValueSource(strings = { "10.0.0.0", "10.0.0.0/33", "300.1.2.3/32", "10.0.0.1/24", "example.com/24", "0.0.0.0/0",
            "10.0.0.0/8 10.1.0.0/16", "2001:db8::/129", "::/0", "10.0.0.0/abc" })
    void invalidOrOverlappingCidrsAreRefused(String cidrs) {
        assertThat(errors(d -> d.setSourceCidrs(cidrs))).containsKey("sourceCidrs");
    }

    @Test
    void validIpv4AndIpv6RangesAreKept() {
        RequestRules.Valid valid = validate(d -> d.setSourceCidrs("198.51.100.0/24\n2001:db8::/32, 192.0.2.7/32"));
        assertThat(valid.sourceCidrs()).containsExactly("198.51.100.0/24", "2001:db8::/32", "192.0.2.7/32");
    }

    @Test
    void hostBitsGetAHelpfulMessage() {
        assertThat(errors(d -> d.setSourceCidrs("10.0.0.1/24")).get("sourceCidrs")).contains("10.0.0.0/24");
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 91, -5 })
    void lifetimeIsOneToNinetyDays(int days) {
        assertThat(errors(d -> d.setLifetimeDays(days)).get("lifetimeDays")).contains("1 to 90 days");
    }

    @Test
    void lifetimeIsRequired() {
        assertThat(errors(d -> d.setLifetimeDays(null))).containsKey("lifetimeDays");
    }

    @ParameterizedTest
    @ValueSource(strings = { "-1", "0", "100000.01", "1e12", "12.345" })
    void budgetMustBePositiveReasonableAndInCents(String budget) {
        assertThat(errors(d -> d.setMonthlyBudget(new BigDecimal(budget)))).containsKey("monthlyBudget");
    }

    @Test
    void budgetThatIsNotANumberArrivesAsMissing() {
        assertThat(errors(d -> d.setMonthlyBudget(null)).get("monthlyBudget")).contains("as a number");
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 101, -1 })
    void thresholdIsOneToHundredPercent(int threshold) {
        assertThat(errors(d -> d.setAlertThreshold(threshold))).containsKey("alertThreshold");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "not-an-address", "a@b", "alice@example.com, <x>@y.com" })
    void alertEmailsMustBeAddresses(String emails) {
        assertThat(errors(d -> d.setAlertEmails(emails))).containsKey("alertEmails");
    }

    @Test
    void atMostTenAlertEmails() {
        String eleven = String.join(",", java.util.stream.IntStream.range(0, 11).mapToObj(i -> "u" + i + "@example.com")
                .toList());
        assertThat(errors(d -> d.setAlertEmails(eleven)).get("alertEmails")).contains("At most 10");
    }

    @Test
    void ownerEmailAndClassificationAreRequired() {
        assertThat(errors(d -> d.setOwnerEmail(""))).containsKey("ownerEmail");
        assertThat(errors(d -> d.setOwnerEmail("owner at example.com"))).containsKey("ownerEmail");
        assertThat(errors(d -> d.setDataClassification(null))).containsKey("dataClassification");
    }

    @Test
    void allProblemsAreReportedTogether() {
        Map<String, String> errors = errors(d -> {
            d.setPurpose("");
            d.setModels(List.of());
            d.setLifetimeDays(0);
            d.setAlertThreshold(0);
        });
        assertThat(errors).containsKeys("purpose", "models", "lifetimeDays", "alertThreshold");
    }

    static RequestDraft draft() {
        RequestDraft d = new RequestDraft();
        d.setBusinessUnitId(1L);
        d.setPurpose("Summarise support tickets for the weekly review.");
        d.setModels(List.of(NOVA.modelId()));
        d.setRegions(List.of("us-east-1"));
        d.setSourceCidrs("203.0.113.0/24");
        d.setLifetimeDays(30);
        d.setMonthlyBudget(new BigDecimal("250"));
        d.setAlertThreshold(80);
        d.setAlertEmails("alice@example.com team@example.com");
        d.setOwnerEmail("alice@example.com");
        d.setDataClassification(DataClassification.INTERNAL);
        return d;
    }

    private static RequestRules.Valid validate(Consumer<RequestDraft> change) {
        RequestDraft d = draft();
        change.accept(d);
        return RequestRules.validate(d, List.of(MARKETING), Map.of(NOVA.modelId(), NOVA, LEGACY.modelId(), LEGACY,
                MISTRAL.modelId(), MISTRAL), PROPS);
    }

    private static Map<String, String> errors(Consumer<RequestDraft> change) {
        try {
            validate(change);
            return Map.of();
        } catch (FieldErrors e) {
            return e.errors();
        }
    }

    /** 16,000 ranges once took 5 s of pairwise overlap checks; the count is checked before anything is parsed. */
    @Test
    void aHugeRangeListIsRefusedByItsCountBeforeAnyParsing() {
        String many = String.join("\n", java.util.stream.IntStream.range(0, 16_000)
                .mapToObj(i -> "10." + (i / 256 % 256) + "." + (i % 256) + ".0/24").toList());
        assertThat(errors(d -> d.setSourceCidrs(many)).get("sourceCidrs")).isEqualTo("At most 20 ranges (1040 characters).");
        String twentyOne = String.join(" ", java.util.stream.IntStream.range(0, 21).mapToObj(i -> "10.0." + i + ".0/24")
                .toList());
        assertThat(errors(d -> d.setSourceCidrs(twentyOne)).get("sourceCidrs"))
                .isEqualTo("At most 20 ranges; you entered 21.");
        assertThat(errors(d -> d.setSourceCidrs("1".repeat(60))).get("sourceCidrs")).contains("is not an IP range");
    }

    @Test
    void everyListAndTextHasACapOnTheServer() {
        assertThat(errors(d -> d.setPurpose("x".repeat(1_000_000))).get("purpose")).contains("At most 2000");
        assertThat(errors(d -> d.setModels(java.util.Collections.nCopies(51, "amazon.nova-lite-v1:0"))).get("models"))
                .contains("At most 50 models");
        assertThat(errors(d -> d.setRegions(java.util.Collections.nCopies(4, "us-east-1"))).get("regions"))
                .contains("At most 3 regions");
        assertThat(errors(d -> d.setAlertEmails("a".repeat(100_000))).get("alertEmails")).contains("At most 10");
        assertThat(errors(d -> d.setOwnerEmail("a".repeat(10_000) + "@example.com"))).containsKey("ownerEmail");
    }
}
