package com.bedrockportal.request;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import com.bedrockportal.testsupport.PostgresSupport;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V41 on a database with change requests made before it, on H2 and PostgreSQL: each change request gets the guardrail
 * its application required when it was submitted (that of the application's last provisioned request before it), so
 * the request page can still say what it did to the guardrail; a new application's request gets none.
 */
class BaseGuardrailMigrationIT {

    private static final String G1 = "arn:aws:bedrock:us-east-1:123456789012:guardrail/brand:1";
    private static final String G3 = "arn:aws:bedrock:us-east-1:123456789012:guardrail/team:2";

    @Test
    void onH2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:v41-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        assertBackfilled(ds, "h2");
    }

    @Test
    void onPostgresql() {
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setUrl(PostgresSupport.URL);
        admin.setUser("postgres");
        JdbcTemplate jdbc = new JdbcTemplate(admin);
        jdbc.execute("drop schema if exists migration_v41 cascade");
        jdbc.execute("create schema migration_v41");
        try {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(PostgresSupport.URL + "?currentSchema=migration_v41");
            ds.setUser("postgres");
            assertBackfilled(ds, "postgresql");
        } finally {
            jdbc.execute("drop schema migration_v41 cascade");
        }
    }

    private static void assertBackfilled(DataSource ds, String vendor) {
        migrate(ds, vendor, "40");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.update("""
                insert into business_unit (id, slug, display_name, cost_center, owner_email, default_monthly_budget,
                    created_at, updated_at) values (901, 'mig', 'Migration', 'CC-1', 'o@example.com', 100,
                    current_timestamp, current_timestamp)""");
        jdbc.update("""
                insert into application (id, business_unit_id, slug, display_name, owner, owner_email, purpose,
                    data_classification, models, regions, lifetime_days, monthly_budget, alert_threshold,
                    alert_emails, store_secret, iam_user, status, created_at, updated_at)
                values (902, 901, 'desk', 'Desk', 'alice', 'a@example.com', 'p', 'INTERNAL', 'm', 'us-east-1', 30,
                    100, 80, 'a@example.com', false, 'mig-desk-bedrock', 'ACTIVE', current_timestamp,
                    current_timestamp)""");
        // 1: the new application, provisioned with G1; 2: a change removing it, provisioned; 3: a change adding G3,
        // pending; 4: another new application's request, pending.
        request(jdbc, 1, null, "NEW", "PROVISIONED", G1);
        request(jdbc, 2, 902L, "CHANGE", "PROVISIONED", null);
        request(jdbc, 3, 902L, "CHANGE", "PENDING_MANAGER", G3);
        request(jdbc, 4, null, "NEW", "PENDING_MANAGER", G3);
        jdbc.update("update access_request set application_id = 902 where id = 911");

        migrate(ds, vendor, "41");

        List<String> base = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            base.add(jdbc.queryForObject("select base_guardrail_arn from request_risk where request_id = ?",
                    String.class, 910 + i));
        }
        assertThat(base).containsExactly(null, G1, null, null);
    }

    private static void request(JdbcTemplate jdbc, int n, Long app, String kind, String status, String guardrail) {
        long id = 910 + n;
        jdbc.update("""
                insert into access_request (id, business_unit_id, requester, purpose, models, regions, lifetime_days,
                    monthly_budget, alert_threshold, alert_emails, store_secret, owner_email, data_classification,
                    status, submission_key, created_at, updated_at, application_id, kind)
                values (?, 901, 'alice', 'p', 'm', 'us-east-1', 30, 100, 80, 'a@example.com', false,
                    'a@example.com', 'INTERNAL', ?, ?, current_timestamp, current_timestamp, ?, ?)""", id, status,
                "k" + id, app, kind);
        jdbc.update("insert into request_risk (request_id, guardrail_arn) values (?, ?)", id, guardrail);
    }

    private static void migrate(DataSource ds, String vendor, String target) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/"
                + vendor).target(target).load().migrate();
    }
}
