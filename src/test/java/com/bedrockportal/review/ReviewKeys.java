package com.bedrockportal.review;

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
 * Applications with a revealed key as provisioning leaves them, made without the workflow (H2 and PostgreSQL): the
 * application row, its IAM user and a credential in the (simulated) account, recorded by {@link ApiKeys}.
 */
record ReviewKeys(JdbcTemplate jdbc, ApiKeys keys, IamUsers users, ServiceCredentials credentials) {

    /** A new application of the unit, owned by {@code owner}, with one revealed ACTIVE key. */
    ApiKey application(BusinessUnit unit, String slug, String owner) {
        long application = Fixtures.application(jdbc, unit, slug);
        jdbc.update("update application set owner = ? where id = ?", owner, application);
        String submission = UUID.randomUUID().toString();
        jdbc.update("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at)
                values (?, ?, 'access review test', 'amazon.nova-lite-v1:0', 'us-east-1', '', 30, 100, 80,
                    'alice@example.com', false, 'alice@example.com', 'INTERNAL', 'PROVISIONED', ?, now(), now())""",
                unit.id(), owner, submission);
        long requestId = jdbc.queryForObject("select id from access_request where submission_key = ?", Long.class,
                submission);
        String user = ApplicationNames.iamUser(unit.slug(), slug);
        if (users.findUser(user).isEmpty()) {
            users.createUser(user, "/bedrock-portal/", Map.of());
        }
        ServiceCredentials.NewServiceCredential created = credentials.createServiceCredential(user,
                ServiceCredentials.BEDROCK_SERVICE, 30);
        ApiKey key = keys.store(requestId, owner, unit.id(), application, user, created.credential().credentialId(),
                created.credential().createdAt(), created.credential().expiresAt(), created.secret(),
                Duration.ofDays(3), "us-east-1", "amazon.nova-lite-v1:0");
        jdbc.update("update api_key set status = 'ACTIVE', revealed_at = now(), revealed_by = ?, "
                + "sealed_secret = null, wrapped_key = null where id = ?", owner, key.id());
        return keys.find(key.id()).orElseThrow();
    }

    long applicationOf(ApiKey key) {
        return keys.applicationOf(key.id()).orElseThrow();
    }

    String status(ApiKey key) {
        return jdbc.queryForObject("select status from api_key where id = ?", String.class, key.id());
    }

    /** The credential's status in the simulated account, or null when it no longer exists there. */
    String inAws(ApiKey key) {
        return jdbc.query("select status from sandbox_credential where id = ?", rs -> rs.next() ? rs.getString(1)
                : null, key.credentialId());
    }

    /** Closes every open campaign (of earlier tests sharing the database), so a new one can start. */
    void closeOpenCampaigns() {
        jdbc.update("update access_review_campaign set status = 'CLOSED', closed_at = now() where status = 'OPEN'");
    }
}
