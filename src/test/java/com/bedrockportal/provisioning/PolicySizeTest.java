package com.bedrockportal.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.shared.FormValidation;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.springframework.context.i18n.LocaleContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one measurement of a policy's size: as IAM counts it (whitespace between tokens is free, everything inside a
 * string counts as written), and what the models and the source-IP ranges add to it.
 */
class PolicySizeTest {

    static final String ACCOUNT = PolicyBuilderTest.ACCOUNT;
    static final List<String> US = List.of("us-east-1", "us-east-2", "us-west-2");
    static final List<String> FIVE_RANGES = List.of("203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24",
            "10.20.0.0/16", "2001:db8::/32");

    @Test
    void whitespaceBetweenTokensIsNotCounted() {
        assertThat(PolicySize.count("{\"a\":[1,2]}")).isEqualTo(11);
        assertThat(PolicySize.count("{\n  \"a\" : [ 1,\t2 ]\r\n}\n")).isEqualTo(11);
    }

    @Test
    void whitespaceInsideStringsIsCounted() {
        assertThat(PolicySize.count("{\"Sid\": \"a b\"}")).isEqualTo("{\"Sid\":\"a b\"}".length());
        assertThat(PolicySize.count("\"\t\n\"")).isEqualTo(4);
    }

    @Test
    void escapesCountAsWrittenAndAnEscapedQuoteDoesNotEndTheString() {
        // "a\" b": the space after the escaped quote is still inside the string, so it counts.
        assertThat(PolicySize.count("[\"a\\\" b\"]")).isEqualTo(9);
        // "a\\" ends after the escaped backslash: the space after it is between tokens.
        assertThat(PolicySize.count("[\"a\\\\\" , 1]")).isEqualTo(9);
        // \u00e9 in the document: six characters as written.
        assertThat(PolicySize.count("\"\\u00e9\"")).isEqualTo(8);
    }

    @Test
    void charactersOutsideAsciiCountWithTheirUtf8Length() {
        assertThat(PolicySize.count("\"é\"")).isEqualTo(4);
        assertThat(PolicySize.count("\"€\"")).isEqualTo(5);
        assertThat(PolicySize.count("\"\uD83D\uDE00\"")).isEqualTo(6);
    }

    @Test
    void thePortalsPrettyPolicyCountsAsItsCompactForm() throws Exception {
        String pretty = PolicyBuilder.build(new PolicyBuilder.PolicyInput(
                List.of(PolicyBuilderTest.NOVA_LITE, PolicyBuilderTest.SONNET_US), US, FIVE_RANGES, ACCOUNT));
        ObjectMapper json = new ObjectMapper();
        String compact = json.writeValueAsString(json.readTree(pretty));
        assertThat(pretty.length()).isGreaterThan(compact.length());
        assertThat(PolicySize.count(pretty)).isEqualTo(compact.length());
    }

    @Test
    void theMeasureAddsUpAndNamesWhatAddsTheMost() {
        List<String> regions = List.of("us-east-1");
        PolicyBuilder.PolicyInput input = new PolicyBuilder.PolicyInput(List.of(PolicyBuilderTest.NOVA_LITE,
                PolicyBuilderTest.SONNET_US), regions, FIVE_RANGES, ACCOUNT);
        PolicySize size = PolicyBuilder.measure(input);
        assertThat(size.characters()).isEqualTo(PolicySize.count(PolicyBuilder.build(input)));
        int skeleton = PolicySize.count(PolicyBuilder.build(new PolicyBuilder.PolicyInput(List.of(), regions,
                List.of(), ACCOUNT)));
        assertThat(size.modelCharacters() + size.sourceIpCharacters() + skeleton).isEqualTo(size.characters());
        assertThat(size.sourceIpCharacters()).isPositive();
        assertThat(size.largest()).isEqualTo(PolicySize.Contributor.MODELS);
        assertThat(size.fits()).isTrue();
        assertThat(size.excess()).isZero();
    }

    /** Today's incident: four US inference profiles in three regions from five ranges failed in provisioning. */
    @Test
    void fourProfilesInThreeRegionsFromFiveRangesDoNotFitAndOneRegionDoes() {
        List<CatalogModel> profiles = List.of(PolicyBuilderTest.SONNET_US,
                profile("us.anthropic.claude-haiku-4-5-20251001-v1:0"), profile("us.meta.llama3-3-70b-instruct-v1:0"),
                profile("us.mistral.pixtral-large-2502-v1:0"));
        PolicySize three = PolicyBuilder.measure(new PolicyBuilder.PolicyInput(profiles, US, FIVE_RANGES, ACCOUNT));
        assertThat(three.fits()).isFalse();
        assertThat(three.characters()).isGreaterThan(PolicySize.INLINE_USER_POLICY_LIMIT);
        assertThat(three.excess()).isEqualTo(three.characters() - 2048);
        assertThat(three.largest()).isEqualTo(PolicySize.Contributor.MODELS);

        PolicySize one = PolicyBuilder.measure(new PolicyBuilder.PolicyInput(profiles, List.of("us-east-1"),
                FIVE_RANGES, ACCOUNT));
        assertThat(one.fits()).isTrue();
    }

    @Test
    void manyLongRangesAddTheMost() {
        List<String> ranges = IntStream.range(0, 20)
                .mapToObj(i -> "2001:db8:aaaa:bbbb:cccc:dddd:eeee:" + Integer.toHexString(0x1000 + i * 256) + "/120")
                .toList();
        PolicySize size = PolicyBuilder.measure(new PolicyBuilder.PolicyInput(List.of(PolicyBuilderTest.NOVA_LITE),
                List.of("us-east-1"), ranges, ACCOUNT));
        assertThat(size.fits()).isFalse();
        assertThat(size.largest()).isEqualTo(PolicySize.Contributor.SOURCE_IPS);
    }

    @Test
    void theMessageNamesTheSizeTheLimitAndWhatToTrim() {
        FormValidation texts = FormValidation.standalone();
        LocaleContextHolder.setLocale(Locale.ENGLISH);
        try {
            PolicySize models = new PolicySize(3571, 3117, 224);
            assertThat(models.tooLarge(texts)).isEqualTo("The policy would have 3,571 characters; AWS allows 2,048 "
                    + "for a user's policy. Trim 1,523: the models in their regions take 3,117 of them, so choose "
                    + "fewer models or regions (an inference profile counts about twice per region, and one region "
                    + "is usually enough for it: it routes to its other regions itself). The IP ranges take 224.");
            PolicySize ranges = new PolicySize(2345, 277, 1862);
            assertThat(ranges.tooLarge(texts)).isEqualTo("The policy would have 2,345 characters; AWS allows 2,048 "
                    + "for a user's policy. Trim 297: the IP ranges take 1,862 of them (each is repeated in every "
                    + "statement), so list fewer or wider ranges. The models in their regions take 277.");
        } finally {
            LocaleContextHolder.resetLocaleContext();
        }
    }

    private static CatalogModel profile(String id) {
        return new CatalogModel(9, id, "p", id, CatalogModel.Kind.INFERENCE_PROFILE, id.substring(3),
                "arn:aws:bedrock:{region}:{account}:inference-profile/" + id, US, true, Instant.EPOCH);
    }
}
