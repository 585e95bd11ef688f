package com.bedrockportal.monitoring;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what one collection saw into the shared tables of migration 22, one transaction per application (and per
 * budget), so that a failure or a crash leaves every other application's rows as they were. Portable SQL (H2 and
 * PostgreSQL): update, then insert when nothing was updated; a notable call is inserted only when its CloudTrail event
 * id is not there yet. So a replayed run writes the same rows and adds nothing twice.
 */
@Component
class UsageStore {

    static final int ERROR_LENGTH = 500;
    static final int SOURCE_IPS_LENGTH = 2000;

    /** A day of an application's calls. {@code costUsd} null: Cost Explorer could not be read (keep what was). */
    record Day(LocalDate day, int invocations, int accessDenied, int outsideRanges, long inputTokens,
            long outputTokens, BigDecimal costUsd) {
    }

    /** A notable call: refused ({@code DENIED}) or from outside the application's ranges ({@code OUTSIDE_RANGE}). */
    record Notable(String eventId, Instant time, String kind, String eventName, String sourceIp, String region,
            String errorCode, String credentialId) {
    }

    /** What a look at one application's calls found. {@code lastUsed}/{@code lastCall} null: none in the window. */
    record AppUsage(long applicationId, Instant refreshedAt, Instant windowFrom, List<Day> days, Instant lastUsed,
            Instant lastCall, String sourceIps, int callsInWindow, List<Notable> notable, String error) {
    }

    /** A budget's month (spend_month). Null amounts with an error: AWS could not be read (keep what was). */
    record MonthSpend(String scope, long scopeId, String period, long businessUnitId, String budgetName,
            BigDecimal budgetUsd, BigDecimal actualUsd, BigDecimal forecastUsd, Integer alertThreshold,
            Instant refreshedAt, String error) {
    }

    private final JdbcClient jdbc;

    UsageStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // --- runs

    /** Claims a run's slot. @throws org.springframework.dao.DuplicateKeyException when another run has it */
    @Transactional
    public void claim(String slot, String by, Instant at) {
        jdbc.sql("insert into usage_collection_run (slot, triggered_by, started_at) values (:s, :by, :at)")
                .param("s", slot).param("by", by).param("at", utc(at)).update();
    }

    // --- one application's usage

    @Transactional
    public void writeUsage(AppUsage u) {
        OffsetDateTime at = utc(u.refreshedAt());
        for (Day d : u.days()) {
            String costSet = d.costUsd() == null ? "" : ", cost_usd = :cost";
            int updated = jdbc.sql("update usage_day set invocations = :n, access_denied = :denied, "
                    + "outside_ranges = :outside, input_tokens = :in, output_tokens = :out, refreshed_at = :at"
                    + costSet + " where application_id = :app and usage_date = :day")
                    .params(dayParams(u.applicationId(), d, at)).update();
            if (updated == 0) {
                jdbc.sql("""
                        insert into usage_day (application_id, usage_date, invocations, access_denied, outside_ranges,
                            input_tokens, output_tokens, cost_usd, refreshed_at)
                        values (:app, :day, :n, :denied, :outside, :in, :out, :cost, :at)""")
                        .params(dayParams(u.applicationId(), d, at)).update();
            }
        }
        Previous previous = previous(u.applicationId());
        // A window without calls says nothing of earlier use: the last use seen before stays.
        Instant lastUsed = later(u.lastUsed(), previous == null ? null : previous.lastUsed());
        Instant lastCall = later(u.lastCall(), previous == null ? null : previous.lastCall());
        var params = new java.util.HashMap<String, Object>();
        params.put("app", u.applicationId());
        params.put("used", lastUsed == null ? null : utc(lastUsed));
        params.put("call", lastCall == null ? null : utc(lastCall));
        params.put("ips", cut(u.sourceIps(), SOURCE_IPS_LENGTH));
        params.put("calls", u.callsInWindow());
        params.put("from", utc(u.windowFrom()));
        params.put("at", at);
        params.put("error", cut(u.error(), ERROR_LENGTH));
        if (previous == null) {
            jdbc.sql("""
                    insert into usage_summary (application_id, last_used_at, last_call_at, source_ips, calls_in_window,
                        window_from, refreshed_at, error)
                    values (:app, :used, :call, :ips, :calls, :from, :at, :error)""").params(params).update();
        } else {
            jdbc.sql("""
                    update usage_summary set last_used_at = :used, last_call_at = :call, source_ips = :ips,
                        calls_in_window = :calls, window_from = :from, refreshed_at = :at, error = :error
                    where application_id = :app""").params(params).update();
        }
        for (Notable n : u.notable()) {
            boolean known = jdbc.sql("select count(*) from usage_event where event_id = :id").param("id", n.eventId())
                    .query(Long.class).single() > 0;
            if (!known) {
                jdbc.sql("""
                        insert into usage_event (event_id, application_id, event_time, kind, event_name, source_ip,
                            region, error_code, credential_id)
                        values (:id, :app, :t, :kind, :name, :ip, :region, :error, :credential)""")
                        .param("id", n.eventId()).param("app", u.applicationId()).param("t", utc(n.time()))
                        .param("kind", n.kind()).param("name", cut(n.eventName(), 64))
                        .param("ip", cut(n.sourceIp(), 64)).param("region", cut(n.region(), 32))
                        .param("error", cut(n.errorCode(), 64)).param("credential", cut(n.credentialId(), 32))
                        .update();
            }
        }
    }

    /** The look at the application failed: its summary says why; its days and last use stay as they were. */
    @Transactional
    public void writeUsageError(long applicationId, Instant at, Instant windowFrom, String error) {
        String why = cut(error, ERROR_LENGTH);
        if (jdbc.sql("update usage_summary set refreshed_at = :at, error = :error where application_id = :app")
                .param("at", utc(at)).param("error", why).param("app", applicationId).update() == 0) {
            jdbc.sql("""
                    insert into usage_summary (application_id, calls_in_window, window_from, refreshed_at, error)
                    values (:app, 0, :from, :at, :error)""")
                    .param("app", applicationId).param("from", utc(windowFrom)).param("at", utc(at))
                    .param("error", why).update();
        }
    }

    // --- spend

    @Transactional
    public void writeSpend(MonthSpend s) {
        var params = new java.util.HashMap<String, Object>();
        params.put("scope", s.scope());
        params.put("id", s.scopeId());
        params.put("period", s.period());
        params.put("unit", s.businessUnitId());
        params.put("name", s.budgetName());
        params.put("budget", s.budgetUsd());
        params.put("actual", s.actualUsd());
        params.put("forecast", s.forecastUsd());
        params.put("threshold", s.alertThreshold());
        params.put("at", utc(s.refreshedAt()));
        params.put("error", cut(s.error(), ERROR_LENGTH));
        boolean failed = s.error() != null && s.actualUsd() == null;
        String set = failed ? "refreshed_at = :at, error = :error"
                : "business_unit_id = :unit, budget_name = :name, budget_usd = :budget, actual_usd = :actual, "
                        + "forecast_usd = :forecast, alert_threshold = :threshold, refreshed_at = :at, error = :error";
        if (jdbc.sql("update spend_month set " + set + " where scope = :scope and scope_id = :id and period = :period")
                .params(params).update() == 0) {
            jdbc.sql("""
                    insert into spend_month (scope, scope_id, period, business_unit_id, budget_name, budget_usd,
                        actual_usd, forecast_usd, alert_threshold, refreshed_at, error)
                    values (:scope, :id, :period, :unit, :name, :budget, :actual, :forecast, :threshold, :at, :error)""")
                    .params(params).update();
        }
    }

    /** Closes a run's row with what it did. */
    @Transactional
    public void finish(String slot, Instant at, int applications, int failures, int skipped) {
        jdbc.sql("""
                update usage_collection_run set finished_at = :at, applications = :n, failures = :f, skipped = :s
                where slot = :slot""")
                .param("at", utc(at)).param("n", applications).param("f", failures).param("s", skipped)
                .param("slot", slot).update();
    }

    // --- helpers

    private record Previous(Instant lastUsed, Instant lastCall) {
    }

    private Previous previous(long applicationId) {
        return jdbc.sql("select last_used_at, last_call_at from usage_summary where application_id = :app")
                .param("app", applicationId)
                .query((rs, i) -> new Previous(instant(rs.getObject(1, OffsetDateTime.class)),
                        instant(rs.getObject(2, OffsetDateTime.class))))
                .optional().orElse(null);
    }

    private static java.util.Map<String, Object> dayParams(long app, Day d, OffsetDateTime at) {
        var params = new java.util.HashMap<String, Object>();
        params.put("app", app);
        params.put("day", d.day());
        params.put("n", d.invocations());
        params.put("denied", d.accessDenied());
        params.put("outside", d.outsideRanges());
        params.put("in", d.inputTokens());
        params.put("out", d.outputTokens());
        params.put("cost", d.costUsd() == null ? BigDecimal.ZERO : d.costUsd());
        params.put("at", at);
        return params;
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
