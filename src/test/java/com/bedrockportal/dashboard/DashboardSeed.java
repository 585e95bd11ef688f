package com.bedrockportal.dashboard;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.testsupport.Fixtures;

import org.springframework.jdbc.core.JdbcTemplate;

/** Rows the dashboard counts, written straight into the tables (keys, usage, spend), for tests. */
final class DashboardSeed {

    private final JdbcTemplate jdbc;

    DashboardSeed(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An application of the unit owned by {@code owner}. */
    long application(BusinessUnit unit, String slug, String owner) {
        long id = Fixtures.application(jdbc, unit, slug);
        jdbc.update("update application set owner = ? where id = ?", owner, id);
        return id;
    }

    /** A key of the application with this status, expiring {@code expiresIn} from now. */
    void key(BusinessUnit unit, long applicationId, String status, Duration expiresIn) {
        Instant now = Instant.now();
        String credential = "ACCA" + UUID.randomUUID().toString().replace("-", "").substring(0, 20).toUpperCase();
        jdbc.update("""
                insert into api_key (request_id, business_unit_id, iam_user, credential_id, key_prefix, status,
                    created_at, expires_at, reveal_deadline, application_id)
                values (null, ?, (select iam_user from application where id = ?), ?, 'ABSKdash0000', ?, ?, ?, ?, ?)""",
                unit.id(), applicationId, credential, status, Timestamp.from(now.minus(Duration.ofDays(1))),
                Timestamp.from(now.plus(expiresIn)), Timestamp.from(now.plus(Duration.ofDays(3))), applicationId);
    }

    /**
     * {@code scope}'s figures computed in a database session 14 hours ahead of UTC: {@code set} sets the session's
     * zone, {@code reset} (null: the transaction's end) puts it back, so the pooled connection goes back as it came.
     */
    static Figures computedFarEast(org.springframework.transaction.PlatformTransactionManager transactionManager,
            JdbcTemplate jdbc, FigureQueries queries, Scope scope, String set, String reset) {
        return new org.springframework.transaction.support.TransactionTemplate(transactionManager).execute(status -> {
            jdbc.execute(set);
            try {
                return queries.compute(scope, Instant.now(), 10);
            } finally {
                if (reset != null) {
                    jdbc.execute(reset);
                }
            }
        });
    }

    /**
     * An application of {@code owner} (slug {@code <owner>-sunday}) whose one key expires at 23:00 UTC on a Sunday
     * three to four weeks on: late enough that a session hours ahead of UTC puts it on Monday. Returns that Sunday.
     */
    java.time.LocalDate keyExpiringLateOnASunday(BusinessUnit unit, String owner) {
        long app = application(unit, owner + "-sunday", owner);
        key(unit, app, "ACTIVE", Duration.ofDays(1));
        java.time.LocalDate sunday = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusWeeks(3)
                .with(java.time.temporal.TemporalAdjusters.nextOrSame(java.time.DayOfWeek.SUNDAY));
        jdbc.update("update api_key set expires_at = ? where application_id = ?", Timestamp.from(
                sunday.atTime(23, 0).toInstant(java.time.ZoneOffset.UTC)), app);
        return sunday;
    }

    /** Month-to-date spend and forecast of the application. */
    void spend(BusinessUnit unit, long applicationId, String actual, String forecast) {
        String period = LocalDate.now(ZoneOffset.UTC).toString().substring(0, 7);
        jdbc.update("""
                insert into spend_month (scope, scope_id, period, business_unit_id, budget_name, budget_usd,
                    actual_usd, forecast_usd, alert_threshold, refreshed_at)
                values ('APPLICATION', ?, ?, ?, 'b', 300, ?, ?, 80, ?)""", applicationId, period, unit.id(),
                new BigDecimal(actual), new BigDecimal(forecast), Timestamp.from(Instant.now()));
    }

    /** Calls and refused calls of the application {@code daysAgo} days ago. */
    void usage(long applicationId, int daysAgo, int calls, int denied) {
        jdbc.update("""
                insert into usage_day (application_id, usage_date, invocations, access_denied, outside_ranges,
                    refreshed_at) values (?, ?, ?, ?, 0, ?)""", applicationId,
                java.sql.Date.valueOf(LocalDate.now(ZoneOffset.UTC).minusDays(daysAgo)), calls, denied,
                Timestamp.from(Instant.now()));
        jdbc.update("delete from usage_summary where application_id = ?", applicationId);
        jdbc.update("insert into usage_summary (application_id, last_used_at, refreshed_at) values (?, ?, ?)",
                applicationId, Timestamp.from(Instant.now().minus(Duration.ofDays(daysAgo))),
                Timestamp.from(Instant.now()));
    }
}
