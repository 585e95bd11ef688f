package com.bedrockportal.provisioning;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Provisioning settings ({@code portal.provisioning.*}).
 *
 * @param iamPath      path of the IAM users the portal creates
 * @param policyName   name of the inline policy
 * @param retryCycle   retries of a step after a technical failure (Camunda time cycle), then an incident
 * @param revealWindow how long the requester has to reveal a new key
 */
@ConfigurationProperties("portal.provisioning")
public record ProvisioningProperties(@DefaultValue("/bedrock-portal/") String iamPath,
        @DefaultValue("bedrock-access-portal") String policyName, @DefaultValue("PT10S,PT1M,PT5M") String retryCycle,
        @DefaultValue("P3D") Duration revealWindow) {

    /** The process model reads {@code ${provisioningSettings.retryCycle}} and {@code ...revealWindow}. */
    @org.springframework.stereotype.Component("provisioningSettings")
    public static class Expressions {
        private final ProvisioningProperties properties;

        Expressions(ProvisioningProperties properties) {
            this.properties = properties;
        }

        public String getRetryCycle() {
            return properties.retryCycle();
        }

        public String getRevealWindow() {
            return properties.revealWindow().toString();
        }
    }
}
