package com.bedrockportal.request;

import java.util.List;
import java.util.Map;

/**
 * The exact policy JSON and tags approval will create, plus what is still missing for a complete request, and the
 * policy's size as IAM counts it against the limit AWS applies (the submission refuses a policy over it).
 */
public record PolicyPreview(String policyJson, Map<String, String> tags, String iamUserName, List<String> notes,
        int policyCharacters, int policyLimit) {

    public boolean policyFits() {
        return policyCharacters <= policyLimit;
    }
}
