package com.bedrockportal.provisioning;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A copy of every inline policy the portal applied in AWS, with the tags the IAM user or role carried then: what an
 * evidence pack shows as the policy "at each change" and "now", exactly as sent, not rebuilt later with a policy
 * builder or catalog that may have changed since. One row per request (a retried or replayed step writes the same row
 * again); a drift repair's re-application is a row without a request. Holds no key or secret.
 */
@Component
public class AppliedPolicies {

    public enum Principal {
        USER, ROLE
    }

    /** One application of a policy. {@code requestId} is null for a drift repair. */
    public record Applied(long id, Long applicationId, Long requestId, Principal principal, String principalName,
            String policyName, String policyJson, Map<String, String> tags, String appliedBy, Instant appliedAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcClient jdbc;
    private final Clock clock;

    AppliedPolicies(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records the policy a request's provisioning applied; a second call for the request replaces the first. */
    @Transactional
    void recordProvisioned(long applicationId, long requestId, Principal principal, String principalName,
            String policyName, String policyJson, Map<String, String> tags) {
        String tagJson = json(tags);
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        int updated = jdbc.sql("""
                update applied_policy set application_id = :a, principal_kind = :k, principal_name = :p,
                    policy_name = :n, policy_json = :j, tags_json = :t, applied_at = :now
                where request_id = :r""")
                .param("a", applicationId).param("k", principal.name()).param("p", principalName)
                .param("n", policyName).param("j", policyJson).param("t", tagJson).param("now", now)
                .param("r", requestId).update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into applied_policy (application_id, request_id, principal_kind, principal_name,
                        policy_name, policy_json, tags_json, applied_by, applied_at)
                    values (:a, :r, :k, :p, :n, :j, :t, :by, :now)""")
                    .param("a", applicationId).param("r", requestId).param("k", principal.name())
                    .param("p", principalName).param("n", policyName).param("j", policyJson).param("t", tagJson)
                    .param("by", "portal (request " + requestId + ")").param("now", now).update();
        }
    }

    /**
     * Records a drift repair that put the expected policy back on an application's IAM user; the tags are those of
     * the application's last recorded policy (a repair changes no tag).
     */
    @Transactional
    public void recordRepair(long applicationId, String iamUser, String policyName, String policyJson, String by) {
        recordWithoutRequest(applicationId, Principal.USER, iamUser, policyName, policyJson,
                latest(applicationId).map(Applied::tags).orElse(Map.of()), by);
    }

    /** Records the policy and tags put back after a failed change (the application's before it). */
    void recordPutBack(long applicationId, Principal principal, String principalName, String policyName,
            String policyJson, Map<String, String> tags, String by) {
        recordWithoutRequest(applicationId, principal, principalName, policyName, policyJson, tags, by);
    }

    private void recordWithoutRequest(long applicationId, Principal principal, String principalName,
            String policyName, String policyJson, Map<String, String> tags, String by) {
        jdbc.sql("""
                insert into applied_policy (application_id, request_id, principal_kind, principal_name, policy_name,
                    policy_json, tags_json, applied_by, applied_at)
                values (:a, null, :k, :p, :n, :j, :t, :by, :now)""")
                .param("a", applicationId).param("k", principal.name()).param("p", principalName)
                .param("n", policyName).param("j", policyJson).param("t", json(tags)).param("by", by)
                .param("now", clock.instant().atOffset(ZoneOffset.UTC)).update();
    }

    /** The policies applied for an application, oldest first, at most {@code max} (the newest ones). */
    @Transactional(readOnly = true)
    public List<Applied> ofApplication(long applicationId, int max) {
        List<Applied> oldestFirst = new java.util.ArrayList<>(newest(applicationId, max));
        java.util.Collections.reverse(oldestFirst);
        return List.copyOf(oldestFirst);
    }

    /** A recorded policy by its id. */
    @Transactional(readOnly = true)
    public Optional<Applied> find(long id) {
        return jdbc.sql("""
                select id, application_id, request_id, principal_kind, principal_name, policy_name, policy_json,
                    tags_json, applied_by, applied_at
                from applied_policy where id = :id""").param("id", id).query(AppliedPolicies::row).optional();
    }

    /** The policy applied last for an application, if the portal recorded one. */
    @Transactional(readOnly = true)
    public Optional<Applied> latest(long applicationId) {
        return newest(applicationId, 1).stream().findFirst();
    }

    /** The newest {@code max} rows, newest first; the database stops at {@code max}. */
    private List<Applied> newest(long applicationId, int max) {
        return jdbc.sql("""
                select id, application_id, request_id, principal_kind, principal_name, policy_name, policy_json,
                    tags_json, applied_by, applied_at
                from applied_policy where application_id = :a order by applied_at desc, id desc
                fetch first :max rows only""")
                .param("a", applicationId).param("max", Math.max(1, max)).query(AppliedPolicies::row).list();
    }

    private static Applied row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        long app = rs.getLong(2);
        Long application = rs.wasNull() ? null : app;
        long req = rs.getLong(3);
        Long request = rs.wasNull() ? null : req;
        return new Applied(rs.getLong(1), application, request, Principal.valueOf(rs.getString(4)), rs.getString(5),
                rs.getString(6), rs.getString(7), tags(rs.getString(8)), rs.getString(9),
                rs.getObject(10, OffsetDateTime.class).toInstant());
    }

    private static String json(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(tags));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tags not writable as JSON", e);
        }
    }

    private static Map<String, String> tags(String json) {
        try {
            return new LinkedHashMap<>(JSON.readValue(json, new TypeReference<Map<String, String>>() {
            }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored tags are not JSON", e);
        }
    }
}
