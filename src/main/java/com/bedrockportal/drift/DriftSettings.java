package com.bedrockportal.drift;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The provisioning settings the reconciliation compares against: the IAM path the portal's users live under and the
 * name of their inline policy ({@code portal.provisioning.*}, whose record is the provisioning module's own).
 */
@Component
class DriftSettings {

    private final String iamPath;
    private final String policyName;

    DriftSettings(@Value("${portal.provisioning.iam-path:/bedrock-portal/}") String iamPath,
            @Value("${portal.provisioning.policy-name:bedrock-access-portal}") String policyName) {
        this.iamPath = iamPath;
        this.policyName = policyName;
    }

    String iamPath() {
        return iamPath;
    }

    String policyName() {
        return policyName;
    }
}
