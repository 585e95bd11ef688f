package com.bedrockportal.provisioning;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the portal does in AWS, as one port. Two adapters: the AWS SDK ({@code aws} mode) and the simulated
 * account ({@code sandbox} mode), which pass the same contract tests. Failures are {@link CloudException}s that say
 * whether retrying can help.
 */
public interface CloudAccount {

    /** The service name of Bedrock API keys (IAM service-specific credentials). */
    String BEDROCK_SERVICE = "bedrock.amazonaws.com";

    record IamUser(String userName, String arn, String path, Map<String, String> tags, Instant createdAt) {
    }

    record ServiceCredential(String credentialId, String userName, String serviceName, String status,
            Instant createdAt, Instant expiresAt) {
    }

    /** A freshly created credential: {@code secret} is the API key, returned this once; overwrite it after use. */
    record NewServiceCredential(ServiceCredential credential, char[] secret) {
    }

    /** An alert of a budget: ACTUAL or FORECASTED spend above a percentage of the amount, to these addresses. */
    record BudgetAlert(String type, int thresholdPercent, List<String> emails) {
    }

    /** A monthly COST budget limited to Bedrock and one business unit's cost-allocation tag. */
    record BudgetSpec(String name, BigDecimal amountUsd, String businessUnitTag, List<BudgetAlert> alerts) {
    }

    record CallerIdentity(String account, String arn, String userId) {
    }

    CallerIdentity callerIdentity();

    /** Of these actions, the ones the caller's identity is not allowed (IAM policy simulation); empty when all are. */
    List<String> deniedActions(List<String> actions);

    Optional<IamUser> findUser(String userName);

    /** Creates the user with its tags in the same call. @throws CloudException ALREADY_EXISTS */
    IamUser createUser(String userName, String path, Map<String, String> tags);

    Optional<String> findUserPolicy(String userName, String policyName);

    /** Creates or replaces an inline policy. */
    void putUserPolicy(String userName, String policyName, String policyJson);

    List<ServiceCredential> listServiceCredentials(String userName, String serviceName);

    /** @throws CloudException LIMIT_EXCEEDED when the user already has two credentials for the service */
    NewServiceCredential createServiceCredential(String userName, String serviceName, int credentialAgeDays);

    void updateServiceCredentialStatus(String userName, String credentialId, boolean active);

    void deleteServiceCredential(String userName, String credentialId);

    Optional<BudgetSpec> findBudget(String budgetName);

    void createBudget(BudgetSpec spec);

    /** Replaces amount, filters and alerts of an existing budget. */
    void updateBudget(BudgetSpec spec);

    /** The secret's ARN, if it exists. */
    Optional<String> findSecret(String name);

    /** @return the ARN. The value is copied and may be overwritten by the caller afterwards. */
    String createSecret(String name, char[] value, Map<String, String> tags, String description);

    /** Stores a new version of an existing secret. */
    void putSecretValue(String name, char[] value);
}
