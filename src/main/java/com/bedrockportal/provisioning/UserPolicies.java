package com.bedrockportal.provisioning;

import java.util.Optional;

/**
 * Port: inline policies of IAM users (the least-privilege Bedrock policy). Implemented by the AWS SDK adapter and the
 * simulated account, held to {@code UserPoliciesContract}. Failures are {@link CloudException}s.
 */
public interface UserPolicies {

    /** The policy document, if the user has a policy of that name. @throws CloudException NOT_FOUND (no user) */
    Optional<String> findUserPolicy(String userName, String policyName);

    /** Creates or replaces an inline policy. @throws CloudException NOT_FOUND (no user) */
    void putUserPolicy(String userName, String policyName, String policyJson);

    // --- Decommissioning (teardown of an application's resources)

    /**
     * Deletes an inline policy. Idempotent: a missing policy (or a missing user) counts as deleted.
     *
     * @return true if this call deleted it, false if there was none
     */
    boolean deleteUserPolicy(String userName, String policyName);
}
