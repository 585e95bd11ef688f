package com.bedrockportal.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.bedrockportal.provisioning.PermissionCheck.SimulationCase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The simulated account's policy evaluation, for the shapes of policy the portal writes: Allow statements with
 * actions (a trailing {@code *} matches a prefix), resources ({@code *} matches all) and {@code StringEquals} /
 * {@code IpAddress} conditions. An explicit Deny wins; a condition whose key the case does not carry is not met (as
 * IAM's simulation reports it).
 */
final class SimulatedPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SimulatedPolicy() {
    }

    static boolean allows(String policyJson, SimulationCase c) {
        JsonNode policy;
        try {
            policy = JSON.readTree(policyJson);
        } catch (JsonProcessingException e) {
            return false;
        }
        boolean allowed = false;
        for (JsonNode statement : list(policy.path("Statement"))) {
            if (!matches(list(statement.path("Action")), c.action(), true)
                    || !matches(list(statement.path("Resource")), c.resourceArn(), false)
                    || !conditionsMet(statement.path("Condition"), c.context())) {
                continue;
            }
            if ("Deny".equals(statement.path("Effect").asText())) {
                return false;
            }
            allowed |= "Allow".equals(statement.path("Effect").asText());
        }
        return allowed;
    }

    private static boolean matches(List<JsonNode> patterns, String value, boolean prefixWildcard) {
        for (JsonNode p : patterns) {
            String pattern = p.asText();
            if (pattern.equals("*") || pattern.equals(value)
                    || prefixWildcard && pattern.endsWith("*") && value.startsWith(pattern.substring(0,
                            pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean conditionsMet(JsonNode condition, Map<String, String> context) {
        for (Map.Entry<String, JsonNode> operator : condition.properties()) {
            for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
                String value = context.get(key.getKey());
                if (value == null) {
                    return false;
                }
                List<JsonNode> allowed = list(key.getValue());
                boolean met = switch (operator.getKey()) {
                    case "StringEquals" -> allowed.stream().anyMatch(a -> a.asText().equals(value));
                    case "IpAddress" -> allowed.stream().anyMatch(a -> inRange(value, a.asText()));
                    default -> false;
                };
                if (!met) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether an address lies in a range {@code a.b.c.d/n} (or IPv6); literals only, no look-up. */
    static boolean inRange(String address, String cidr) {
        return com.bedrockportal.shared.IpRanges.contains(cidr, address);
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (!node.isMissingNode() && !node.isNull()) {
            out.add(node);
        }
        return out;
    }
}
