package com.bedrockportal.provisioning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.bedrockportal.catalog.CatalogModel;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import static com.fasterxml.jackson.annotation.JsonFormat.Feature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED;

/**
 * Builds the least-privilege inline policy of a business unit's Bedrock user: inference only, on the approved models
 * and inference profiles, plus {@code bedrock:CallWithBearerToken} (without it every call made with an API key fails
 * with 403), optionally limited to regions ({@code aws:RequestedRegion}) and source addresses ({@code aws:SourceIp}).
 * The one place the policy is built: the request form previews it, security approves it, provisioning applies it.
 */
public final class PolicyBuilder {

    /**
     * What the policy covers. {@code guardrailArn} (optional): the inference statements then require that guardrail
     * ({@code bedrock:GuardrailIdentifier}, as the Bedrock user guide's "enforce the use of specific guardrails" shows).
     */
    public record PolicyInput(List<CatalogModel> models, List<String> regions, List<String> sourceCidrs,
            String accountId, String guardrailArn) {

        public PolicyInput(List<CatalogModel> models, List<String> regions, List<String> sourceCidrs,
                String accountId) {
            this(models, regions, sourceCidrs, accountId, null);
        }
    }

    /** The condition key that makes inference calls carry a given guardrail. */
    public static final String GUARDRAIL_KEY = "bedrock:GuardrailIdentifier";
    static final List<String> INFERENCE_ACTIONS = List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PolicyBuilder() {
    }

    public static String build(PolicyInput input) {
        try {
            return JSON.writeValueAsString(new Policy("2012-10-17", statements(input)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a policy of records, lists and maps always serialises", e);
        }
    }

    /**
     * The size of the policy this input produces, as IAM counts it ({@link PolicySize#count}), and what its models
     * and its source-IP ranges add to it: the policy without the ranges, and without models and ranges, tell.
     */
    public static PolicySize measure(PolicyInput input) {
        int whole = PolicySize.count(build(input));
        List<String> cidrs = input.sourceCidrs() == null ? List.of() : input.sourceCidrs();
        int withoutRanges = cidrs.isEmpty() ? whole : PolicySize.count(build(new PolicyInput(input.models(),
                input.regions(), List.of(), input.accountId(), input.guardrailArn())));
        int skeleton = PolicySize.count(build(new PolicyInput(List.of(), input.regions(), List.of(),
                input.accountId(), input.guardrailArn())));
        return new PolicySize(whole, withoutRanges - skeleton, whole - withoutRanges);
    }

    /** An IAM policy document, its properties in the order and spelling IAM shows them. */
    @JsonPropertyOrder({ "Version", "Statement" })
    record Policy(@JsonProperty("Version") String version, @JsonProperty("Statement") List<Statement> statements) {
    }

    /** One Allow statement; a single action or resource is written as a string, several as a list. */
    @JsonPropertyOrder({ "Sid", "Effect", "Action", "Resource", "Condition" })
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Statement(@JsonProperty("Sid") String sid, @JsonProperty("Effect") String effect,
            @JsonProperty("Action") @JsonFormat(with = WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED) List<String> actions,
            @JsonProperty("Resource") @JsonFormat(with = WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED) List<String> resources,
            @JsonProperty("Condition") Condition condition) {

        static Statement allow(String sid, List<String> actions, Set<String> resources, Condition condition) {
            return new Statement(sid, "Allow", List.copyOf(actions), List.copyOf(resources), condition);
        }
    }

    /** The condition operators the portal uses, each mapping a condition key to its values; absent ones omitted. */
    @JsonPropertyOrder({ "StringEquals", "IpAddress" })
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Condition(@JsonProperty("StringEquals") Map<String, List<String>> stringEquals,
            @JsonProperty("IpAddress") Map<String, List<String>> ipAddress) {

        /** No condition at all when both are absent: the statement then has no Condition. */
        static Condition of(Map<String, List<String>> stringEquals, Map<String, List<String>> ipAddress) {
            return stringEquals == null && ipAddress == null ? null : new Condition(stringEquals, ipAddress);
        }
    }

    private static List<Statement> statements(PolicyInput input) {
        List<String> regions = input.regions();
        Set<String> foundationArns = new LinkedHashSet<>();
        Set<String> profileArns = new LinkedHashSet<>();
        Set<String> routedModelArns = new LinkedHashSet<>();
        for (CatalogModel model : input.models()) {
            for (String region : regions) {
                if (!model.availableIn(region)) {
                    continue;
                }
                if (model.kind() == CatalogModel.Kind.INFERENCE_PROFILE) {
                    profileArns.add(model.arn(region, input.accountId()));
                    // A cross-region profile forwards the call to the model in any of its destination regions.
                    routedModelArns.add("arn:aws:bedrock:*::foundation-model/" + model.foundationModelId());
                } else {
                    foundationArns.add(model.arn(region, input.accountId()));
                }
            }
        }
        Condition regionAndIp = conditions(regions, input.sourceCidrs(), null);
        Condition inference = conditions(regions, input.sourceCidrs(), input.guardrailArn());
        List<Statement> statements = new ArrayList<>();
        if (!foundationArns.isEmpty()) {
            statements.add(Statement.allow("InvokeApprovedFoundationModels", INFERENCE_ACTIONS, foundationArns,
                    inference));
        }
        if (!profileArns.isEmpty()) {
            statements.add(Statement.allow("InvokeApprovedInferenceProfiles", INFERENCE_ACTIONS, profileArns,
                    inference));
            // Only when reached through one of the approved profiles. No region or source-IP condition here: the
            // forwarded call is evaluated in the destination region and comes from Bedrock, not from the caller.
            Condition viaProfile = Condition.of(Map.of("bedrock:InferenceProfileArn", List.copyOf(profileArns)),
                    null);
            statements.add(Statement.allow("InvokeModelsThroughApprovedProfiles", INFERENCE_ACTIONS, routedModelArns,
                    viaProfile));
        }
        statements.add(Statement.allow("AllowBedrockApiKeys", List.of("bedrock:CallWithBearerToken"), Set.of("*"),
                regionAndIp));
        return statements;
    }

    private static Condition conditions(List<String> regions, List<String> cidrs, String guardrailArn) {
        Map<String, List<String>> equals = new LinkedHashMap<>();
        if (!regions.isEmpty()) {
            equals.put("aws:RequestedRegion", List.copyOf(regions));
        }
        if (guardrailArn != null && !guardrailArn.isBlank()) {
            equals.put(GUARDRAIL_KEY, List.of(guardrailArn.strip()));
        }
        return Condition.of(equals.isEmpty() ? null : equals,
                cidrs == null || cidrs.isEmpty() ? null : Map.of("aws:SourceIp", List.copyOf(cidrs)));
    }
}
