package com.bedrockportal.provisioning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.bedrockportal.catalog.CatalogModel;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Builds the least-privilege inline policy of a business unit's Bedrock user: inference only, on the approved models
 * and inference profiles, plus {@code bedrock:CallWithBearerToken} (without it every call made with an API key fails
 * with 403), optionally limited to regions ({@code aws:RequestedRegion}) and source addresses ({@code aws:SourceIp}).
 * The one place the policy is built: the request form previews it, security approves it, provisioning applies it.
 */
public final class PolicyBuilder {

    /** What the policy covers. */
    public record PolicyInput(List<CatalogModel> models, List<String> regions, List<String> sourceCidrs,
            String accountId) {
    }

    static final List<String> INFERENCE_ACTIONS = List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PolicyBuilder() {
    }

    public static String build(PolicyInput input) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", statements(input));
        try {
            return JSON.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a policy of maps and lists always serialises", e);
        }
    }

    private static List<Map<String, Object>> statements(PolicyInput input) {
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
        Map<String, Object> regionAndIp = conditions(regions, input.sourceCidrs());
        List<Map<String, Object>> statements = new ArrayList<>();
        if (!foundationArns.isEmpty()) {
            statements.add(statement("InvokeApprovedFoundationModels", INFERENCE_ACTIONS, foundationArns, regionAndIp));
        }
        if (!profileArns.isEmpty()) {
            statements.add(statement("InvokeApprovedInferenceProfiles", INFERENCE_ACTIONS, profileArns, regionAndIp));
            // Only when reached through one of the approved profiles. No region or source-IP condition here: the
            // forwarded call is evaluated in the destination region and comes from Bedrock, not from the caller.
            Map<String, Object> viaProfile = new LinkedHashMap<>();
            viaProfile.put("StringEquals", Map.of("bedrock:InferenceProfileArn", List.copyOf(profileArns)));
            statements.add(statement("InvokeModelsThroughApprovedProfiles", INFERENCE_ACTIONS, routedModelArns,
                    viaProfile));
        }
        statements.add(statement("AllowBedrockApiKeys", List.of("bedrock:CallWithBearerToken"), Set.of("*"),
                regionAndIp));
        return statements;
    }

    private static Map<String, Object> conditions(List<String> regions, List<String> cidrs) {
        Map<String, Object> conditions = new LinkedHashMap<>();
        if (!regions.isEmpty()) {
            conditions.put("StringEquals", Map.of("aws:RequestedRegion", List.copyOf(regions)));
        }
        if (cidrs != null && !cidrs.isEmpty()) {
            conditions.put("IpAddress", Map.of("aws:SourceIp", List.copyOf(cidrs)));
        }
        return conditions;
    }

    private static Map<String, Object> statement(String sid, List<String> actions, Set<String> resources,
            Map<String, Object> conditions) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        statement.put("Action", actions.size() == 1 ? actions.get(0) : actions);
        statement.put("Resource", resources.size() == 1 ? resources.iterator().next() : List.copyOf(resources));
        if (!conditions.isEmpty()) {
            statement.put("Condition", conditions);
        }
        return statement;
    }
}
