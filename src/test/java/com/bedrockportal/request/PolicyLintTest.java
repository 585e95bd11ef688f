package com.bedrockportal.request;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.provisioning.PolicySize;
import com.bedrockportal.request.LintFinding.Rule;
import com.bedrockportal.request.LintFinding.Severity;
import com.bedrockportal.shared.FormValidation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.i18n.LocaleContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/** Each lint rule on its own, then the whole rule set over policies the portal builds. */
class PolicyLintTest {

    static final FormValidation TEXTS = FormValidation.standalone();
    static final String ACCOUNT = "123456789012";
    static final String GUARDRAIL = "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123def456:1";
    static final CatalogModel NOVA = RequestRulesTest.NOVA;
    static final CatalogModel SONNET_US = new CatalogModel(9, "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "Anthropic", "Claude Sonnet 4.5", CatalogModel.Kind.INFERENCE_PROFILE,
            "anthropic.claude-sonnet-4-5-20250929-v1:0",
            "arn:aws:bedrock:{region}:{account}:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            List.of("us-east-1", "us-west-2"), true, Instant.EPOCH);

    @BeforeEach
    void english() {
        LocaleContextHolder.setLocale(Locale.ENGLISH);
    }

    @AfterEach
    void resetLocale() {
        LocaleContextHolder.resetLocaleContext();
    }

    static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    static JsonNode built(List<String> cidrs, String guardrail) throws Exception {
        return json(PolicyBuilder.build(new PolicyBuilder.PolicyInput(List.of(NOVA, SONNET_US), List.of("us-east-1"),
                cidrs, ACCOUNT, guardrail)));
    }

    @Test
    void bearerTokenMissingIsAnErrorWithItsFix() throws Exception {
        LintFinding missing = PolicyLint.bearerToken(json("""
                {"Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"arn:x"}]}"""), TEXTS);
        assertThat(missing.severity()).isEqualTo(Severity.ERROR);
        assertThat(missing.text()).contains("every call made with an API key would fail with 403");
        assertThat(missing.fix()).contains("bedrock:CallWithBearerToken");
        LintFinding denied = PolicyLint.bearerToken(json("""
                {"Statement":{"Effect":"Deny","Action":["bedrock:CallWithBearerToken"],"Resource":"*"}}"""), TEXTS);
        assertThat(denied.severity()).isEqualTo(Severity.ERROR);
        assertThat(PolicyLint.bearerToken(built(List.of(), null), TEXTS).severity()).isEqualTo(Severity.OK);
    }

    @Test
    void starResourcesAreRefusedExceptForTheBearerTokenAction() throws Exception {
        LintFinding star = PolicyLint.wildcardResources(json("""
                {"Statement":[{"Effect":"Allow","Action":["bedrock:InvokeModel"],"Resource":"*"}]}"""), TEXTS);
        assertThat(star.severity()).isEqualTo(Severity.ERROR);
        assertThat(star.text()).contains("bedrock:InvokeModel").contains("every resource");
        LintFinding allModels = PolicyLint.wildcardResources(json("""
                {"Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel",
                 "Resource":"arn:aws:bedrock:us-east-1::foundation-model/*"}]}"""), TEXTS);
        assertThat(allModels.severity()).isEqualTo(Severity.ERROR);
        assertThat(allModels.fix()).isEqualTo("Name each approved model.");
        LintFinding anyRegion = PolicyLint.wildcardResources(json("""
                {"Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel",
                 "Resource":"arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0"}]}"""), TEXTS);
        assertThat(anyRegion.severity()).isEqualTo(Severity.WARNING);
        // The portal's own policy: "*" only for CallWithBearerToken, any region only through approved profiles.
        assertThat(PolicyLint.wildcardResources(built(List.of(), null), TEXTS).severity()).isEqualTo(Severity.OK);
    }

    @Test
    void aStatementWithoutRegionConditionIsAWarning() throws Exception {
        LintFinding none = PolicyLint.regionCondition(json(PolicyBuilder.build(new PolicyBuilder.PolicyInput(
                List.of(), List.of(), List.of(), ACCOUNT))), TEXTS);
        assertThat(none.severity()).isEqualTo(Severity.WARNING);
        assertThat(none.fix()).contains("regions");
        assertThat(PolicyLint.regionCondition(built(List.of(), null), TEXTS).severity()).isEqualTo(Severity.OK);
    }

    @Test
    void noIpConditionWarnsAndEveryAddressIsRefused() throws Exception {
        LintFinding open = PolicyLint.sourceIp(built(List.of(), null), List.of(), TEXTS);
        assertThat(open.severity()).isEqualTo(Severity.WARNING);
        assertThat(open.text()).startsWith("No IP condition");
        assertThat(PolicyLint.sourceIp(built(List.of("203.0.113.0/24"), null), List.of("203.0.113.0/24"), TEXTS)
                .severity()).isEqualTo(Severity.OK);
        for (String everything : List.of("0.0.0.0/0", "::/0")) {
            LintFinding all = PolicyLint.sourceIp(built(List.of(), null), List.of("203.0.113.0/24", everything),
                    TEXTS);
            assertThat(all.severity()).isEqualTo(Severity.ERROR);
            assertThat(all.text()).isEqualTo("'" + everything + "' allows every address; the portal refuses it.");
        }
        assertThat(PolicyLint.sourceIp(built(List.of(), null), List.of("not-a-range"), TEXTS).severity())
                .isEqualTo(Severity.WARNING);
    }

    @Test
    void aLifetimeAboveTheOrganisationsMaximumIsAnError() {
        assertThat(PolicyLint.keyLifetime(90, 90, TEXTS).severity()).isEqualTo(Severity.OK);
        LintFinding over = PolicyLint.keyLifetime(91, 90, TEXTS);
        assertThat(over.severity()).isEqualTo(Severity.ERROR);
        assertThat(over.text()).contains("91 days").contains("maximum of 90 days");
        assertThat(over.fix()).startsWith("Choose 90 days or fewer");
    }

    @Test
    void confidentialDataWithoutGuardrailWarnsAndAGuardrailConditionSatisfiesIt() throws Exception {
        LintFinding warn = PolicyLint.guardrail(built(List.of(), null), DataClassification.CONFIDENTIAL, null, TEXTS);
        assertThat(warn.severity()).isEqualTo(Severity.WARNING);
        assertThat(warn.text()).startsWith("Confidential data without a guardrail");
        assertThat(PolicyLint.guardrail(built(List.of(), null), DataClassification.INTERNAL, null, TEXTS).severity())
                .isEqualTo(Severity.OK);
        LintFinding ok = PolicyLint.guardrail(built(List.of(), GUARDRAIL), DataClassification.CONFIDENTIAL,
                GUARDRAIL, TEXTS);
        assertThat(ok.severity()).isEqualTo(Severity.OK);
        assertThat(ok.text()).contains(GUARDRAIL);
    }

    @Test
    void theGuardrailConditionIsOnTheInferenceStatementsOnly() throws Exception {
        JsonNode policy = built(List.of("203.0.113.0/24"), GUARDRAIL);
        for (JsonNode s : policy.path("Statement")) {
            boolean inference = s.path("Sid").asText().startsWith("InvokeApproved");
            assertThat(s.path("Condition").path("StringEquals").has("bedrock:GuardrailIdentifier"))
                    .as(s.path("Sid").asText()).isEqualTo(inference);
            if (inference) {
                assertThat(s.path("Condition").path("StringEquals").path("bedrock:GuardrailIdentifier").get(0)
                        .asText()).isEqualTo(GUARDRAIL);
            }
        }
    }

    @Test
    void policySizeWarnsNearTheLimitAndRefusesOverIt() {
        int limit = PolicySize.INLINE_USER_POLICY_LIMIT;
        assertThat(PolicyLint.policySize(1000, limit, TEXTS).text()).isEqualTo("The policy has 1,000 of 2,048 characters.");
        assertThat(PolicyLint.policySize(1900, limit, TEXTS).severity()).isEqualTo(Severity.WARNING);
        LintFinding over = PolicyLint.policySize(2100, limit, TEXTS);
        assertThat(over.severity()).isEqualTo(Severity.ERROR);
        assertThat(over.text()).contains("2,100").contains("52 too many");
    }

    @Test
    void theWholeRuleSetOverThePortalsPolicyListsEveryRuleInOrder() throws Exception {
        String policy = PolicyBuilder.build(new PolicyBuilder.PolicyInput(List.of(NOVA), List.of("us-east-1"),
                List.of(), ACCOUNT));
        List<LintFinding> findings = PolicyLint.check(new PolicyLint.Input(policy, List.of(), 30, 90,
                DataClassification.CONFIDENTIAL, null, PolicySize.count(policy), PolicySize.INLINE_USER_POLICY_LIMIT),
                TEXTS);
        assertThat(findings).extracting(LintFinding::rule).containsExactly(Rule.BEARER_TOKEN, Rule.WILDCARD_RESOURCE,
                Rule.REGION_CONDITION, Rule.SOURCE_IP, Rule.KEY_LIFETIME, Rule.GUARDRAIL, Rule.POLICY_SIZE);
        assertThat(findings).filteredOn(f -> f.severity() == Severity.WARNING).extracting(LintFinding::rule)
                .containsExactly(Rule.SOURCE_IP, Rule.GUARDRAIL);
        assertThat(findings).noneMatch(LintFinding::blocking);
        assertThat(PolicyLint.check(new PolicyLint.Input("not json", List.of(), null, 90, null, null, 0, 2048),
                TEXTS)).filteredOn(LintFinding::blocking).extracting(LintFinding::rule)
                .containsExactly(Rule.BEARER_TOKEN);
    }
}
