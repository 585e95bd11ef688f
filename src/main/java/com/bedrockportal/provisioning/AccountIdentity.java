package com.bedrockportal.provisioning;

/**
 * Port: who the portal is in AWS — the account its policies' ARNs name, and what the AWS connection page shows.
 * Implemented by the AWS SDK adapter and the simulated account, held to {@code AccountIdentityContract}.
 */
public interface AccountIdentity {

    record CallerIdentity(String account, String arn, String userId) {
    }

    CallerIdentity callerIdentity();
}
