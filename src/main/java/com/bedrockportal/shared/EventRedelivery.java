package com.bedrockportal.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends again, while the portal runs, the events whose {@code @ApplicationModuleListener} has not finished: people who
 * left a unit leaving its applications and flagging those they owned, a reveal letting its request's process go on.
 * Spring Modulith keeps such an event in {@code event_publication} until its listener succeeds, but sends it again only
 * when a node starts, so a listener that failed once (a lock wait that ran out, the database away for a moment) had its
 * work left undone until the next restart, and a node stopped for good left its unfinished events to nobody. Sending
 * them again at every start was also wrong with two nodes: a node starting would send the events the other node was
 * handling at that moment.
 * <p>
 * Now every {@code portal.events.redelivery-interval} one node of the cluster ({@link ClusterRuns}) sends again the
 * oldest {@code portal.events.max-per-run} events still unfinished {@code portal.events.redeliver-after} after they
 * were published, and gives each the time of this sending as its publication date, so that no node sends it again
 * before that time has passed once more. Every listener is written to be sent an event twice (each re-reads the state
 * it acts on). What each event's redelivery has done is kept in {@code event_redelivery} (first published, times sent
 * again, last sent), shown on the Incidents page and counted by the {@code portal.events.waiting} gauge. An event whose
 * listener no longer exists (renamed in an upgrade) stays, is sent again each time and counted, and is logged by Spring
 * Modulith as "Listener … not found".
 */
@Component
public class EventRedelivery {

    static final String JOB = "event-redelivery";
    /** Events listed on the Incidents page at most (the oldest first); the rest are counted. */
    public static final int MAX_LISTED = 50;

    private static final Logger log = LoggerFactory.getLogger(EventRedelivery.class);

    /** An unfinished event as an operator sees it: its listener (which names the event) in short, no payload. */
    public record Waiting(UUID id, String listener, Instant publishedAt, int attempts,
            Instant lastSentAt) {
    }

    private record Due(UUID id, Instant publishedAt) {
    }

    private final JdbcClient jdbc;
    private final IncompleteEventPublications publications;
    private final ClusterRuns cluster;
    private final EventProperties properties;
    private final Clock clock;
    private final TransactionTemplate transactions;

    EventRedelivery(JdbcClient jdbc, IncompleteEventPublications publications, ClusterRuns cluster,
            EventProperties properties, Clock clock, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.publications = publications;
        this.cluster = cluster;
        this.properties = properties;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Scheduled(fixedDelayString = "${portal.events.redelivery-interval:PT1M}",
            initialDelayString = "${portal.events.redelivery-interval:PT1M}")
    void scheduled() {
        try {
            redeliver();
        } catch (RuntimeException e) {
            log.warn("Sending unfinished events again failed ({}); the next interval tries again", e.getClass().getSimpleName());
        }
    }

    /**
     * One look, as the one run in the cluster: how many events were sent again (0 when another node is looking).
     * Each goes to its listener on the node's listener threads, as at its first publication.
     */
    public int redeliver() {
        return cluster.exclusively(JOB, Duration.ofMinutes(10), null, this::run).orElse(0);
    }

    private int run() {
        Instant now = clock.instant();
        jdbc.sql("delete from event_redelivery r where not exists (select 1 from event_publication p "
                + "where p.id = r.id and p.completion_date is null)").update();
        // Capped in SQL before any event is read whole.
        List<Due> due = jdbc.sql("""
                select id, publication_date from event_publication
                 where completion_date is null and publication_date < :due
                 order by publication_date, id limit :max""")
                .param("due", utc(now.minus(properties.redeliverAfter()))).param("max", properties.maxPerRun())
                .query((rs, i) -> new Due(rs.getObject(1, UUID.class),
                        rs.getObject(2, OffsetDateTime.class).toInstant()))
                .list();
        if (due.isEmpty()) {
            return 0;
        }
        // Spring Modulith sends those published before a time: just after the newest of these (events published in
        // the same microsecond as it are sent too, a few more than the cap at most).
        Instant before = due.get(due.size() - 1).publishedAt().plus(1, java.time.temporal.ChronoUnit.MICROS);
        publications.resubmitIncompletePublicationsOlderThan(Duration.between(before, clock.instant()));
        Instant sent = clock.instant();
        transactions.executeWithoutResult(s -> due.forEach(d -> recordSent(d, sent)));
        log.info("Sent {} unfinished event(s) again, published from {} to {}", due.size(), due.get(0).publishedAt(),
                due.get(due.size() - 1).publishedAt());
        return due.size();
    }

    /** Counts the sending, and dates the event by it so that it is not due again before redeliver-after. */
    private void recordSent(Due d, Instant sent) {
        int updated = jdbc.sql("update event_redelivery set attempts = attempts + 1, last_sent_at = :sent where id = :id")
                .param("sent", utc(sent)).param("id", d.id()).update();
        if (updated == 0) {
            jdbc.sql("insert into event_redelivery (id, published_at, attempts, last_sent_at) "
                    + "values (:id, :published, 1, :sent)").param("id", d.id()).param("published", utc(d.publishedAt()))
                    .param("sent", utc(sent)).update();
        }
        jdbc.sql("update event_publication set publication_date = :sent where id = :id and completion_date is null")
                .param("sent", utc(sent)).param("id", d.id()).update();
    }

    /**
     * Events unfinished {@code redeliver-after} after they were published, or sent again at least once and still
     * unfinished: the oldest {@link #MAX_LISTED}.
     */
    public List<Waiting> waiting() {
        return jdbc.sql("""
                select p.id, p.listener_id, coalesce(r.published_at, p.publication_date),
                       coalesce(r.attempts, 0), r.last_sent_at
                  from event_publication p left join event_redelivery r on r.id = p.id
                 where p.completion_date is null and (r.id is not null or p.publication_date < :due)
                 order by coalesce(r.published_at, p.publication_date), p.id limit :max""")
                .param("due", utc(clock.instant().minus(properties.redeliverAfter()))).param("max", MAX_LISTED)
                .query((rs, i) -> new Waiting(rs.getObject(1, UUID.class), listener(rs.getString(2)),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getInt(4),
                        java.util.Optional.ofNullable(rs.getObject(5, OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant).orElse(null)))
                .list();
    }

    /** How many {@link #waiting()} would list without its cap. */
    public long countWaiting() {
        return jdbc.sql("""
                select count(*) from event_publication p left join event_redelivery r on r.id = p.id
                 where p.completion_date is null and (r.id is not null or p.publication_date < :due)""")
                .param("due", utc(clock.instant().minus(properties.redeliverAfter()))).query(Long.class).single();
    }

    /**
     * {@code com.bedrockportal.application.ApplicationMembers.on(com.bedrockportal.businessunit.MembersChanged)} as
     * {@code ApplicationMembers.on(MembersChanged)}.
     */
    static String listener(String id) {
        int open = id.indexOf('(');
        if (open < 0) {
            return shortName(id);
        }
        String method = id.substring(0, open);
        int dot = method.lastIndexOf('.');
        String owner = dot < 0 ? method : shortName(method.substring(0, dot)) + method.substring(dot);
        String args = id.substring(open + 1, Math.max(open + 1, id.lastIndexOf(')')));
        return owner + "(" + java.util.Arrays.stream(args.split(",")).map(String::strip)
                .map(EventRedelivery::shortName).collect(java.util.stream.Collectors.joining(", ")) + ")";
    }

    /** A class's name without its package (nested classes keep their outer class: {@code KeyEvents$Revealed}). */
    static String shortName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
