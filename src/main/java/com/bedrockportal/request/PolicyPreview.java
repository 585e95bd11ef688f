package com.bedrockportal.request;

import java.util.List;
import java.util.Map;

/**
 * The exact policy JSON and tags approval will create, plus what is still missing for a complete request, and the
 * policy's size as IAM counts it against the limit AWS applies (the submission refuses a policy over it); for a change,
 * what it adds and removes, the guardrail too.
 */
public record PolicyPreview(String policyJson, Map<String, String> tags, String iamUserName, List<String> notes,
        int policyCharacters, int policyLimit, AccessRequest.Kind kind, AccessChange change, boolean guardrailChanged,
        GuardrailChange guardrail) {

    /**
     * Whether security reviews it: every new application, every change that widens access, and every change that removes
     * or replaces the guardrail the policy requires.
     */
    public boolean securityReview() {
        return kind == AccessRequest.Kind.NEW || change.widens() || guardrailChanged;
    }

    public boolean policyFits() {
        return policyCharacters <= policyLimit;
    }
}
