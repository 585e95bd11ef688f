package com.bedrockportal.request;

import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.request.LintFinding.Rule;
import com.bedrockportal.request.LintFinding.Severity;
import com.bedrockportal.shared.FormValidation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one rule set over a request and the policy the portal would build for it: the form shows its findings as the
 * user types, the approval page shows the same list, and the findings of severity ERROR are the ones the submit
 * refuses too ({@link RequestRules}). Pure: the policy JSON, the request's values and the organisation's limits in,
 * findings out, in the order of {@link Rule}.
 */
public final class PolicyLint {

    /** Actions that take no resource-level permission: {@code "*"} is their only resource. */
    private static final List<String> RESOURCELESS_ACTIONS = List.of("bedrock:CallWithBearerToken");
    private static final String BEARER = "bedrock:CallWithBearerToken";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Above this share of the limit the size is a warning: one more model or range may not fit. */
    private static final double SIZE_WARNING_SHARE = 0.9;

    /**
     * What the lint reads. {@code sourceCidrs}: the ranges as typed (the lint refuses a range that allows every
     * address even where the policy builder would not see it); {@code lifetimeDays} may be null (not filled in yet).
     */
    public record Input(String policyJson, List<String> sourceCidrs, Integer lifetimeDays, int orgMaxLifetimeDays,
            DataClassification classification, String guardrailArn, int policyCharacters, int policyLimit) {
    }

    private PolicyLint() {
    }

    public static List<LintFinding> check(Input in, FormValidation texts) {
        JsonNode policy = parse(in.policyJson());
        List<LintFinding> findings = new ArrayList<>();
        findings.add(bearerToken(policy, texts));
        findings.add(wildcardResources(policy, texts));
        findings.add(regionCondition(policy, texts));
        findings.add(sourceIp(policy, in.sourceCidrs(), texts));
        if (in.lifetimeDays() != null) {
            findings.add(keyLifetime(in.lifetimeDays(), in.orgMaxLifetimeDays(), texts));
        }
        findings.add(guardrail(policy, in.classification(), in.guardrailArn(), texts));
        findings.add(policySize(in.policyCharacters(), in.policyLimit(), texts));
        return List.copyOf(findings);
    }

    static LintFinding bearerToken(JsonNode policy, FormValidation texts) {
        boolean present = statements(policy).stream()
                .anyMatch(s -> "Allow".equals(s.path("Effect").asText()) && values(s.path("Action")).contains(BEARER));
        return present ? ok(Rule.BEARER_TOKEN, texts)
                : finding(Rule.BEARER_TOKEN, Severity.ERROR, "missing", texts);
    }

    /**
     * {@code "*"} is refused except for actions that take no resource; a wildcard in a resource's id (all models) is
     * refused; a wildcard region is accepted only where the statement is limited to the approved inference profiles.
     */
    static LintFinding wildcardResources(JsonNode policy, FormValidation texts) {
        boolean regionWildcardUnbounded = false;
        for (JsonNode s : statements(policy)) {
            List<String> actions = values(s.path("Action"));
            boolean resourceless = !actions.isEmpty() && RESOURCELESS_ACTIONS.containsAll(actions);
            boolean viaProfile = s.path("Condition").path("StringEquals").has("bedrock:InferenceProfileArn");
            for (String resource : values(s.path("Resource"))) {
                if ("*".equals(resource)) {
                    if (!resourceless) {
                        return finding(Rule.WILDCARD_RESOURCE, Severity.ERROR, "star", texts,
                                String.join(", ", actions));
                    }
                    continue;
                }
                String[] parts = resource.split(":", 6);
                String id = parts.length == 6 ? parts[5] : resource;
                if (id.contains("*")) {
                    return finding(Rule.WILDCARD_RESOURCE, Severity.ERROR, "id", texts, resource);
                }
                if (parts.length == 6 && parts[3].contains("*") && !viaProfile) {
                    regionWildcardUnbounded = true;
                }
            }
        }
        return regionWildcardUnbounded ? finding(Rule.WILDCARD_RESOURCE, Severity.WARNING, "region", texts)
                : ok(Rule.WILDCARD_RESOURCE, texts);
    }

    /** Every statement but the one reached only through approved profiles limits the regions. */
    static LintFinding regionCondition(JsonNode policy, FormValidation texts) {
        List<JsonNode> statements = statements(policy);
        boolean missing = statements.isEmpty() || statements.stream()
                .filter(s -> !s.path("Condition").path("StringEquals").has("bedrock:InferenceProfileArn"))
                .anyMatch(s -> !s.path("Condition").path("StringEquals").has("aws:RequestedRegion"));
        return missing ? finding(Rule.REGION_CONDITION, Severity.WARNING, "missing", texts)
                : ok(Rule.REGION_CONDITION, texts);
    }

    /** A range that allows every address is refused; no range at all is a warning (the key works from anywhere). */
    static LintFinding sourceIp(JsonNode policy, List<String> typed, FormValidation texts) {
        for (String token : typed == null ? List.<String>of() : typed) {
            try {
                if (Cidr.parse(token).bits() == 0) {
                    return finding(Rule.SOURCE_IP, Severity.ERROR, "everything", texts, token);
                }
            } catch (Cidr.Invalid e) {
                // the field's own rule reports it
            }
        }
        boolean limited = statements(policy).stream()
                .filter(s -> values(s.path("Action")).contains(BEARER))
                .anyMatch(s -> s.path("Condition").path("IpAddress").has("aws:SourceIp"));
        return limited ? ok(Rule.SOURCE_IP, texts) : finding(Rule.SOURCE_IP, Severity.WARNING, "missing", texts);
    }

    static LintFinding keyLifetime(int days, int orgMax, FormValidation texts) {
        return days > orgMax ? finding(Rule.KEY_LIFETIME, Severity.ERROR, "over", texts, days, orgMax)
                : ok(Rule.KEY_LIFETIME, texts, days, orgMax);
    }

    /** Confidential (or stricter) data should only reach models through a guardrail the policy requires. */
    static LintFinding guardrail(JsonNode policy, DataClassification classification, String guardrailArn,
            FormValidation texts) {
        boolean required = statements(policy).stream()
                .anyMatch(s -> s.path("Condition").path("StringEquals").has(PolicyBuilder.GUARDRAIL_KEY));
        if (required) {
            return ok(Rule.GUARDRAIL, texts, guardrailArn == null ? "" : guardrailArn.strip());
        }
        boolean sensitive = classification != null
                && classification.ordinal() >= DataClassification.CONFIDENTIAL.ordinal();
        return sensitive ? finding(Rule.GUARDRAIL, Severity.WARNING, "missing", texts,
                texts.text("classification." + classification.name()))
                : finding(Rule.GUARDRAIL, Severity.OK, "notNeeded", texts);
    }

    static LintFinding policySize(int characters, int limit, FormValidation texts) {
        if (characters > limit) {
            return finding(Rule.POLICY_SIZE, Severity.ERROR, "over", texts, characters, limit, characters - limit);
        }
        if (characters > limit * SIZE_WARNING_SHARE) {
            return finding(Rule.POLICY_SIZE, Severity.WARNING, "near", texts, characters, limit);
        }
        return ok(Rule.POLICY_SIZE, texts, characters, limit);
    }

    private static LintFinding ok(Rule rule, FormValidation texts, Object... args) {
        return new LintFinding(rule, Severity.OK, texts.text(key(rule) + ".ok", args), "");
    }

    private static LintFinding finding(Rule rule, Severity severity, String state, FormValidation texts,
            Object... args) {
        String base = key(rule) + "." + state;
        return new LintFinding(rule, severity, texts.text(base, args),
                severity == Severity.OK ? "" : texts.text(base + ".fix", args));
    }

    private static String key(Rule rule) {
        return "lint." + rule.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static List<JsonNode> statements(JsonNode policy) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode s = policy.path("Statement");
        if (s.isArray()) {
            s.forEach(out::add);
        } else if (s.isObject()) {
            out.add(s);
        }
        return out;
    }

    /** A policy element that is a string or a list of strings. */
    private static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
