package com.bedrockportal.provisioning;

import java.util.List;

/**
 * IAM Access Analyzer's policy checks ({@code ValidatePolicy}) on an identity policy, for the approvers' policy lint.
 * Only the aws mode has it; a denied or failed call is an answer too (the lint says the check was skipped and why).
 */
public interface PolicyValidator {

    /** How the check went. */
    enum Status {
        CHECKED, DENIED, FAILED
    }

    /** One finding as Access Analyzer reports it (type: ERROR, SECURITY_WARNING, WARNING, SUGGESTION). */
    record Finding(String type, String issueCode, String details, String learnMoreLink) {
    }

    record Result(Status status, List<Finding> findings) {
    }

    Result validate(String policyJson);
}
