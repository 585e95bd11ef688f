package com.bedrockportal.aws;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.provisioning.ApplicationRoles;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.RoleSessions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Applications' IAM roles (CreateRole with its tags and maximum session, PutRolePolicy, TagRole, DeleteRole) and their
 * sessions (STS AssumeRole) on the AWS SDK v2, for 12-hour keys. Logs name roles and access key ids, never a secret.
 */
class AwsRoles implements ApplicationRoles, RoleSessions {

    private static final Logger log = LoggerFactory.getLogger(AwsRoles.class);
    /** What STS allows a session of a role assumed by a role (role chaining). */
    static final Duration ROLE_CHAINING_LIMIT = Duration.ofHours(1);

    private final IamClient iam;
    private final StsClient sts;

    AwsRoles(AwsClients clients) {
        this.iam = clients.iam();
        this.sts = clients.sts();
    }

    @Override
    public Optional<IamRole> findRole(String roleName) {
        return AwsCloudAccount.call("GetRole", () -> {
            try {
                Role role = iam.getRole(r -> r.roleName(roleName)).role();
                Map<String, String> tags = new LinkedHashMap<>();
                iam.listRoleTags(r -> r.roleName(roleName)).tags().forEach(t -> tags.put(t.key(), t.value()));
                String trust = role.assumeRolePolicyDocument() == null ? ""
                        : java.net.URLDecoder.decode(role.assumeRolePolicyDocument(),
                                java.nio.charset.StandardCharsets.UTF_8);
                return Optional.of(new IamRole(role.roleName(), role.arn(), role.path(), trust,
                        role.maxSessionDuration() == null ? 3600 : role.maxSessionDuration(), tags,
                        role.createDate()));
            } catch (NoSuchEntityException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public IamRole createRole(String roleName, String path, String trustPolicyJson, int maxSessionSeconds,
            Map<String, String> tags) {
        AwsCloudAccount.call("CreateRole", () -> iam.createRole(r -> r.roleName(roleName).path(path)
                .assumeRolePolicyDocument(trustPolicyJson).maxSessionDuration(maxSessionSeconds)
                .description("Bedrock access of one application (12-hour keys), made by the Bedrock Access Portal")
                .tags(tags(tags))));
        return findRole(roleName).orElseThrow();
    }

    @Override
    public void updateRole(String roleName, String trustPolicyJson, int maxSessionSeconds) {
        AwsCloudAccount.call("UpdateAssumeRolePolicy", () -> iam.updateAssumeRolePolicy(r -> r.roleName(roleName)
                .policyDocument(trustPolicyJson)));
        AwsCloudAccount.call("UpdateRole", () -> iam.updateRole(r -> r.roleName(roleName)
                .maxSessionDuration(maxSessionSeconds)));
    }

    @Override
    public void tagRole(String roleName, Map<String, String> tags) {
        AwsCloudAccount.call("TagRole", () -> iam.tagRole(r -> r.roleName(roleName).tags(tags(tags))));
    }

    @Override
    public void putRolePolicy(String roleName, String policyName, String policyJson) {
        AwsCloudAccount.call("PutRolePolicy", () -> iam.putRolePolicy(r -> r.roleName(roleName)
                .policyName(policyName).policyDocument(policyJson)));
    }

    @Override
    public boolean deleteRolePolicy(String roleName, String policyName) {
        return gone(() -> AwsCloudAccount.call("DeleteRolePolicy", () -> iam.deleteRolePolicy(r -> r
                .roleName(roleName).policyName(policyName))));
    }

    @Override
    public boolean deleteRole(String roleName) {
        return gone(() -> AwsCloudAccount.call("DeleteRole", () -> iam.deleteRole(r -> r.roleName(roleName))));
    }

    /**
     * Assumes the role for {@code duration}. When the portal itself runs as a role, STS refuses more than one hour
     * (role chaining): the session is then asked again for one hour, and the shorter expiry is what the caller gets.
     */
    @Override
    public SessionCredentials assumeRole(String roleArn, String sessionName, Duration duration) {
        try {
            return assume(roleArn, sessionName, duration);
        } catch (CloudException e) {
            if (e.kind() == CloudException.Kind.INVALID_INPUT && duration.compareTo(ROLE_CHAINING_LIMIT) > 0
                    && e.getMessage().toLowerCase(Locale.ROOT).contains("chaining")) {
                log.info("AssumeRole of {} refused {} (role chaining): asking for {}", roleArn, duration,
                        ROLE_CHAINING_LIMIT);
                return assume(roleArn, sessionName, ROLE_CHAINING_LIMIT);
            }
            throw e;
        }
    }

    private SessionCredentials assume(String roleArn, String sessionName, Duration duration) {
        Credentials c = AwsCloudAccount.call("AssumeRole", () -> sts.assumeRole(r -> r.roleArn(roleArn)
                .roleSessionName(sessionName).durationSeconds((int) duration.toSeconds())).credentials());
        return new SessionCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), c.expiration());
    }

    private static java.util.List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
    }

    private static boolean gone(Runnable delete) {
        try {
            delete.run();
            return true;
        } catch (CloudException e) {
            if (e.kind() == CloudException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }
}
