package com.bedrockportal.application;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.bedrockportal.identity.Reauthentication;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyInventory;
import com.bedrockportal.key.KeyReveal;
import com.bedrockportal.key.internal.SecretSealer;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database of before applications — schema 10, with a unit whose two provisioned requests share the unit's IAM user,
 * a key revealed and one waiting for its reveal, a budget and a secret, and a request still waiting for security —
 * migrates to applications: one application that keeps the recorded AWS names, every key reachable through it, the
 * waiting key still revealable, and the open request pointed at it. Rows are written as the code of before wrote them.
 */
class UnitKeysMigrationIT extends PostgresSupport {

    static final String DB = PostgresSupport.DB + "_migration";
    static final String URL = "jdbc:postgresql://" + PostgresSupport.HOST + "/" + DB;
    static final byte[] MASTER_KEY = new byte[32];
    static final String KEY = "ABSK" + UUID.randomUUID().toString().replace("-", "")
            + UUID.randomUUID().toString().replace("-", "");
    static long unitId;
    static long revealedRequest;
    static long waitingRequest;
    static long openRequest;

    @DynamicPropertySource
    static void databaseOfBeforeApplications(DynamicPropertyRegistry registry) throws SQLException {
        for (int i = 0; i < MASTER_KEY.length; i++) {
            MASTER_KEY[i] = (byte) (i * 7 + 3);
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PostgresSupport.HOST + "/postgres",
                "postgres", "")) {
            c.createStatement().execute("drop database if exists \"" + DB + "\" with (force)");
            c.createStatement().execute("create database \"" + DB + "\"");
        }
        Flyway.configure().dataSource(URL, "postgres", "")
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").target("10")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            writeRowsOfBeforeApplications(c);
        }
        registry.add("spring.datasource.url", () -> URL);
        registry.add("portal.sealing.master-key", () -> Base64.getEncoder().encodeToString(MASTER_KEY));
    }

    private static void writeRowsOfBeforeApplications(Connection c) throws SQLException {
        unitId = id(c, """
                insert into business_unit (slug, display_name, cost_center, owner_email, default_monthly_budget,
                    created_at, updated_at)
                values ('legacy', 'Legacy unit', 'CC-9', 'owner@example.com', 500, now(), now()) returning id""");
        c.createStatement().execute("insert into business_unit_member values (" + unitId + ", 'alice')");
        c.createStatement().execute("insert into business_unit_manager values (" + unitId + ", 'mike')");
        revealedRequest = request(c, "amazon.nova-lite-v1:0", "PROVISIONED");
        waitingRequest = request(c, "amazon.nova-micro-v1:0", "PROVISIONED");
        openRequest = request(c, "amazon.nova-pro-v1:0", "PENDING_SECURITY");
        step(c, revealedRequest, "BUDGET", "budget legacy-bedrock-monthly of 200 USD");
        step(c, waitingRequest, "BUDGET", "budget legacy-bedrock-monthly updated to 50 USD");
        step(c, waitingRequest, "SECRET", "stored in legacy/bedrock/api-key");
        SecretSealer sealer = new SecretSealer(MASTER_KEY);
        key(c, revealedRequest, "ACCAREVEALED000001", null, true, sealer);
        key(c, waitingRequest, "ACCAWAITING0000001",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy/bedrock/api-key-AbCdEf", false, sealer);
    }

    private static long request(Connection c, String model, String status) throws SQLException {
        return id(c, "insert into access_request (business_unit_id, requester, purpose, models, regions, "
                + "source_cidrs, lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, "
                + "owner_email, data_classification, status, submission_key, created_at, updated_at) values ("
                + unitId + ", 'alice', 'Summarise tickets for the weekly review.', '" + model + "', 'us-east-1', '', "
                + "30, 50, 80, 'alice@example.com', true, 'alice@example.com', 'INTERNAL', '" + status + "', '"
                + UUID.randomUUID() + "', now(), now()) returning id");
    }

    private static void step(Connection c, long request, String step, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into provisioning_step (request_id, step, detail, done_at) values (?, ?, ?, now())")) {
            ps.setLong(1, request);
            ps.setString(2, step);
            ps.setString(3, detail);
            ps.executeUpdate();
        }
    }

    private static void key(Connection c, long request, String credential, String secretArn, boolean revealed,
            SecretSealer sealer) throws SQLException {
        SecretSealer.Sealed sealed = revealed ? null : sealer.seal(KEY.toCharArray(), ApiKeys.context(request));
        try (PreparedStatement ps = c.prepareStatement("""
                insert into api_key (request_id, requester, business_unit_id, iam_user, credential_id, key_prefix,
                    status, created_at, expires_at, reveal_deadline, sealed_secret, wrapped_key, master_key_id,
                    secret_arn, revealed_at, revealed_by, region, example_model)
                values (?, 'alice', ?, 'legacy-bedrock-user', ?, ?, ?, now(), now() + interval '30 days',
                    now() + interval '3 days', ?, ?, ?, ?, ?, ?, 'us-east-1', 'amazon.nova-lite-v1:0')""")) {
            ps.setLong(1, request);
            ps.setLong(2, unitId);
            ps.setString(3, credential);
            ps.setString(4, KEY.substring(0, 12));
            ps.setString(5, revealed ? "ACTIVE" : "PENDING_REVEAL");
            ps.setString(6, sealed == null ? null : Base64.getEncoder().encodeToString(sealed.ciphertext()));
            ps.setString(7, sealed == null ? null : Base64.getEncoder().encodeToString(sealed.wrappedKey()));
            ps.setString(8, sealed == null ? null : sealed.masterKeyId());
            ps.setString(9, secretArn);
            ps.setObject(10, revealed ? java.time.OffsetDateTime.now() : null);
            ps.setString(11, revealed ? "alice" : null);
            ps.executeUpdate();
        }
    }

    private static long id(Connection c, String sql) throws SQLException {
        try (var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationService applications;
    @Autowired
    KeyInventory inventory;
    @Autowired
    KeyReveal reveal;

    @Test
    void theUnitsKeysBecomeOneApplicationThatKeepsItsAwsNames() {
        List<Map<String, Object>> apps = jdbc.queryForList("select * from application where business_unit_id = ?",
                unitId);
        assertThat(apps).hasSize(1);
        Map<String, Object> app = apps.get(0);
        assertThat(app).containsEntry("slug", ApplicationNames.LEGACY_SLUG)
                .containsEntry("iam_user", "legacy-bedrock-user")
                .containsEntry("budget_name", "legacy-bedrock-monthly")
                .containsEntry("secret_name", "legacy/bedrock/api-key")
                .containsEntry("models", "amazon.nova-micro-v1:0") // the policy in AWS is the last one applied
                .containsEntry("owner", "alice").containsEntry("status", "ACTIVE");
        long appId = ((Number) app.get("id")).longValue();
        assertThat(jdbc.queryForList("select application_id from api_key where business_unit_id = ?", Long.class,
                unitId)).containsOnly(appId).hasSize(2);
        assertThat(jdbc.queryForObject("select application_id from access_request where id = ?", Long.class,
                revealedRequest)).isEqualTo(appId);
        // the request still waiting for security changes that application when provisioned, as it would have
        // changed the unit's user
        assertThat(jdbc.queryForMap("select application_id, application_slug from access_request where id = ?",
                openRequest)).containsEntry("application_id", appId)
                .containsEntry("application_slug", ApplicationNames.LEGACY_SLUG);

        RunAs.user("alice", () -> {
            assertThat(applications.find(appId)).get().extracting(a -> a.names().iamUser())
                    .isEqualTo("legacy-bedrock-user");
            assertThat(inventory.list(KeyInventory.Filter.ofApplication(appId), KeyInventory.Sort.CREATED_DESC, 0,
                    10)).extracting(KeyInventory.Row::requestId).containsExactlyInAnyOrder(revealedRequest,
                            waitingRequest);
        }, "REQUESTER");
    }

    @Test
    void theKeyWaitingForItsRevealIsStillRevealedOnce() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.getSession(true).setAttribute(Reauthentication.SESSION_ATTRIBUTE, java.time.Instant.now());
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        try {
            KeyReveal.Result result = RunAs.user("alice", () -> reveal.reveal(waitingRequest), "REQUESTER");
            assertThat(result).isInstanceOfSatisfying(KeyReveal.Revealed.class,
                    r -> assertThat(new String(r.key())).isEqualTo(KEY));
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
    }
}
