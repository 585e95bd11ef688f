package com.bedrockportal.aws;

import com.bedrockportal.catalog.FoundationModelSource;
import com.bedrockportal.key.KeyWrapper;
import com.bedrockportal.provisioning.CloudCallMetrics;
import com.bedrockportal.provisioning.PolicyValidator;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The real SDK adapters, used when {@code portal.aws.mode=aws}; the {@code sandbox} module serves otherwise. */
@Configuration(proxyBeanMethods = false)
class AwsConfig {

    @Bean
    AwsClients awsClients(AwsProperties properties, CloudCallMetrics metrics) {
        return new AwsClients(properties, java.util.List.of(new AwsCallMetrics(metrics)));
    }

    /** Implements every cloud port of the provisioning module (users, policies, keys, budgets, secrets, identity). */
    @Bean
    @ConditionalOnProperty(name = "portal.aws.mode", havingValue = "aws")
    AwsCloudAccount awsCloudAccount(AwsClients clients) {
        return new AwsCloudAccount(clients);
    }

    /** Applications' IAM roles and AssumeRole (12-hour keys: the ApplicationRoles and RoleSessions ports). */
    @Bean
    @ConditionalOnProperty(name = "portal.aws.mode", havingValue = "aws")
    AwsRoles awsRoles(AwsClients clients) {
        return new AwsRoles(clients);
    }

    /** CloudTrail's event history and Cost Explorer (the ActivityTrail and SpendReports ports). */
    @Bean
    @ConditionalOnProperty(name = "portal.aws.mode", havingValue = "aws")
    AwsEvidence awsEvidence(AwsClients clients, AwsProperties properties, TrailProperties trail) {
        return new AwsEvidence(clients, properties, trail);
    }

    /** How the account is set up (the account posture page): CloudTrail, Bedrock invocation logging, cost tags. */
    @Bean
    @ConditionalOnProperty(name = "portal.aws.mode", havingValue = "aws")
    AwsAccountPosture awsAccountPosture(AwsClients clients, AwsProperties properties) {
        return new AwsAccountPosture(clients, properties);
    }

    /** The usage collection's look-ups: Bedrock runtime calls in CloudTrail, spend grouped by application tags. */
    @Bean
    @ConditionalOnProperty(name = "portal.aws.mode", havingValue = "aws")
    AwsUsage awsUsage(AwsClients clients, AwsProperties properties, TrailProperties trail,
            @org.springframework.beans.factory.annotation.Value("${portal.usage.cost-tag-prefix:iamPrincipal/}")
            String costTagPrefix, java.time.Clock clock) {
        return new AwsUsage(clients, properties, trail, costTagPrefix, clock,
                java.time.Duration.ofMillis(AwsUsage.LOOKUP_PACE_MS));
    }

    /** KMS wraps the data keys of sealed API keys when a KMS key is configured in aws mode. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
            "'${portal.aws.mode:sandbox}' == 'aws' and '${portal.sealing.kms-key-id:}' != ''")
    KeyWrapper kmsKeyWrapper(AwsClients clients,
            @org.springframework.beans.factory.annotation.Value("${portal.sealing.kms-key-id}") String keyId) {
        return new KmsKeyWrapper(clients.kms(), keyId);
    }

    /** IAM Access Analyzer's policy checks for the approvers' policy lint. */
    @Bean
    @ConditionalOnProperty(name = "portal.aws.mode", havingValue = "aws")
    PolicyValidator policyValidator(AwsClients clients) {
        return new AwsPolicyValidator(clients);
    }

    @Bean
    @ConditionalOnProperty(name = "portal.aws.mode", havingValue = "aws")
    FoundationModelSource foundationModelSource(AwsClients clients) {
        return new BedrockFoundationModels(clients);
    }
}
