package com.bedrockportal.provisioning;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Port: the IAM roles of applications that use short-term keys only (12-hour keys) — created instead of an IAM user,
 * trusted by the portal's own principal, carrying the same least-privilege inline policy and tags. Implemented by the
 * AWS SDK adapter and the simulated account. Failures are {@link CloudException}s.
 */
public interface ApplicationRoles {

    /** AWS's cap on a role's maximum session, and what 12-hour keys need. */
    int MAX_SESSION_SECONDS = 43_200;

    record IamRole(String roleName, String arn, String path, String trustPolicy, int maxSessionSeconds,
            Map<String, String> tags, Instant createdAt) {
    }

    Optional<IamRole> findRole(String roleName);

    /**
     * Creates the role with its trust policy, maximum session duration and tags in the same call.
     *
     * @throws CloudException ALREADY_EXISTS
     */
    IamRole createRole(String roleName, String path, String trustPolicyJson, int maxSessionSeconds,
            Map<String, String> tags);

    /** Sets the trust policy and maximum session again (a retry or a role someone edited). */
    void updateRole(String roleName, String trustPolicyJson, int maxSessionSeconds);

    /** Adds or overwrites tags (TagRole). @throws CloudException NOT_FOUND */
    void tagRole(String roleName, Map<String, String> tags);

    /** Creates or replaces an inline policy (PutRolePolicy). @throws CloudException NOT_FOUND (no role) */
    void putRolePolicy(String roleName, String policyName, String policyJson);

    /** Deletes an inline policy; a missing one (or role) counts as deleted. */
    boolean deleteRolePolicy(String roleName, String policyName);

    /** Deletes the role; a missing role counts as deleted. @throws CloudException CONFLICT while it has policies */
    boolean deleteRole(String roleName);

    /**
     * The inline policy that refuses every session issued before a moment (AWS's "revoke active sessions"): 12-hour keys
     * handed out before their application was suspended stop working at their next call; later sessions are unaffected.
     */
    String REVOKED_SESSIONS_POLICY = "portal-revoked-sessions";

    /** The {@link #REVOKED_SESSIONS_POLICY} document: deny everything to sessions issued before {@code before}. */
    static String denySessionsIssuedBefore(java.time.Instant before) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"RevokeSessionsIssuedBefore\",\"Effect\":"
                + "\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{"
                + "\"aws:TokenIssueTime\":\"" + java.time.format.DateTimeFormatter.ISO_INSTANT.format(
                        before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)) + "\"}}}]}";
    }

    /** The trust policy letting only this principal (the portal's) assume the role. */
    static String trustPolicy(String principalArn) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                + principalArn + "\"},\"Action\":\"sts:AssumeRole\"}]}";
    }
}
