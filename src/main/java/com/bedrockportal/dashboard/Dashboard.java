package com.bedrockportal.dashboard;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dashboard's figures per audience. Security and admins see everything, a manager their units, a requester
 * their own applications and requests. Everything and each manager's figures are computed by the refresh (scheduled
 * every {@code portal.dashboard.refresh-interval}, or "Refresh now") and stored as one row each, so a visit reads one
 * row whatever the volume; a requester's few rows are counted on each visit. Audited: "Refresh now" (who, how long).
 */
@Service
public class Dashboard {

    /** Audit action of a refresh someone asked for. */
    public static final String DASHBOARD_REFRESHED = "DASHBOARD_REFRESHED";
    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
    /** Audiences whose figures are kept as last read: everything and 31 managers (about 220 KB each at 100,000 keys). */
    private static final int READ_KEPT = 32;

    /** What a visit shows: the figures and whether they are stored ones (then: as of {@code computedAt}). */
    public record View(Figures figures, boolean stored, boolean everything, boolean canRefresh) {
    }

    private final FigureQueries queries;
    private final ChartRenderer charts;
    private final CurrentUser currentUser;
    private final DashboardProperties properties;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final Clock clock;
    /** Each stored audience's figures as last read, with the refresh they came from (at most {@link #READ_KEPT}). */
    private final Map<String, Read> lastRead = Collections.synchronizedMap(new LastRead());

    /** The audiences read longest ago are forgotten first. */
    private static final class LastRead extends LinkedHashMap<String, Read> {
        private static final long serialVersionUID = 1L;

        LastRead() {
            super(16, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Read> eldest) {
            return size() > READ_KEPT;
        }
    }

    /** An audience's figures as read, and the refresh they came from. */
    private record Read(Timestamp refreshedAt, Figures figures) {
    }

    /** A stored snapshot's row. */
    private record Snapshot(Timestamp refreshedAt, String body) {
    }

    Dashboard(FigureQueries queries, ChartRenderer charts, CurrentUser currentUser, DashboardProperties properties,
            JdbcClient jdbc, TransactionTemplate tx, ObjectMapper json, AuditLog audit, Clock clock) {
        this.queries = queries;
        this.charts = charts;
        this.currentUser = currentUser;
        this.properties = properties;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
    }

    /** The caller's figures: stored ones when there are, else computed now (and stored, for a manager). */
    @PermitAll
    public View current() {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        boolean everything = me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN);
        Scope scope = scopeOf(me);
        Figures figures = scope.stored() ? stored(scope) : compute(scope);
        return new View(figures, scope.stored(), everything, everything);
    }

    /**
     * An audience's stored figures: the ones last read when they have not been refreshed since (every open page of
     * that audience then shares one copy of the charts instead of reading, parsing and holding its own), else read
     * now; computed now when none are stored yet.
     */
    private Figures stored(Scope scope) {
        List<Timestamp> at = jdbc.sql("select refreshed_at from dashboard_snapshot where scope = :s")
                .param("s", scope.key()).query(Timestamp.class).list();
        if (at.isEmpty()) {
            return computeAndStore(scope);
        }
        Read last = lastRead.get(scope.key());
        if (last != null && last.refreshedAt().equals(at.get(0))) {
            return last.figures();
        }
        return load(scope.key()).orElseGet(() -> computeAndStore(scope));
    }

    /** Computes every stored audience's figures now; returns how long it took. Security and admins. */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    public Duration refreshNow() {
        String by = currentUser.usernameOrAnonymous();
        Duration took = refreshAll(by, false);
        audit.record(by, DASHBOARD_REFRESHED, "dashboard", "all audiences in " + took.toMillis() + " ms");
        return took;
    }

    @Scheduled(fixedDelayString = "${portal.dashboard.refresh-interval:PT15M}", initialDelayString = "PT20S")
    void scheduled() {
        if (!properties.refreshEnabled()) {
            return;
        }
        try {
            refreshAll("schedule", true);
        } catch (RuntimeException e) {
            log.warn("Dashboard refresh failed: {}", e.getMessage());
        }
    }

    /** After each usage collection the figures are computed again, so calls and spend are as fresh as AWS's. */
    // After the collection's commit, on another thread, and outside any transaction of its own: the work below
    // opens short transactions itself (one per stored audience).
    @org.springframework.scheduling.annotation.Async
    @org.springframework.transaction.event.TransactionalEventListener
    void onUsageCollected(com.bedrockportal.monitoring.UsageCollected collected) {
        try {
            refreshAll("usage collection", false);
        } catch (RuntimeException e) {
            log.warn("Dashboard refresh after the usage collection failed: {}", e.getMessage());
        }
    }

    /**
     * Computes "everything" and every manager's figures. A scheduled refresh first claims the refresh row; on
     * another node that refreshed less than half an interval ago it does nothing (figures are idempotent, so two
     * refreshes would only waste work).
     */
    Duration refreshAll(String by, boolean scheduled) {
        Instant start = clock.instant();
        if (scheduled) {
            Instant before = start.minus(properties.refreshInterval().dividedBy(2));
            Integer claimed = tx.execute(s -> jdbc.sql("update dashboard_refresh set started_at = :now, started_by "
                    + "= :by where id = 1 and started_at < :before").param("now", java.sql.Timestamp.from(start))
                    .param("by", by).param("before", java.sql.Timestamp.from(before)).update());
            if (claimed == null || claimed == 0) {
                return Duration.ZERO;
            }
        }
        computeAndStore(Scope.ALL);
        List<String> current = new java.util.ArrayList<>();
        for (String manager : queries.managers()) {
            Scope scope = Scope.manager(manager, queries.managedUnits(manager));
            computeAndStore(scope);
            current.add(scope.key());
        }
        // Snapshots of units a manager no longer manages (or of someone who manages nothing now) are never read again.
        tx.executeWithoutResult(s -> {
            var delete = jdbc.sql("delete from dashboard_snapshot where scope like :p" + (current.isEmpty() ? ""
                    : " and scope not in (:keys)")).param("p", Scope.MANAGER_PREFIX + "%");
            (current.isEmpty() ? delete : delete.param("keys", current)).update();
        });
        Duration took = Duration.between(start, clock.instant());
        log.info("Dashboard figures refreshed by {} in {} ms", by, took.toMillis());
        return took;
    }

    Scope scopeOf(CurrentUser.Principal me) {
        if (me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN)) {
            return Scope.ALL;
        }
        if (me.has(PortalRole.MANAGER)) {
            return Scope.manager(me.username(), queries.managedUnits(me.username()));
        }
        return Scope.owner(me.username());
    }

    Figures compute(Scope scope) {
        long t0 = System.nanoTime();
        Figures f = queries.compute(scope, clock.instant(), properties.tableRows());
        Map<String, Figures.Chart> rendered = charts.render(f, properties.chartSeries());
        long took = (System.nanoTime() - t0) / 1_000_000;
        return new Figures(f.scope(), f.computedAt(), took, f.tiles(), f.keysByUnit(), f.expiry(), f.leadTime(),
                f.spend(), f.usageDays(), f.usage(), rendered);
    }

    private Figures computeAndStore(Scope scope) {
        Figures f = compute(scope);
        String body;
        try {
            body = json.writeValueAsString(f);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Dashboard figures could not be written", e);
        }
        try {
        tx.executeWithoutResult(s -> {
            int updated = jdbc.sql("update dashboard_snapshot set body = :b, refreshed_at = :at, took_ms = :ms where "
                    + "scope = :s").param("b", body).param("at", java.sql.Timestamp.from(f.computedAt()))
                    .param("ms", (int) f.tookMs()).param("s", scope.key()).update();
            if (updated == 0) {
                jdbc.sql("insert into dashboard_snapshot (scope, body, refreshed_at, took_ms) values (:s, :b, :at, "
                        + ":ms)").param("b", body).param("at", java.sql.Timestamp.from(f.computedAt()))
                        .param("ms", (int) f.tookMs()).param("s", scope.key()).update();
            }
        });
        } catch (org.springframework.dao.DuplicateKeyException e) {
            // Another node (or visit) stored this audience's first figures at the same moment: theirs are as fresh.
        }
        return f;
    }

    Optional<Figures> load(String scope) {
        List<Snapshot> stored = jdbc.sql("select body, refreshed_at from dashboard_snapshot where scope = :s")
                .param("s", scope).query((rs, n) -> new Snapshot(rs.getTimestamp("refreshed_at"),
                        rs.getString("body"))).list();
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            Figures figures = json.readValue(stored.get(0).body(), Figures.class);
            lastRead.put(scope, new Read(stored.get(0).refreshedAt(), figures));
            return Optional.of(figures);
        } catch (JsonProcessingException e) {
            // Written by an older version: computed again on the next refresh; meanwhile now.
            log.warn("Stored dashboard figures of {} could not be read: {}", scope, e.getOriginalMessage());
            return Optional.empty();
        }
    }
}
