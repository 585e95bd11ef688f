package com.bedrockportal.request;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.provisioning.PolicySize;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.i18n.LocaleContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input on every field of the request form, checked where it matters: in the service's rules (the draft's Bean
 * Validation rules, then the data-dependent ones), with the messages of the translation bundle.
 */
class RequestRulesTest {

    static final FormValidation RULES = FormValidation.standalone();
    /** An account id as AWS has them: 12 digits, as provisioning puts it in the policy's ARNs. */
    static final String ACCOUNT = "123456789012";

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
    static final Map<String, CatalogModel> CATALOG = Map.of(NOVA.modelId(), NOVA, LEGACY.modelId(), LEGACY,
            MISTRAL.modelId(), MISTRAL);

    /** Numbers in messages are grouped as the reader's language does: English here ("2,048"). */
    @BeforeEach
    void english() {
        LocaleContextHolder.setLocale(Locale.ENGLISH);
    }

    @AfterEach
    void resetLocale() {
        LocaleContextHolder.resetLocaleContext();
    }

    @Test
    void aCompleteRequestPasses() {
        RequestRules.Valid valid = validate(d -> { });
        assertThat(valid.unit()).isEqualTo(MARKETING);
        assertThat(valid.sourceCidrs()).containsExactly("203.0.113.0/24");
        assertThat(valid.alertEmails()).containsExactly("alice@example.com", "team@example.com");
    }

    @Test
    void businessUnitIsRequiredAndMustBeTheUsersOwn() {
        assertThat(errors(d -> d.setBusinessUnitId(null)).get("businessUnitId")).isEqualTo(
                "Choose the business unit this access is for.");
        assertThat(errors(d -> d.setBusinessUnitId(99L)).get("businessUnitId")).contains("member");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "   " })
    void purposeIsRequired(String purpose) {
        assertThat(errors(d -> d.setPurpose(purpose)).get("purpose"))
                .isEqualTo("Describe what the key is for and why the business needs it.");
    }

    @ParameterizedTest
    @ValueSource(strings = { "too short", "   nineteen chars..   " })
    void purposeMustSayEnoughOnceStripped(String purpose) {
        assertThat(errors(d -> d.setPurpose(purpose)).get("purpose"))
                .isEqualTo("Say a little more: at least 20 characters.");
    }

    @Test
    void purposeHasAnUpperLimitAndNoControlCharacters() {
        assertThat(errors(d -> d.setPurpose("x".repeat(2001))).get("purpose")).isEqualTo("At most 2000 characters.");
        assertThat(validate(d -> d.setPurpose("x".repeat(2000))).purpose()).hasSize(2000);
        assertThat(errors(d -> d.setPurpose("Normal text but with a bell \u0007 inside it")).get("purpose"))
                .isEqualTo("Remove the control characters.");
        assertThat(validate(d -> d.setPurpose("Line one of the purpose\n\tand line two")).purpose()).contains("\n\t");
    }

    @Test
    void markupInThePurposeIsAcceptedAsPlainText() {
        RequestRules.Valid valid = validate(d -> d.setPurpose("<script>alert('x')</script> summarise tickets"));
        assertThat(valid.purpose()).isEqualTo("<script>alert('x')</script> summarise tickets");
    }

    @Test
    void modelsMustBeChosenKnownAndEnabled() {
        assertThat(errors(d -> d.setModels(List.of())).get("models")).isEqualTo("Choose at least one model.");
        assertThat(errors(d -> d.setModels(List.of("acme.unknown-v1"))).get("models"))
                .isEqualTo("'acme.unknown-v1' is not in the model catalog.");
        assertThat(errors(d -> d.setModels(List.of(LEGACY.modelId()))).get("models"))
                .isEqualTo("Claude 2.1 is disabled in the catalog; choose another model.");
        assertThat(errors(d -> d.setModels(List.of(" "))).get("models")).isEqualTo("Choose the models from the catalog.");
        assertThat(errors(d -> d.setModels(List.of("m".repeat(201)))).get("models"))
                .isEqualTo("Choose the models from the catalog.");
    }

    @Test
    void regionsMustBeOfferedAndServeEveryChosenModel() {
        assertThat(errors(d -> d.setRegions(List.of())).get("regions")).isEqualTo("Choose at least one region.");
        assertThat(errors(d -> d.setRegions(List.of("mars-north-1"))).get("regions"))
                .isEqualTo("'mars-north-1' is not a region this portal offers (us-east-1, us-west-2, eu-central-1).");
        assertThat(errors(d -> d.setRegions(List.of("r".repeat(33)))).get("regions"))
                .isEqualTo("Choose the regions from the list.");
        assertThat(errors(d -> {
            d.setModels(List.of(MISTRAL.modelId()));
            d.setRegions(List.of("us-east-1"));
        }).get("regions")).isEqualTo("Mistral Large is not offered in us-east-1; it is in us-west-2.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0|'10.0.0.0' needs a prefix length, e.g. 10.0.0.0/32.",
        "10.0.0.0/33|'10.0.0.0/33': the prefix length must be 0 to 32.",
        "300.1.2.3/32|'300.1.2.3/32' is not an IPv4 address.",
        "10.0.0.1/24|'10.0.0.1/24' has host bits set; use the network address 10.0.0.0/24.",
        "example.com/24|'example.com/24' is not an IPv4 or IPv6 range.",
        "0.0.0.0/0|'0.0.0.0/0' allows every address; leave the field empty instead, or name your networks.",
        "10.0.0.0/8 10.1.0.0/16|'10.1.0.0/16' overlaps '10.0.0.0/8'.",
        "2001:db8::/129|'2001:db8::/129': the prefix length must be 0 to 128.",
        "::/0|'::/0' allows every address; leave the field empty instead, or name your networks.",
        "10.0.0.0/abc|'10.0.0.0/abc' has no valid prefix length." })
    void invalidOrOverlappingCidrsAreRefusedWithTheirReason(String cidrs, String message) {
        assertThat(errors(d -> d.setSourceCidrs(cidrs)).get("sourceCidrs")).isEqualTo(message);
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
    @ValueSource(ints = { 0, -5 })
    void lifetimeIsAtLeastOneDay(int days) {
        assertThat(errors(d -> d.setLifetimeDays(days)).get("lifetimeDays"))
                .isEqualTo("The key lifetime must be at least 1 day.");
    }

    @Test
    void lifetimeIsAtMostTheConfiguredLongest() {
        assertThat(errors(d -> d.setLifetimeDays(91)).get("lifetimeDays")).isEqualTo("The key lifetime must be 1 to 90 days.");
        assertThat(validate(d -> d.setLifetimeDays(90)).lifetimeDays()).isEqualTo(90);
    }

    @Test
    void lifetimeIsRequired() {
        assertThat(errors(d -> d.setLifetimeDays(null)).get("lifetimeDays")).isEqualTo("Enter the key lifetime in days.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-1|The budget must be more than 0 USD.",
        "0|The budget must be more than 0 USD.",
        "100000.01|At most 100000 USD a month; ask the platform team for more.",
        "1e12|At most 100000 USD a month; ask the platform team for more.",
        "12.345|Use a plain amount with at most two decimal places." })
    void budgetMustBePositiveReasonableAndInCents(String budget, String message) {
        assertThat(errors(d -> d.setMonthlyBudget(new BigDecimal(budget))).get("monthlyBudget")).isEqualTo(message);
    }

    @Test
    void budgetThatIsNotANumberArrivesAsMissing() {
        assertThat(errors(d -> d.setMonthlyBudget(null)).get("monthlyBudget")).contains("as a number");
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 101, -1 })
    void thresholdIsOneToHundredPercent(int threshold) {
        assertThat(errors(d -> d.setAlertThreshold(threshold)).get("alertThreshold"))
                .isEqualTo("The alert threshold must be a whole percentage from 1 to 100.");
    }

    @Test
    void thresholdIsRequired() {
        assertThat(errors(d -> d.setAlertThreshold(null))).containsKey("alertThreshold");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "not-an-address", "a@b", "alice@example.com, <x>@y.com" })
    void alertEmailsMustBeAddresses(String emails) {
        assertThat(errors(d -> d.setAlertEmails(emails))).containsKey("alertEmails");
    }

    @Test
    void alertEmailMessagesNameTheProblem() {
        assertThat(errors(d -> d.setAlertEmails(" ")).get("alertEmails"))
                .isEqualTo("Name at least one address that receives budget alerts.");
        assertThat(errors(d -> d.setAlertEmails("alice@example.com, a@b")).get("alertEmails"))
                .isEqualTo("'a@b' is not a valid e-mail address.");
    }

    @Test
    void atMostTenAlertEmails() {
        String eleven = String.join(",", java.util.stream.IntStream.range(0, 11).mapToObj(i -> "u" + i + "@example.com")
                .toList());
        assertThat(errors(d -> d.setAlertEmails(eleven)).get("alertEmails")).isEqualTo("At most 10 addresses.");
    }

    @Test
    void ownerEmailAndClassificationAreRequired() {
        assertThat(errors(d -> d.setOwnerEmail("")).get("ownerEmail"))
                .isEqualTo("Enter the e-mail of the person who owns this key.");
        assertThat(errors(d -> d.setOwnerEmail("owner at example.com")).get("ownerEmail"))
                .isEqualTo("Enter a valid e-mail address, e.g. owner@example.com.");
        assertThat(validate(d -> d.setOwnerEmail("  owner@example.com ")).ownerEmail()).isEqualTo("owner@example.com");
        assertThat(errors(d -> d.setDataClassification(null)).get("dataClassification"))
                .isEqualTo("Choose the classification of the data sent to the models.");
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

    /** No application or open request uses any name. */
    static final RequestRules.NamesInUse NO_NAMES_IN_USE = names(Set.of(), Set.of());
    static final RequestRules.ChangeTargets NO_TARGETS = id -> java.util.Optional.empty();

    static RequestRules.NamesInUse names(Set<String> slugsOfMarketing, Set<String> iamUsers) {
        return new RequestRules.NamesInUse() {
            @Override
            public boolean slugTaken(long unitId, String slug) {
                return unitId == MARKETING.id() && slugsOfMarketing.contains(slug);
            }

            @Override
            public boolean iamUserTaken(String iamUser) {
                return iamUsers.contains(iamUser);
            }
        };
    }

    @Test
    void aNewApplicationNeedsANameAndASlugThatFitsIamsNames() {
        assertThat(errors(d -> {
            d.setApplicationName(" ");
            d.setApplicationSlug("Campaign Copy");
        })).containsEntry("applicationName", "Enter a name for the application.")
                .containsEntry("applicationSlug",
                        "Lowercase letters, digits and hyphens, starting and ending with a letter or digit.");
        assertThat(errors(d -> d.setApplicationSlug("a".repeat(33))))
                .containsEntry("applicationSlug", "At most 32 characters.");
        assertThat(validate(d -> d.setApplicationSlug("support-summariser")).applicationSlug())
                .isEqualTo("support-summariser");
    }

    @Test
    void theSlugsRoomFollowsFromTheUnitsSlug() {
        BusinessUnit longUnit = new BusinessUnit(1L, "u".repeat(40), "Long", "CC-1", "o@example.com",
                new BigDecimal("100"), false, Set.of("mike"), Set.of("alice"), Instant.EPOCH, Instant.EPOCH, 0);
        RequestDraft d = draft();
        d.setApplicationSlug("sixteen-chars-ab");
        Map<String, String> errors = errorsOf(() -> RequestRules.validate(d, List.of(longUnit), CATALOG, PROPS, RULES,
                NO_NAMES_IN_USE, NO_TARGETS, ACCOUNT));
        assertThat(errors.get("applicationSlug")).isEqualTo("At most 15 characters for unit " + "u".repeat(40)
                + ": its IAM user {unit}-{application}-bedrock may have at most 64.");
    }

    @Test
    void aSlugInUseInTheUnitOrAnIamUserInUseAnywhereIsRefused() {
        RequestDraft d = draft();
        Map<String, String> taken = errorsOf(() -> RequestRules.validate(d, List.of(MARKETING), CATALOG, PROPS, RULES,
                names(Set.of("campaign-copy"), Set.of()), NO_TARGETS, ACCOUNT));
        assertThat(taken.get("applicationSlug")).isEqualTo(
                "Marketing already has an application campaign-copy (or a request for it): choose another slug, or "
                        + "ask for a change to it.");
        String iamUser = MARKETING.slug() + "-campaign-copy-bedrock";
        Map<String, String> clash = errorsOf(() -> RequestRules.validate(d, List.of(MARKETING), CATALOG, PROPS, RULES,
                names(Set.of(), Set.of(iamUser)), NO_TARGETS, ACCOUNT));
        assertThat(clash.get("applicationSlug")).isEqualTo("The IAM user " + iamUser
                + " is already another application's: choose another slug.");
        assertThat(errors(x -> x.setApplicationSlug("unit-key"))).containsEntry("applicationSlug",
                "unit-key is the slug of the applications made from the keys of before applications: choose another.");
        // A unit "marketing-campaign-copy" exists: the application's budget would be named as its unit-wide budget.
        RequestRules.NamesInUse unitNamed = new RequestRules.NamesInUse() {
            @Override
            public boolean slugTaken(long unitId, String slug) {
                return false;
            }

            @Override
            public boolean iamUserTaken(String iamUser) {
                return false;
            }

            @Override
            public boolean unitSlugTaken(String slug) {
                return "marketing-campaign-copy".equals(slug);
            }
        };
        assertThat(errorsOf(() -> RequestRules.validate(d, List.of(MARKETING), CATALOG, PROPS, RULES, unitNamed,
                NO_TARGETS, ACCOUNT)).get("applicationSlug")).isEqualTo("The business unit marketing-campaign-copy "
                        + "exists: this application's budget would be named as that unit's budget "
                        + "(marketing-campaign-copy-bedrock-monthly). Choose another slug.");
    }

    /** Today's incident: four US inference profiles in three regions from five ranges, approved, then too big. */
    @Test
    void aPolicyOverTheLimitIsRefusedUnderTheModelsWithItsSizeAndWhatToTrim() {
        Map<String, CatalogModel> catalog = new HashMap<>(CATALOG);
        List<CatalogModel> profiles = List.of(profile("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
                profile("us.anthropic.claude-haiku-4-5-20251001-v1:0"), profile("us.meta.llama3-3-70b-instruct-v1:0"),
                profile("us.mistral.pixtral-large-2502-v1:0"));
        profiles.forEach(p -> catalog.put(p.modelId(), p));
        String ranges = "203.0.113.0/24, 198.51.100.0/24, 192.0.2.0/24, 10.20.0.0/16, 2001:db8::/32";
        Map<String, String> errors = errorsWith(catalog, d -> {
            d.setModels(profiles.stream().map(CatalogModel::modelId).toList());
            d.setRegions(PROPS.regions());
            d.setSourceCidrs(ranges);
        });
        PolicySize size = PolicyBuilder.measure(new PolicyBuilder.PolicyInput(profiles, PROPS.regions(),
                List.of(ranges.split(", ")), ACCOUNT));
        assertThat(size.fits()).isFalse();
        assertThat(errors).containsOnlyKeys("models");
        assertThat(errors.get("models")).isEqualTo(size.tooLarge(RULES))
                .startsWith(String.format(Locale.ENGLISH, "The policy would have %,d characters; AWS allows 2,048 "
                        + "for a user's policy. Trim %,d:", size.characters(), size.excess()))
                .contains("choose fewer models or regions", "inference profile");

        assertThat(errorsWith(catalog, d -> {
            d.setModels(profiles.stream().map(CatalogModel::modelId).toList());
            d.setRegions(List.of("us-east-1"));
            d.setSourceCidrs(ranges);
        })).isEmpty();
    }

    @Test
    void whenTheRangesAddTheMostTheErrorIsUnderTheRanges() {
        String ranges = String.join("\n", IntStream.range(0, 20)
                .mapToObj(i -> "2001:db8:aaaa:bbbb:cccc:dddd:eeee:" + Integer.toHexString(0x1000 + i * 256) + "/120")
                .toList());
        Map<String, String> errors = errors(d -> d.setSourceCidrs(ranges));
        assertThat(errors).containsOnlyKeys("sourceCidrs");
        assertThat(errors.get("sourceCidrs")).contains("AWS allows 2,048", "list fewer or wider ranges");
    }

    @Test
    void exactlyTheLimitPassesAndOneCharacterMoreIsRefused() {
        CatalogModel fits = profileWithPolicyOf(PolicySize.INLINE_USER_POLICY_LIMIT);
        CatalogModel over = profileWithPolicyOf(PolicySize.INLINE_USER_POLICY_LIMIT + 1);
        assertThat(validateWith(Map.of(fits.modelId(), fits), d -> {
            d.setModels(List.of(fits.modelId()));
            d.setSourceCidrs("");
        }).models()).containsExactly(fits);
        assertThat(errorsWith(Map.of(over.modelId(), over), d -> {
            d.setModels(List.of(over.modelId()));
            d.setSourceCidrs("");
        }).get("models")).startsWith("The policy would have 2,049 characters; AWS allows 2,048 for a user's policy. "
                + "Trim 1:");
    }

    @Test
    void theSizeIsMeasuredOnlyOnceTheListsAreValidAndWithTheOtherProblems() {
        CatalogModel over = profileWithPolicyOf(3000);
        Map<String, CatalogModel> catalog = Map.of(over.modelId(), over);
        assertThat(errorsWith(catalog, d -> {
            d.setModels(List.of(over.modelId()));
            d.setSourceCidrs("10.0.0.1/24");
        })).containsOnlyKeys("sourceCidrs");
        Map<String, String> errors = errorsWith(catalog, d -> {
            d.setModels(List.of(over.modelId()));
            d.setPurpose("short");
        });
        assertThat(errors).containsOnlyKeys("purpose", "models");
        assertThat(errors.get("models")).contains("AWS allows 2,048");
    }

    /** A US cross-region inference profile offered in every region of {@link #PROPS}. */
    static CatalogModel profile(String id) {
        return profile(id, id.substring(id.indexOf('.') + 1), "arn:aws:bedrock:{region}:{account}:inference-profile/"
                + id);
    }

    private static CatalogModel profile(String id, String foundationModelId, String arnPattern) {
        return new CatalogModel(id.hashCode(), id, "Acme", id, CatalogModel.Kind.INFERENCE_PROFILE, foundationModelId,
                arnPattern, PROPS.regions(), true, Instant.EPOCH);
    }

    /**
     * An inference profile whose policy alone (us-east-1, no ranges, the 12-digit {@link #ACCOUNT}) has exactly
     * {@code characters}: its ARN appears twice (resource, condition), the routed model's once, so both are padded.
     */
    static CatalogModel profileWithPolicyOf(int characters) {
        String id = "us.acme.sized-" + characters + "-v1:0";
        int base = PolicyBuilder.measure(new PolicyBuilder.PolicyInput(List.of(profile(id)), List.of("us-east-1"),
                List.of(), ACCOUNT)).characters();
        int missing = characters - base;
        CatalogModel sized = profile(id, id.substring(3) + "x".repeat(missing % 2),
                "arn:aws:bedrock:{region}:{account}:inference-profile/" + id + "x".repeat(missing / 2));
        int actual = PolicyBuilder.measure(new PolicyBuilder.PolicyInput(List.of(sized), List.of("us-east-1"),
                List.of(), ACCOUNT)).characters();
        assertThat(actual).isEqualTo(characters);
        return sized;
    }

    /** Campaign copy (id 7) of marketing: Nova Lite in us-east-1 from one range, 30 days, $250. */
    private static RequestRules.ChangeTargets campaignCopy(long unitId, boolean active, boolean openRequest) {
        return id -> id == 7 ? java.util.Optional.of(new RequestRules.ChangeTarget(7, unitId, "campaign-copy",
                "Campaign copy", active, openRequest, new AccessRequest.Baseline(List.of(NOVA.modelId()),
                        List.of("us-east-1"), List.of("203.0.113.0/24"), 30, new BigDecimal("250"), false,
                        DataClassification.INTERNAL))) : java.util.Optional.empty();
    }

    private static RequestDraft changeDraft() {
        RequestDraft d = draft();
        d.setKind(AccessRequest.Kind.CHANGE);
        d.setApplicationId(7L);
        d.setApplicationName("Anything the browser sent");
        d.setApplicationSlug("anything");
        return d;
    }

    @Test
    void aChangeNamesALiveApplicationOfTheUnitWithNoOtherRequestOpen() {
        RequestDraft none = changeDraft();
        none.setApplicationId(null);
        assertThat(errorsOf(() -> RequestRules.validate(none, List.of(MARKETING), CATALOG, PROPS, RULES,
                NO_NAMES_IN_USE, campaignCopy(1, true, false), ACCOUNT)).get("applicationId"))
                .isEqualTo("Choose the application to change.");
        assertThat(errorsOf(() -> RequestRules.validate(changeDraft(), List.of(MARKETING), CATALOG, PROPS, RULES,
                NO_NAMES_IN_USE, campaignCopy(2, true, false), ACCOUNT)).get("applicationId"))
                .isEqualTo("Choose an application of the chosen business unit.");
        assertThat(errorsOf(() -> RequestRules.validate(changeDraft(), List.of(MARKETING), CATALOG, PROPS, RULES,
                NO_NAMES_IN_USE, campaignCopy(1, false, false), ACCOUNT)).get("applicationId"))
                .contains("Campaign copy is being decommissioned");
        assertThat(errorsOf(() -> RequestRules.validate(changeDraft(), List.of(MARKETING), CATALOG, PROPS, RULES,
                NO_NAMES_IN_USE, campaignCopy(1, true, true), ACCOUNT)).get("applicationId"))
                .startsWith("Campaign copy already has a request waiting");
    }

    @Test
    void aChangeThatChangesNothingIsRefused() {
        RequestDraft same = changeDraft();
        same.setMonthlyBudget(new BigDecimal("250.00"));
        assertThat(errorsOf(() -> RequestRules.validate(same, List.of(MARKETING), CATALOG, PROPS, RULES,
                NO_NAMES_IN_USE, campaignCopy(1, true, false), ACCOUNT)).get("form"))
                .isEqualTo("This request changes nothing of Campaign copy: change its access, or ask for a new key.");
    }

    @Test
    void aNarrowingChangeNeedsTheManagerOnlyAndKeepsTheApplicationsNames() {
        RequestDraft d = changeDraft();
        d.setMonthlyBudget(new BigDecimal("100"));
        d.setLifetimeDays(7);
        RequestRules.Valid v = RequestRules.validate(d, List.of(MARKETING), CATALOG, PROPS, RULES, NO_NAMES_IN_USE,
                campaignCopy(1, true, false), ACCOUNT);
        assertThat(v.securityReview()).isFalse();
        assertThat(v.newKey()).isFalse();
        assertThat(v.applicationId()).isEqualTo(7L);
        assertThat(v.applicationSlug()).isEqualTo("campaign-copy");
        assertThat(v.applicationName()).isEqualTo("Campaign copy");
        assertThat(v.baseline().monthlyBudget()).isEqualByComparingTo("250");

        d.setNewKey(true);
        RequestRules.Valid withKey = RequestRules.validate(d, List.of(MARKETING), CATALOG, PROPS, RULES,
                NO_NAMES_IN_USE, campaignCopy(1, true, false), ACCOUNT);
        assertThat(withKey.securityReview()).as("a new key is another live credential").isTrue();
        assertThat(withKey.change().widenings()).containsExactly(AccessChange.Widening.NEW_KEY);
    }

    @Test
    void aNewApplicationAlwaysGoesToSecurityAndGetsAKey() {
        RequestRules.Valid v = validate(d -> { });
        assertThat(v.securityReview()).isTrue();
        assertThat(v.newKey()).isTrue();
        assertThat(v.applicationId()).isNull();
        assertThat(v.baseline()).isNull();
    }

    static RequestDraft draft() {
        RequestDraft d = new RequestDraft();
        d.setBusinessUnitId(1L);
        d.setApplicationName("Campaign copy");
        d.setApplicationSlug("campaign-copy");
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
        return RequestRules.validate(d, List.of(MARKETING), CATALOG, PROPS, RULES, NO_NAMES_IN_USE, NO_TARGETS, ACCOUNT);
    }

    private static Map<String, String> errors(Consumer<RequestDraft> change) {
        return errorsWith(CATALOG, change);
    }

    private static RequestRules.Valid validateWith(Map<String, CatalogModel> catalog, Consumer<RequestDraft> change) {
        RequestDraft d = draft();
        change.accept(d);
        return RequestRules.validate(d, List.of(MARKETING), catalog, PROPS, RULES, NO_NAMES_IN_USE, NO_TARGETS, ACCOUNT);
    }

    private static Map<String, String> errorsWith(Map<String, CatalogModel> catalog, Consumer<RequestDraft> change) {
        try {
            validateWith(catalog, change);
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
        assertThat(errors(d -> d.setModels(Collections.nCopies(51, "amazon.nova-lite-v1:0"))).get("models"))
                .contains("At most 50 models");
        assertThat(errors(d -> d.setRegions(Collections.nCopies(4, "us-east-1"))).get("regions"))
                .contains("At most 3 regions");
        assertThat(errors(d -> d.setAlertEmails("a".repeat(100_000))).get("alertEmails"))
                .isEqualTo("At most 10 addresses (3220 characters).");
        assertThat(errors(d -> d.setOwnerEmail("a".repeat(10_000) + "@example.com"))).containsKey("ownerEmail");
        assertThat(errors(d -> d.setSubmissionKey("k".repeat(65)))).containsKey("submissionKey");
        assertThat(errors(d -> d.setSubmissionKey(""))).containsKey("submissionKey");
    }

    /** 10,000 model ids and regions are refused by their count: not one is looked up or compared. */
    @Test
    void hugeListsAreRefusedByTheirCountBeforeAnyLookUp() {
        Map<String, CatalogModel> catalog = new HashMap<>(CATALOG) {
            @Override
            public CatalogModel get(Object key) {
                throw new AssertionError("looked up " + key);
            }
        };
        RequestDraft d = draft();
        d.setModels(IntStream.range(0, 10_000).mapToObj(i -> "model-" + i).toList());
        d.setRegions(IntStream.range(0, 10_000).mapToObj(i -> "region-" + i).toList());
        Map<String, String> errors = errorsOf(() -> RequestRules.validate(d, List.of(MARKETING), catalog, PROPS, RULES,
                NO_NAMES_IN_USE, NO_TARGETS, ACCOUNT));
        assertThat(errors.get("models")).isEqualTo("At most 50 models.");
        assertThat(errors.get("regions")).isEqualTo("At most 3 regions.");
    }

    @Test
    void everyMessageComesFromTheBundleFilledIn() {
        RequestDraft d = new RequestDraft();
        d.setSubmissionKey(null);
        d.setPurpose("\u0007");
        d.setAlertThreshold(null);
        d.setDataClassification(null);
        d.setMonthlyBudget(new BigDecimal("0.001"));
        d.setLifetimeDays(0);
        d.setSourceCidrs("x/1");
        Map<String, String> errors = errorsOf(() -> RequestRules.validate(d, List.of(), CATALOG, PROPS, RULES,
                NO_NAMES_IN_USE, NO_TARGETS, ACCOUNT));
        assertThat(errors).containsKeys("submissionKey", "businessUnitId", "purpose", "models", "regions",
                "sourceCidrs", "lifetimeDays", "monthlyBudget", "alertThreshold", "alertEmails", "ownerEmail",
                "dataClassification");
        assertThat(errors.values()).allSatisfy(message -> assertThat(message).doesNotContain("{", "}")
                .doesNotStartWith("request.").endsWith("."));
    }

    private static Map<String, String> errorsOf(Runnable validation) {
        try {
            validation.run();
            return Map.of();
        } catch (FieldErrors e) {
            return e.errors();
        }
    }
}
