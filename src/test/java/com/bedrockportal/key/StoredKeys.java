package com.bedrockportal.key;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** A provisioned request of alice's with a sealed key waiting for its reveal, made without the workflow. */
record StoredKeys(long requestId, String key) {

    static StoredKeys provision(JdbcTemplate jdbc, ApiKeys keys, BusinessUnit unit) {
        long requestId = jdbc.queryForObject("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at)
                values (?, 'alice', 'reveal test', 'amazon.nova-lite-v1:0', 'us-east-1', '', 30, 100, 80,
                    'alice@example.com', false, 'alice@example.com', 'INTERNAL', 'PROVISIONED', ?, now(), now())
                returning id""", Long.class, unit.id(), UUID.randomUUID().toString());
        String key = "ABSK" + UUID.randomUUID().toString().replace("-", "")
                + UUID.randomUUID().toString().replace("-", "");
        long application = Fixtures.application(jdbc, unit, "app-" + UUID.randomUUID().toString().substring(0, 8));
        keys.store(requestId, "alice", unit.id(), application, unit.slug() + "-bedrock-user",
                "ACCA" + UUID.randomUUID().toString().substring(0, 17).toUpperCase().replace("-", "X"), Instant.now(),
                Instant.now().plus(Duration.ofDays(30)), key.toCharArray(), Duration.ofDays(3), "us-east-1",
                "amazon.nova-lite-v1:0");
        return new StoredKeys(requestId, key);
    }

    /** Reveals as {@code user} in a request whose session says they logged in again just now (or not). */
    KeyReveal.Result revealAs(KeyReveal reveal, String user, boolean fresh) {
        if (fresh) {
            return RunAs.afterFreshLogin(user, () -> reveal.reveal(requestId), "REQUESTER");
        }
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));
        try {
            return RunAs.user(user, () -> reveal.reveal(requestId), "REQUESTER");
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
    }
}
