package com.bedrockportal.drift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Compares two IAM policy documents as IAM reads them, not as text: whitespace and key order do not count, a list
 * of one value equals the value itself ({@code "Action": "x"} and {@code ["x"]}), and the order of a list's values
 * does not count. A document that is not JSON differs from every policy.
 */
final class PolicyJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyJson() {
    }

    static boolean same(String a, String b) {
        try {
            return normalise(JSON.readTree(a)).equals(normalise(JSON.readTree(b)));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    static JsonNode normalise(JsonNode node) {
        if (node == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), normalise(e.getValue())));
            var result = JsonNodeFactory.instance.objectNode();
            sorted.forEach(result::set);
            return result;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(item -> items.add(normalise(item)));
            if (items.size() == 1) {
                return items.get(0);
            }
            items.sort(Comparator.comparing(JsonNode::toString));
            var result = JsonNodeFactory.instance.arrayNode();
            items.forEach(result::add);
            return result;
        }
        return node;
    }
}
