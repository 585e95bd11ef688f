package com.bedrockportal.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.testsupport.Fixtures;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keys as provisioning leaves them, made without the workflow: a credential in the (simulated) account under the
 * unit's IAM user, recorded and sealed by {@link ApiKeys}, and revealed by its owner (or not).
 */
record LiveKeys(JdbcTemplate jdbc, ApiKeys keys, IamUsers users, ServiceCredentials credentials) {

    ApiKey issue(BusinessUnit unit, String owner, boolean revealed) {
        // Works on H2 (the browser tests) and PostgreSQL: no "returning".
        String submission = UUID.randomUUID().toString();
        jdbc.update("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at)
                values (?, ?, 'key actions test', 'amazon.nova-lite-v1:0', 'us-east-1', '', 30, 100, 80,
                    'alice@example.com', false, 'alice@example.com', 'INTERNAL', 'PROVISIONED', ?, now(), now())""",
                unit.id(), owner, submission);
        long requestId = jdbc.queryForObject("select id from access_request where submission_key = ?", Long.class,
                submission);
        // One application per unit in these tests ("main"), under its own IAM user, as provisioning names it.
        long application = jdbc.queryForList("select id from application where business_unit_id = ? and slug = 'main'",
                Long.class, unit.id()).stream().findFirst().orElseGet(() -> Fixtures.application(jdbc, unit, "main"));
        String user = ApplicationNames.iamUser(unit.slug(), "main");
        if (users.findUser(user).isEmpty()) {
            users.createUser(user, "/bedrock-portal/", Map.of());
        }
        ServiceCredentials.NewServiceCredential created = credentials.createServiceCredential(user,
                ServiceCredentials.BEDROCK_SERVICE, 30);
        ApiKey key = keys.store(requestId, owner, unit.id(), application, user, created.credential().credentialId(),
                created.credential().createdAt(), created.credential().expiresAt(), created.secret(),
                Duration.ofDays(3), "us-east-1", "amazon.nova-lite-v1:0");
        if (revealed) {
            jdbc.update("update api_key set status = 'ACTIVE', revealed_at = now(), revealed_by = ?, "
                    + "sealed_secret = null, wrapped_key = null where id = ?", owner, key.id());
        }
        return keys.find(key.id()).orElseThrow();
    }

    String status(ApiKey key) {
        return jdbc.queryForObject("select status from api_key where id = ?", String.class, key.id());
    }

    /** Whether the secret's current version (what readers get by default) is {@code key}'s credential. */
    boolean copyServes(String secret, ApiKey key) {
        return jdbc.queryForObject("select count(*) from sandbox_secret s join sandbox_credential c on c.fingerprint "
                + "= s.fingerprint where s.name = ? and c.id = ?", Integer.class, secret, key.credentialId()) == 1;
    }

    /** The credential's status in the simulated account, or null when it no longer exists there. */
    String inAws(ApiKey key) {
        return jdbc.query("select status from sandbox_credential where id = ?", rs -> rs.next() ? rs.getString(1)
                : null, key.credentialId());
    }

    int audited(String action, ApiKey key) {
        return jdbc.queryForObject("select count(*) from audit_event where action = ? and target = ?",
                Integer.class, action, "key:" + key.id());
    }

    /** Notifications about this key (its prefix in the title) to {@code user} whose title says {@code what}. */
    int notified(String user, ApiKey key, String what) {
        return jdbc.queryForObject("select count(*) from notification where recipient = ? and title like ? "
                + "and title like ?", Integer.class, user, "%" + key.prefix() + "%", "%" + what + "%");
    }
}
