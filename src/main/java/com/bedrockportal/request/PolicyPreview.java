package com.bedrockportal.request;

import java.util.List;
import java.util.Map;

/**
 * The exact policy JSON and tags approval will create, plus what is still missing for a complete request, and the
 * policy's size as IAM counts it against the limit AWS applies (the submission refuses a policy over it); for a change,
 * what it adds and removes.
 */
public record PolicyPreview(String policyJson, Map<String, String> tags, String iamUserName, List<String> notes,
        int policyCharacters, int policyLimit, AccessRequest.Kind kind, AccessChange change) {

    /** Whether security reviews it: every new application, and every change that widens access. */
    public boolean securityReview() {
        return kind == AccessRequest.Kind.NEW || change.widens();
    }

    public boolean policyFits() {
        return policyCharacters <= policyLimit;
    }
}
