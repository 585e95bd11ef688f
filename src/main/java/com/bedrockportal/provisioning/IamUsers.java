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

    // --- ownership handover (issue 10, owners): tags follow the application's owner

    /**
     * Adds or overwrites these tags of an existing user (IAM TagUser); other tags stay. Idempotent: the same tags
     * again change nothing. @throws CloudException NOT_FOUND when the user does not exist, INVALID_INPUT for a key or
     * value IAM refuses
     */
    void tagUser(String userName, Map<String, String> tags);
    // --- drift reconciliation (read-only)

    /**
     * A page-capped listing: at most the {@code limit} users asked for, and whether more exist. The users carry no
     * tags (ListUsers does not return them; {@link #findUser} does).
     */
    record UserListing(java.util.List<IamUser> users, boolean truncated) {
    }

    /**
     * The IAM users under a path (ListUsers with PathPrefix, following its pages), at most {@code limit} of them:
     * listing stops once more than {@code limit} are seen, before any per-user work is done.
     */
    UserListing listUsers(String pathPrefix, int limit);

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
