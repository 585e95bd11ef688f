package com.bedrockportal.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.sandbox.SimulatedAccount;

import org.springframework.jdbc.core.JdbcTemplate;

/** What the alert tests start from: an application whose key works in the simulated account, and notable calls. */
final class AlertFixtures {

    private AlertFixtures() {
    }

    /** The application's IAM user in the account, and one revealed, active key of it (portable SQL: H2 and PostgreSQL). */
    static ApiKey activeKey(JdbcTemplate jdbc, SimulatedAccount aws, ApiKeys keys, BusinessUnit unit, long app) {
        String iamUser = jdbc.queryForObject("select iam_user from application where id = ?", String.class, app);
        aws.createUser(iamUser, "/bedrock-portal/", Map.of("business-unit", unit.slug()));
        String submission = UUID.randomUUID().toString();
        jdbc.update("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at)
                values (?, 'alice', 'alerts test', 'amazon.nova-lite-v1:0', 'us-east-1', '198.51.100.0/24', 30, 300,
                    80, 'alice@example.com', false, 'alice@example.com', 'INTERNAL', 'PROVISIONED', ?, now(), now())""",
                unit.id(), submission);
        long requestId = jdbc.queryForObject("select id from access_request where submission_key = ?", Long.class,
                submission);
        ServiceCredentials.NewServiceCredential created = aws.createServiceCredential(iamUser,
                ServiceCredentials.BEDROCK_SERVICE, 30);
        ApiKey k = keys.store(requestId, "alice", unit.id(), app, iamUser, created.credential().credentialId(),
                created.credential().createdAt(), created.credential().expiresAt(), created.secret(),
                Duration.ofDays(3), "us-east-1", "amazon.nova-lite-v1:0");
        Arrays.fill(created.secret(), '\0');
        jdbc.update("update api_key set status = 'ACTIVE', revealed_at = now(), revealed_by = 'alice', "
                + "sealed_secret = null, wrapped_key = null where id = ?", k.id());
        return keys.find(k.id()).orElseThrow();
    }

    /** A notable call (DENIED or OUTSIDE_RANGE) with the key, as the usage collection records it. */
    /** {@code n} refused calls with the key, a second apart, starting {@code ago} before now. */
    static void deniedCalls(JdbcTemplate jdbc, long app, ApiKey key, int n, java.time.Duration ago) {
        Instant start = Instant.now().minus(ago);
        for (int i = 0; i < n; i++) {
            event(jdbc, app, key, "DENIED", start.plusSeconds(i), "198.51.100.7", "AccessDeniedException");
        }
    }

    static void event(JdbcTemplate jdbc, long app, ApiKey key, String kind, Instant at, String ip, String error) {
        jdbc.update("""
                insert into usage_event (event_id, application_id, event_time, kind, event_name, source_ip, region,
                    error_code, credential_id)
                values (?, ?, ?, ?, 'InvokeModel', ?, 'us-east-1', ?, ?)""", UUID.randomUUID().toString(), app,
                at.atOffset(ZoneOffset.UTC), kind, ip, error, key.credentialId());
    }
}
