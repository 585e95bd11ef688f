package com.bedrockportal.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.bedrockportal.key.KeyEvents;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.request.RequestEvents;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.shared.AfterCommit;
import com.bedrockportal.shared.EventRedelivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The portal's own meters. Gauges show counts held here, refreshed every {@code portal.metrics.refresh-interval}
 * (one grouped query per gauge): a scrape reads memory only. Approval lead time and provisioning duration are
 * recorded once per request, by the node whose step provisioned it, when that step commits. Reveals are counted after
 * their transaction committed.
 */
@Component
public class PortalMetrics {

    private static final Logger log = LoggerFactory.getLogger(PortalMetrics.class);
    /** Alert rule/status pairs shown at most. */
    static final int MAX_ALERT_SERIES = 200;

    private final JdbcClient jdbc;
    private final RuntimeService camunda;
    private final MeterRegistry registry;
    private final Clock clock;
    private final MultiGauge requests;
    private final MultiGauge keys;
    private final MultiGauge alerts;
    private final AtomicLong incidents = new AtomicLong();
    private final AtomicLong eventsWaiting = new AtomicLong();
    private final EventRedelivery redelivery;
    private final Timer leadTime;
    private final Timer provisioning;
    private volatile boolean alertTableMissing;

    PortalMetrics(JdbcClient jdbc, RuntimeService camunda, MeterRegistry registry, Clock clock,
            EventRedelivery redelivery) {
        this.jdbc = jdbc;
        this.redelivery = redelivery;
        this.camunda = camunda;
        this.registry = registry;
        this.clock = clock;
        this.requests = MultiGauge.builder("portal.requests").description("Access requests by status").register(
                registry);
        this.keys = MultiGauge.builder("portal.keys").description("Bedrock API keys by status (EXPIRED: an ACTIVE "
                + "or PENDING_REVEAL key past its expiry)").register(registry);
        this.alerts = MultiGauge.builder("portal.alerts").description("Alerts by rule and status").register(registry);
        Gauge.builder("portal.incidents.open", incidents, AtomicLong::get)
                .description("Open Camunda incidents (steps that ran out of retries)").register(registry);
        Gauge.builder("portal.events.waiting", eventsWaiting, AtomicLong::get)
                .description("Events whose listener has not finished portal.events.redeliver-after after their "
                        + "publication, or sent again and still unfinished").register(registry);
        this.leadTime = Timer.builder("portal.requests.lead.time").description("Approval lead time: submitted to "
                + "provisioned").publishPercentileHistogram().minimumExpectedValue(Duration.ofMinutes(1))
                .maximumExpectedValue(Duration.ofDays(30)).register(registry);
        this.provisioning = Timer.builder("portal.provisioning.duration").description("Provisioning: from its "
                + "start after the final approval to provisioned").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofHours(2))
                .register(registry);
        // Both kinds of reveal from zero: a rate or increase over the counter works before the first reveal.
        reveals("request", 0);
        reveals("rotation", 0);
    }

    /** The first counts as soon as the portal is up (then every refresh interval). */
    @EventListener(ApplicationReadyEvent.class)
    void started() {
        refresh();
    }

    /** Reads every gauge's counts again. */
    @Scheduled(fixedDelayString = "${portal.metrics.refresh-interval:PT30S}",
            initialDelayString = "${portal.metrics.refresh-interval:PT30S}")
    public void refresh() {
        // Each part on its own: one that fails (logged) leaves the others' counts fresh.
        refreshing("requests", this::refreshRequests);
        refreshing("keys", this::refreshKeys);
        refreshing("alerts", this::refreshAlerts);
        refreshing("incidents", () -> incidents.set(camunda.createIncidentQuery().count()));
        refreshing("events", () -> eventsWaiting.set(redelivery.countWaiting()));
    }

    private static void refreshing(String part, Runnable refresh) {
        try {
            refresh.run();
        } catch (DataAccessException | org.camunda.bpm.engine.ProcessEngineException e) {
            log.warn("Refreshing the {} metrics failed: {}", part, e.toString());
        }
    }

    private void refreshRequests() {
        Map<String, Long> counts = zeros(RequestStatus.values());
        jdbc.sql("select status, count(*) from access_request group by status").query((rs, i) -> counts.put(
                rs.getString(1), rs.getLong(2))).list();
        requests.register(rows(counts, "status"), true);
    }

    private void refreshKeys() {
        Map<String, Long> counts = zeros(KeyStatus.values());
        counts.put("EXPIRED", 0L);
        jdbc.sql("""
                select key_status, count(*) from (
                    select case when status in ('ACTIVE', 'PENDING_REVEAL') and expires_at <= :now then 'EXPIRED'
                                else status end key_status
                    from api_key) t
                group by key_status""")
                .param("now", clock.instant().atOffset(java.time.ZoneOffset.UTC))
                .query((rs, i) -> counts.put(rs.getString(1), rs.getLong(2))).list();
        keys.register(rows(counts, "status"), true);
    }

    /** The alerts feature's table (rule, status); until it exists there are no series, and no error. */
    private void refreshAlerts() {
        if (alertTableMissing && !alertTableExists()) {
            return;
        }
        try {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            jdbc.sql("select rule, status, count(*) from alert group by rule, status").query((rs, i) -> rows.add(
                    MultiGauge.Row.of(Tags.of("rule", String.valueOf(rs.getString(1)), "status",
                            String.valueOf(rs.getString(2))), rs.getLong(3)))).list();
            alerts.register(rows.stream().limit(MAX_ALERT_SERIES).toList(), true);
            alertTableMissing = false;
        } catch (DataAccessException e) {
            if (!alertTableExists()) {
                alertTableMissing = true;
                return;
            }
            throw e;
        }
    }

    private boolean alertTableExists() {
        return jdbc.sql("select count(*) from information_schema.tables where lower(table_name) = 'alert'")
                .query(Long.class).single() > 0;
    }

    /**
     * A request provisioned (a new key, or a change applied in place), published in the transaction of the step that
     * moved it: once that transaction commits, its submission and the provisioning start before are read and its lead
     * and provisioning times recorded. On the node that ran the step only, so each request is recorded once in the
     * cluster (until 6 December every node read every finished request from the timeline, and sums across nodes
     * counted each request once per node); a step rolled back and retried records nothing for the attempt that failed.
     * Nothing here can fail the step: it runs after the commit, and a failure is logged.
     */
    @EventListener
    void on(RequestEvents.Provisioned event) {
        AfterCommit.run(() -> recordFinishedQuietly(event));
    }

    private void recordFinishedQuietly(RequestEvents.Provisioned event) {
        try {
            recordFinished(event);
        } catch (RuntimeException e) {
            log.warn("Recording the lead and provisioning times of request {} failed: {}", event.requestId(),
                    e.toString());
        }
    }

    private void recordFinished(RequestEvents.Provisioned event) {
        record Times(Instant submitted, Instant started) {
        }
        Times times = jdbc.sql("""
                select (select min(s.occurred_at) from request_event s
                         where s.request_id = :id and s.type = 'SUBMITTED') as submitted,
                       (select max(p.occurred_at) from request_event p
                         where p.request_id = :id and p.type = 'PROVISIONING_STARTED') as started""")
                .param("id", event.requestId()).query((rs, i) -> new Times(instant(rs.getObject(1,
                        OffsetDateTime.class)), instant(rs.getObject(2, OffsetDateTime.class)))).single();
        if (times.submitted() != null && !event.at().isBefore(times.submitted())) {
            leadTime.record(Duration.between(times.submitted(), event.at()));
        }
        if (times.started() != null && !event.at().isBefore(times.started())) {
            provisioning.record(Duration.between(times.started(), event.at()));
        }
    }

    /** A reveal of a new key or of a rotation's key, once its transaction committed. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(KeyEvents.Revealed event) {
        reveals("request");
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(KeyEvents.RotatedKeyRevealed event) {
        reveals("rotation");
    }

    private void reveals(String kind) {
        reveals(kind, 1);
    }

    private void reveals(String kind, double by) {
        Counter.builder("portal.keys.reveals").description("Keys revealed to their owner (once each)")
                .tag("kind", kind).register(registry).increment(by);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static Map<String, Long> zeros(Enum<?>[] values) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Enum<?> v : values) {
            counts.put(v.name(), 0L);
        }
        return counts;
    }

    private static List<MultiGauge.Row<?>> rows(Map<String, Long> counts, String tag) {
        return counts.entrySet().stream().<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of(tag, e.getKey()),
                e.getValue())).toList();
    }

}
