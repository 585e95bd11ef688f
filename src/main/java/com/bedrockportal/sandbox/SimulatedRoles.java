package com.bedrockportal.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.bedrockportal.provisioning.ApplicationRoles;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.CloudException.Kind;
import com.bedrockportal.provisioning.RoleSessions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * The simulated account's IAM roles and STS AssumeRole (12-hour keys), with AWS's rules: role names as IAM's, the
 * maximum session between one and twelve hours, only the principal the trust policy names may assume the role, a
 * session of at most the role's maximum and at least 15 minutes, session names of 2 to 64 characters. Session
 * credentials are random and shaped like real ones ({@code ASIA...}); none is stored.
 */
@Transactional(noRollbackFor = CloudException.class)
public class SimulatedRoles implements ApplicationRoles, RoleSessions {

    private static final Pattern ROLE_NAME = Pattern.compile("^[\\w+=,.@-]{1,64}$");
    private static final Pattern SESSION_NAME = Pattern.compile("^[\\w+=,.@-]{2,64}$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final SimulatedAccount account;
    private final JdbcClient jdbc;
    private final String accountId;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public SimulatedRoles(SimulatedAccount account, JdbcClient jdbc, SandboxAccountProperties properties,
            Clock clock) {
        this.account = account;
        this.jdbc = jdbc;
        this.accountId = properties.id();
        this.clock = clock;
    }

    @Override
    public Optional<IamRole> findRole(String roleName) {
        account.call("GetRole", roleName);
        return jdbc.sql("select * from sandbox_iam_role where role_name = :r").param("r", roleName)
                .query((rs, i) -> new IamRole(rs.getString("role_name"), rs.getString("arn"), rs.getString("path"),
                        rs.getString("trust_policy"), rs.getInt("max_session_seconds"), tags(roleName),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    @Override
    public IamRole createRole(String roleName, String path, String trustPolicyJson, int maxSessionSeconds,
            Map<String, String> tags) {
        account.call("CreateRole", roleName);
        if (!ROLE_NAME.matcher(roleName).matches()) {
            throw new CloudException(Kind.INVALID_INPUT, "CreateRole", "1 validation error detected: Value '"
                    + roleName + "' at 'roleName' failed to satisfy constraint: must match [\\w+=,.@-]{1,64}");
        }
        validate("CreateRole", trustPolicyJson, maxSessionSeconds);
        SimulatedAccount.validateTags("CreateRole", tags);
        String arn = "arn:aws:iam::" + accountId + ":role" + path + roleName;
        try {
            jdbc.sql("""
                    insert into sandbox_iam_role (role_name, path, arn, trust_policy, max_session_seconds, created_at)
                    values (:r, :p, :arn, :trust, :max, :now)""")
                    .param("r", roleName).param("p", path).param("arn", arn).param("trust", trustPolicyJson)
                    .param("max", maxSessionSeconds).param("now", now()).update();
        } catch (DuplicateKeyException e) {
            throw new CloudException(Kind.ALREADY_EXISTS, "CreateRole", "Role with name " + roleName
                    + " already exists.", e);
        }
        tags.forEach((k, v) -> insertTag(roleName, k, v));
        return findRole(roleName).orElseThrow();
    }

    @Override
    public void updateRole(String roleName, String trustPolicyJson, int maxSessionSeconds) {
        account.call("UpdateRole", roleName);
        validate("UpdateRole", trustPolicyJson, maxSessionSeconds);
        requireRole("UpdateRole", roleName);
        jdbc.sql("update sandbox_iam_role set trust_policy = :t, max_session_seconds = :m where role_name = :r")
                .param("t", trustPolicyJson).param("m", maxSessionSeconds).param("r", roleName).update();
    }

    @Override
    public void tagRole(String roleName, Map<String, String> tags) {
        account.call("TagRole", roleName);
        requireRole("TagRole", roleName);
        SimulatedAccount.validateTags("TagRole", tags);
        tags.forEach((k, v) -> {
            if (jdbc.sql("update sandbox_iam_role_tag set tag_value = :v where role_name = :r and tag_key = :k")
                    .param("v", v).param("r", roleName).param("k", k).update() == 0) {
                insertTag(roleName, k, v);
            }
        });
    }

    @Override
    public void putRolePolicy(String roleName, String policyName, String policyJson) {
        account.call("PutRolePolicy", roleName);
        requireRole("PutRolePolicy", roleName);
        json("PutRolePolicy", policyJson);
        if (jdbc.sql("update sandbox_role_policy set document = :d where role_name = :r and policy_name = :p")
                .param("d", policyJson).param("r", roleName).param("p", policyName).update() == 0) {
            jdbc.sql("insert into sandbox_role_policy (role_name, policy_name, document) values (:r, :p, :d)")
                    .param("r", roleName).param("p", policyName).param("d", policyJson).update();
        }
    }

    /** The role's inline policy, if it has one of that name (tests and the sandbox console). */
    public Optional<String> rolePolicy(String roleName, String policyName) {
        return jdbc.sql("select document from sandbox_role_policy where role_name = :r and policy_name = :p")
                .param("r", roleName).param("p", policyName).query(String.class).optional();
    }

    @Override
    public boolean deleteRolePolicy(String roleName, String policyName) {
        account.call("DeleteRolePolicy", roleName);
        return jdbc.sql("delete from sandbox_role_policy where role_name = :r and policy_name = :p")
                .param("r", roleName).param("p", policyName).update() > 0;
    }

    @Override
    public boolean deleteRole(String roleName) {
        account.call("DeleteRole", roleName);
        if (jdbc.sql("select count(*) from sandbox_role_policy where role_name = :r").param("r", roleName)
                .query(Long.class).single() > 0) {
            throw new CloudException(Kind.CONFLICT, "DeleteRole", "Cannot delete entity, must delete policies first.");
        }
        jdbc.sql("delete from sandbox_iam_role_tag where role_name = :r").param("r", roleName).update();
        return jdbc.sql("delete from sandbox_iam_role where role_name = :r").param("r", roleName).update() > 0;
    }

    @Override
    public SessionCredentials assumeRole(String roleArn, String sessionName, Duration duration) {
        account.call("AssumeRole", roleArn);
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw new CloudException(Kind.INVALID_INPUT, "AssumeRole", "invalid roleSessionName '" + sessionName
                    + "': must match [\\w+=,.@-]{2,64}");
        }
        IamRole role = jdbc.sql("select role_name from sandbox_iam_role where arn = :a").param("a", roleArn)
                .query(String.class).optional().flatMap(this::findRole)
                .orElseThrow(() -> new CloudException(Kind.ACCESS_DENIED, "AssumeRole", "User: "
                        + account.callerIdentity().arn() + " is not authorized to perform: sts:AssumeRole on "
                        + "resource: " + roleArn));
        String caller = account.callerIdentity().arn();
        if (!role.trustPolicy().contains("\"" + caller + "\"")) {
            throw new CloudException(Kind.ACCESS_DENIED, "AssumeRole", "User: " + caller + " is not authorized to "
                    + "perform: sts:AssumeRole on resource: " + roleArn);
        }
        long seconds = duration.toSeconds();
        if (seconds < 900 || seconds > role.maxSessionSeconds()) {
            throw new CloudException(Kind.INVALID_INPUT, "AssumeRole", "The requested DurationSeconds exceeds the "
                    + "MaxSessionDuration set for this role.");
        }
        Instant expires = clock.instant().plusSeconds(seconds);
        return new SessionCredentials("ASIA" + randomText(16), randomBase64(30), randomBase64(300), expires);
    }

    private void validate(String operation, String trustPolicyJson, int maxSessionSeconds) {
        json(operation, trustPolicyJson);
        if (maxSessionSeconds < 3600 || maxSessionSeconds > MAX_SESSION_SECONDS) {
            throw new CloudException(Kind.INVALID_INPUT, operation, "MaxSessionDuration must be between 3600 and "
                    + "43200 seconds");
        }
    }

    private static void json(String operation, String document) {
        try {
            JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new CloudException(Kind.INVALID_INPUT, operation, "MalformedPolicyDocument: not JSON", e);
        }
    }

    private void requireRole(String operation, String roleName) {
        if (jdbc.sql("select count(*) from sandbox_iam_role where role_name = :r").param("r", roleName)
                .query(Long.class).single() == 0) {
            throw new CloudException(Kind.NOT_FOUND, operation, "The role with name " + roleName
                    + " cannot be found.");
        }
    }

    private void insertTag(String roleName, String key, String value) {
        jdbc.sql("insert into sandbox_iam_role_tag (role_name, tag_key, tag_value) values (:r, :k, :v)")
                .param("r", roleName).param("k", key).param("v", value).update();
    }

    private Map<String, String> tags(String roleName) {
        Map<String, String> tags = new LinkedHashMap<>();
        jdbc.sql("select tag_key, tag_value from sandbox_iam_role_tag where role_name = :r order by tag_key")
                .param("r", roleName).query((rs, i) -> tags.put(rs.getString(1), rs.getString(2))).list();
        return tags;
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return text.toString();
    }

    private String randomBase64(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getEncoder().encodeToString(value);
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
