package com.bedrockportal.provisioning;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Port: the IAM users provisioning creates for business units. Implemented by the AWS SDK adapter and the simulated
 * account, held to {@code IamUsersContract}. Failures are {@link CloudException}s.
 */
public interface IamUsers {

    record IamUser(String userName, String arn, String path, Map<String, String> tags, Instant createdAt) {
    }

    Optional<IamUser> findUser(String userName);

    /** Creates the user with its tags in the same call. @throws CloudException ALREADY_EXISTS */
    IamUser createUser(String userName, String path, Map<String, String> tags);

    // --- Decommissioning (teardown of an application's resources)

    /**
     * Deletes the user. Idempotent: a user that does not exist counts as deleted.
     *
     * @return true if this call deleted it, false if there was no such user
     * @throws CloudException CONFLICT while the user still has service-specific credentials, inline or attached
     *                        policies, access keys or anything else IAM requires to be removed first
     */
    boolean deleteUser(String userName);
}
