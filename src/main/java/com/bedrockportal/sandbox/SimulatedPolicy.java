package com.bedrockportal.sandbox;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
    private static final java.util.regex.Pattern LITERAL = java.util.regex.Pattern.compile("[0-9a-fA-F:.]{2,45}");

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
        int slash = cidr.indexOf('/');
        String network = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!LITERAL.matcher(address).matches() || !LITERAL.matcher(network).matches()) {
            return false; // never a name: InetAddress would look it up
        }
        try {
            byte[] ip = InetAddress.getByName(address).getAddress();
            byte[] net = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash)).getAddress();
            int bits = slash < 0 ? net.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            if (ip.length != net.length || bits < 0 || bits > ip.length * 8) {
                return false;
            }
            int shift = ip.length * 8 - bits;
            return new BigInteger(1, ip).shiftRight(shift).equals(new BigInteger(1, net).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
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
