package com.bedrockportal.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditFilter;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.audit.AuditVolume;
import com.bedrockportal.dashboard.Dashboard;
import com.bedrockportal.dashboard.Lists;
import com.bedrockportal.key.KeyInventory;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The dashboard and its lists at volume on PostgreSQL: generates (once per database) 100 units, 60,000
 * applications, 100,000 keys, 100,000 requests, 14 days of usage and this month's spend for every application, and
 * 1,000,000 audit rows (hash chain intact); then prints the refresh time and the server time of a visit (stored
 * figures read and parsed) and of each list's first page with its count, median of 10. Asserts nothing about time.
 * Not part of {@code mvn verify}; use a database of its own:
 * {@code mvn test -Dtest=DashboardBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dtest.pg.db=portal_bench}.
 */
@TestPropertySource(properties = { "portal.dashboard.refresh-enabled=false", "portal.drift.enabled=false" })
class DashboardBenchmark extends PostgresSupport {

    static final int UNITS = 100;
    static final int APPLICATIONS = 60_000;
    static final int KEYS = 100_000;
    static final int REQUESTS = 100_000;
    static final int AUDIT_ROWS = 1_000_000;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Dashboard dashboard;
    @Autowired
    Lists lists;
    @Autowired
    KeyInventory keys;
    @Autowired
    AuditLog audit;
    @Autowired
    com.bedrockportal.request.RequestService requests;
    @Autowired
    org.springframework.context.ApplicationContext portal;
    @Autowired
    com.bedrockportal.application.ApplicationService applications;

    @Test
    void figuresAndListsAt100kKeys() {
        long t0 = System.nanoTime();
        generate();
        System.out.printf("data: %d keys, %d applications, %d requests, %d audit rows (generated in %d s)%n",
                count("api_key"), count("application"), count("access_request"), count("audit_event"),
                (System.nanoTime() - t0) / 1_000_000_000);

        List<Long> refresh = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            refresh.add(RunAs.user("sara", () -> dashboard.refreshNow(), "SECURITY").toMillis());
        }
        System.out.printf("refresh (everything + every manager): %s ms%n", refresh);
        time("dashboard visit, security (stored figures)", () -> RunAs.user("sara", () -> dashboard.current(),
                "SECURITY"));
        time("dashboard visit, security, with the 12 SVGs put into Vaadin components", () -> RunAs.user("sara",
                () -> {
                    var figures = dashboard.current().figures();
                    figures.charts().values().forEach(c -> {
                        new com.vaadin.flow.component.Svg(c.wide());
                        new com.vaadin.flow.component.Svg(c.narrow());
                    });
                    return figures;
                }, "SECURITY"));
        time("dashboard visit, manager (stored figures)", () -> RunAs.user("mike", () -> dashboard.current(),
                "MANAGER"));
        time("dashboard visit, requester (computed live)", () -> RunAs.user("alice", () -> dashboard.current(),
                "REQUESTER"));
        time("all requests: first page + count", () -> RunAs.user("sara", () -> {
            lists.requests(Lists.RequestFilter.none(), 0, 50);
            return lists.countRequests(Lists.RequestFilter.none());
        }, "SECURITY"));
        time("pending requests: first page + count", () -> RunAs.user("sara", () -> {
            Lists.RequestFilter f = new Lists.RequestFilter("PENDING", null, null, null, null, null);
            lists.requests(f, 0, 50);
            return lists.countRequests(f);
        }, "SECURITY"));
        time("applications by spend: first page + count", () -> RunAs.user("sara", () -> {
            Lists.AppFilter f = new Lists.AppFilter(null, null, null, null, Lists.AppSort.SPEND);
            lists.applications(f, 0, 50);
            return lists.countApplications(f);
        }, "SECURITY"));
        time("applications expiring in 7 days: first page + count", () -> RunAs.user("sara", () -> {
            Lists.AppFilter f = new Lists.AppFilter(null, null, null, 7, Lists.AppSort.EXPIRY);
            lists.applications(f, 0, 50);
            return lists.countApplications(f);
        }, "SECURITY"));
        time("keys (security: every key), newest first: first page + count", () -> RunAs.user("sara", () -> {
            KeyInventory.Filter f = new KeyInventory.Filter(null, null);
            keys.list(f, KeyInventory.Sort.CREATED_DESC, 0, 50);
            return keys.count(f);
        }, "SECURITY"));
        time("keys, expiring first: first page + count", () -> RunAs.user("sara", () -> {
            KeyInventory.Filter f = new KeyInventory.Filter(null, null);
            keys.list(f, KeyInventory.Sort.EXPIRES_ASC, 0, 50);
            return keys.count(f);
        }, "SECURITY"));
        time("keys, searched by text ('bench-42'): first page + count", () -> RunAs.user("sara", () -> {
            KeyInventory.Filter f = new KeyInventory.Filter("bench-42", null);
            keys.list(f, KeyInventory.Sort.CREATED_DESC, 0, 50);
            return keys.count(f);
        }, "SECURITY"));
        time("keys, one status (ACTIVE): first page + count", () -> RunAs.user("sara", () -> {
            KeyInventory.Filter f = new KeyInventory.Filter(null, "ACTIVE");
            keys.list(f, KeyInventory.Sort.CREATED_DESC, 0, 50);
            return keys.count(f);
        }, "SECURITY"));
        time("audit log: first page + count + the action filter's choices", () -> RunAs.user("sara", () -> {
            audit.find(AuditFilter.none(), 0, 50);
            audit.knownActions();
            return audit.count(AuditFilter.none());
        }, "SECURITY"));
        time("audit log: one action's first page + count", () -> RunAs.user("sara", () -> {
            AuditFilter f = new AuditFilter(null, AuditActions.LOGIN_SUCCESS, null, null, null);
            audit.find(f, 0, 50);
            return audit.count(f);
        }, "SECURITY"));
        // A request's page: its timeline with its key's life merged in from the audit rows of the key (by target).
        long request = jdbc.queryForObject("select request_id from api_key where credential_id = ?", Long.class,
                "ACCABENCH" + String.format("%012d", KEYS / 2));
        time("a request's page: its timeline with its key's history", () -> RunAs.user("sara",
                () -> requests.timeline(request), "SECURITY"));
        time("one target's audit rows (an application's evidence pack reads two)", () -> audit.timeline(
                "request:" + (KEYS / 2), "", 200));
        long t = System.nanoTime();
        long[] bytes = new long[1];
        RunAs.user("sara", () -> {
            try {
                audit.exportCsv(AuditFilter.none(), new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        bytes[0]++;
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        bytes[0] += len;
                    }
                });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        }, "SECURITY");
        System.out.printf("audit log: CSV export of every row: %.1f s, %d MB%n", (System.nanoTime() - t) / 1e9,
                bytes[0] >> 20);

        // What the drift check, the usage collection and the posture check held before they read a page at a time.
        held("every active application at once (drift, usage, posture before)",
                () -> applications.activeAfter(0, Integer.MAX_VALUE));
        held("a page of 500 active applications (the drift check now)",
                () -> applications.activeAfter(0, 500));
    }

    /** The time to read a list, and the heap it holds while it is held (used heap after a GC, with and without). */
    private void held(String what, Supplier<List<?>> read) {
        read.get();
        long before = usedAfterGc();
        long t = System.nanoTime();
        List<?> list = read.get();
        double ms = (System.nanoTime() - t) / 1e6;
        long with = usedAfterGc();
        System.out.printf("%s: %d rows, %.0f ms, %.1f MB held%n", what, list.size(), ms, (with - before) / 1048576.0);
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private void time(String what, Supplier<Object> work) {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long t = System.nanoTime();
            work.get();
            if (i >= 2) {
                micros.add((System.nanoTime() - t) / 1000);
            }
        }
        micros.sort(Long::compare);
        System.out.printf("%s: median %.1f ms, max %.1f ms (10 runs after 2 warm-ups)%n", what,
                micros.get(micros.size() / 2) / 1000.0, micros.get(micros.size() - 1) / 1000.0);
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    /** Fills the database once (a second run finds the volume and goes straight to the measurements). */
    private void generate() {
        if (count("api_key") >= KEYS) {
            return;
        }
        jdbc.update("""
                insert into business_unit (slug, display_name, cost_center, owner_email, default_monthly_budget,
                    created_at, updated_at)
                select 'bench-' || g, 'Bench unit ' || g, 'CC-' || g, 'owner@example.com', 1000, now(), now()
                from generate_series(1, ?) g""", UNITS);
        jdbc.update("""
                insert into business_unit_manager (business_unit_id, username)
                select id, 'mike' from business_unit where slug like 'bench-%' and id % 10 = 0""");
        jdbc.update("""
                insert into application (business_unit_id, slug, display_name, owner, owner_email, purpose,
                    data_classification, models, regions, source_cidrs, lifetime_days, monthly_budget,
                    alert_threshold, alert_emails, store_secret, iam_user, budget_name, secret_name, status,
                    created_at, updated_at)
                select u.id, 'app-' || g, 'Bench app ' || g, case when g % 1000 = 0 then 'alice' else 'user' || (g % 3000) end,
                    'owner@example.com', 'benchmark', 'INTERNAL', 'amazon.nova-lite-v1:0', 'us-east-1', '', 90,
                    100 + g % 400, 80, 'owner@example.com', false, 'bench-' || g || '-bedrock', 'bench-' || g,
                    null, 'ACTIVE', now() - interval '100 days', now()
                from generate_series(1, ?) g
                join business_unit u on u.slug = 'bench-' || (1 + g % ?)""", APPLICATIONS, UNITS);
        jdbc.update("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at, application_id)
                select a.business_unit_id, a.owner, 'benchmark', a.models, a.regions, '', 90, a.monthly_budget, 80,
                    'owner@example.com', false, 'owner@example.com', 'INTERNAL',
                    case when g % 50 = 0 then 'PENDING_MANAGER' when g % 77 = 0 then 'REJECTED' else 'PROVISIONED' end,
                    'bench-' || g, now() - (g % 90) * interval '1 day' - interval '3 hours', now(), a.id
                from generate_series(1, ?) g
                join application a on a.slug = 'app-' || (1 + g % ?) and a.iam_user = 'bench-' || (1 + g % ?) || '-bedrock'
                """, REQUESTS, APPLICATIONS, APPLICATIONS);
        jdbc.update("""
                insert into api_key (request_id, business_unit_id, iam_user, credential_id, key_prefix, status,
                    created_at, expires_at, reveal_deadline, application_id)
                select r.id, r.business_unit_id, a.iam_user, 'ACCABENCH' || lpad(g::text, 12, '0'), 'ABSKbench000',
                    case when g % 9 = 0 then 'INACTIVE' when g % 13 = 0 then 'DELETED' else 'ACTIVE' end,
                    r.created_at + interval '3 hours', now() + (g % 120 - 10) * interval '1 day',
                    now() + interval '3 days', a.id
                from generate_series(1, ?) g
                join access_request r on r.submission_key = 'bench-' || g
                join application a on a.id = r.application_id""", KEYS);
        jdbc.update("""
                insert into usage_day (application_id, usage_date, invocations, access_denied, outside_ranges,
                    refreshed_at)
                select a.id, current_date - d, (a.id * 7 + d * 13) % 500, case when (a.id + d) % 11 = 0 then 3 else 0 end,
                    0, now()
                from application a cross join generate_series(0, 13) d where a.slug like 'app-%'""");
        jdbc.update("""
                insert into spend_month (scope, scope_id, period, business_unit_id, budget_name, budget_usd,
                    actual_usd, forecast_usd, alert_threshold, refreshed_at)
                select 'APPLICATION', a.id, to_char(now() at time zone 'UTC', 'YYYY-MM'), a.business_unit_id,
                    a.budget_name, a.monthly_budget, (a.id % 300) + 0.5, (a.id % 300) * 2 + 1, 80, now()
                from application a where a.slug like 'app-%'""");
        AuditVolume.append(jdbc, portal, AUDIT_ROWS);
        jdbc.execute("analyze");
    }
}
