package com.bedrockportal.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
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
 * Now every {@code portal.events.redelivery-interval} one node of the cluster ({@link ClusterRuns}) takes the oldest
 * {@code portal.events.max-per-run} events still unfinished {@code portal.events.redeliver-after} after they were
 * published, gives each the time of this sending as its publication date (committed before they are sent, so that no
 * node sends them again before that time has passed once more), and sends them again. The member, owner and reveal
 * listeners re-read the state they act on, so an event sent twice does their work once; the reveal counters
 * ({@code PortalMetrics}) would count such a reveal twice. What each event's redelivery has done is kept in
 * {@code event_redelivery} (first published, times taken up again, last), shown on the Incidents page and counted by
 * the {@code portal.events.waiting} gauge. An event of a listener this version lacks (renamed in an upgrade) is not
 * taken up, and one that cannot be read back is counted but not sent: both stay, listed as such, until an admin
 * discards them ({@link #discard}, with a reason, audited).
 */
@Component
public class EventRedelivery {

    static final String JOB = "event-redelivery";
    /** Events listed on the Incidents page at most (the oldest first); the rest are counted. */
    public static final int MAX_LISTED = 50;

    private static final Logger log = LoggerFactory.getLogger(EventRedelivery.class);

    /** Unfinished events with what their redelivery has done so far. */
    private static final String EVENTS = "from event_publication p left join event_redelivery r on r.id = p.id ";
    /** Which events {@link #waiting()} lists and {@link #countWaiting()} counts ({@code :due}: {@link #waitingSince}). */
    private static final String WAITING = EVENTS
            + "where p.completion_date is null and (r.id is not null or p.publication_date < :due)";

    /** An unfinished event as an operator sees it: its listener (which names the event) in short, no payload. */
    public record Waiting(UUID id, String listener, boolean listenerExists, boolean unreadable, Instant publishedAt,
            int attempts, Instant lastSentAt) {

        /** Not sent again by the portal (its listener gone, or unreadable): only an admin's discard ends it. */
        public boolean notSent() {
            return !listenerExists || unreadable;
        }
    }

    /** The columns {@link #waiting} and {@link #discard} read an event with ({@code waiting(ResultSet, Set)}). */
    private static final String WAITING_COLUMNS = "select p.id, p.listener_id, coalesce(r.published_at, "
            + "p.publication_date), coalesce(r.attempts, 0), r.last_sent_at, coalesce(r.unreadable, false) ";

    private record Due(UUID id, Instant publishedAt, boolean readable) {
    }

    private final JdbcClient jdbc;
    private final IncompleteEventPublications publications;
    private final ClusterRuns cluster;
    private final EventProperties properties;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final org.springframework.context.ApplicationContext context;
    /** {@link #listenerIds()}, read once. */
    private volatile Set<String> listenerIds;
    /** The mapper Spring Modulith's Jackson serializer reads events with (the context's). */
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    EventRedelivery(JdbcClient jdbc, IncompleteEventPublications publications, ClusterRuns cluster,
            EventProperties properties, Clock clock, PlatformTransactionManager transactionManager,
            org.springframework.context.ApplicationContext context,
            com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.context = context;
        this.mapper = mapper;
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
        if (!properties.redeliveryEnabled()) {
            return;
        }
        try {
            redeliver();
        } catch (RuntimeException e) {
            log.warn("Sending unfinished events again failed ({}); the next interval tries again", e.getClass().getSimpleName());
        }
    }

    /**
     * One look, as the one run in the cluster: how many events it took up (sent again, or found unreadable and
     * counted; 0 when another node is looking). Each goes to its listener on the node's listener threads, as at its
     * first publication.
     */
    public int redeliver() {
        return cluster.exclusively(JOB, Duration.ofMinutes(10), null, this::run).orElse(0);
    }

    private int run() {
        Instant now = clock.instant();
        jdbc.sql("delete from event_redelivery r where not exists (select 1 from event_publication p "
                + "where p.id = r.id and p.completion_date is null)").update();
        Set<String> listeners = listenerIds();
        if (listeners.isEmpty()) {
            return 0;
        }
        // Capped in SQL before any event is read whole. Events of a listener this node does not have (renamed in an
        // upgrade) are not sent: Spring Modulith would log "not found" and keep each sending in memory for good.
        List<Due> due = jdbc.sql("""
                select id, publication_date, event_type, serialized_event from event_publication
                 where completion_date is null and publication_date < :due and listener_id in (:listeners)
                 order by publication_date, id limit :max""")
                .param("due", utc(now.minus(properties.redeliverAfter()))).param("listeners", listeners)
                .param("max", properties.maxPerRun())
                .query((rs, i) -> new Due(rs.getObject(1, UUID.class),
                        rs.getObject(2, OffsetDateTime.class).toInstant(), readable(rs.getString(3), rs.getString(4))))
                .list();
        if (due.isEmpty()) {
            return 0;
        }
        // Dated and counted first, committed: no node sends these again before redeliver-after, even if this one
        // stops before it has sent them (they are sent then, counted once more than they went out).
        Instant sent = clock.instant();
        transactions.executeWithoutResult(s -> due.forEach(d -> recordSent(d, sent)));
        // One that cannot be read is not sent: Spring Modulith would throw out of the whole look at it, and the events
        // after it would never be sent.
        Set<UUID> ids = due.stream().filter(Due::readable).map(Due::id).collect(java.util.stream.Collectors.toSet());
        long unreadable = due.size() - ids.size();
        if (unreadable > 0) {
            log.warn("{} unfinished event(s) cannot be read back: not sent (listed on the Incidents page)", unreadable);
        }
        if (!ids.isEmpty()) {
            // Reads every unfinished event's row (in delete mode the table holds no others), these only whole.
            publications.resubmitIncompletePublications(p -> ids.contains(p.getIdentifier()));
            log.info("Sent {} unfinished event(s) again, published from {} to {}", ids.size(),
                    due.get(0).publishedAt(), due.get(due.size() - 1).publishedAt());
        }
        return due.size();
    }

    /**
     * The ids of the listeners whose events Spring Modulith stores and sends again (every after-commit
     * {@code @TransactionalEventListener}, which {@code @ApplicationModuleListener} is), as it stores them in
     * {@code listener_id}.
     */
    Set<String> listenerIds() {
        Set<String> known = listenerIds;
        if (known == null || known.isEmpty()) { // read once the context has them: they do not change after
            known = readListenerIds();
            listenerIds = known;
        }
        return known;
    }

    private Set<String> readListenerIds() {
        if (!(context instanceof org.springframework.context.support.AbstractApplicationContext all)) {
            return Set.of();
        }
        return all.getApplicationListeners().stream()
                .filter(org.springframework.transaction.event.TransactionalApplicationListener.class::isInstance)
                .map(l -> (org.springframework.transaction.event.TransactionalApplicationListener<?>) l)
                .filter(l -> l.getTransactionPhase() == org.springframework.transaction.event.TransactionPhase.AFTER_COMMIT)
                .map(org.springframework.transaction.event.TransactionalApplicationListener::getListenerId)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Whether Spring Modulith can read the stored event back (its class exists, its stored form fits it). */
    private boolean readable(String type, String serialized) {
        try {
            mapper.readerFor(Class.forName(type, false, getClass().getClassLoader())).readValue(serialized);
            return true;
        } catch (ClassNotFoundException | LinkageError | java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Counts the attempt (an event that cannot be read too, marked so), and dates the event by it so that it is not
     * due again before redeliver-after.
     */
    private void recordSent(Due d, Instant sent) {
        int updated = jdbc.sql("update event_redelivery set attempts = attempts + 1, last_sent_at = :sent, "
                + "unreadable = :unreadable where id = :id").param("sent", utc(sent)).param("unreadable", !d.readable())
                .param("id", d.id()).update();
        if (updated == 0) {
            jdbc.sql("insert into event_redelivery (id, published_at, attempts, last_sent_at, unreadable) "
                    + "values (:id, :published, 1, :sent, :unreadable)").param("id", d.id())
                    .param("published", utc(d.publishedAt())).param("sent", utc(sent))
                    .param("unreadable", !d.readable()).update();
        }
        jdbc.sql("update event_publication set publication_date = :sent where id = :id and completion_date is null")
                .param("sent", utc(sent)).param("id", d.id()).update();
    }

    /**
     * Events unfinished {@code redeliver-after} after they were published, or sent again at least once and still
     * unfinished: the oldest {@link #MAX_LISTED}.
     */
    @jakarta.annotation.security.RolesAllowed({ "SECURITY", "ADMIN" }) // PortalRole's, as the Incidents page
    public List<Waiting> waiting() {
        Set<String> listeners = listenerIds();
        return jdbc.sql(WAITING_COLUMNS + WAITING + " order by coalesce(r.published_at, p.publication_date), p.id "
                + "limit :max").param("due", waitingSince()).param("max", MAX_LISTED)
                .query((rs, i) -> waiting(rs, listeners)).list();
    }

    private static Waiting waiting(java.sql.ResultSet rs, Set<String> listeners) throws java.sql.SQLException {
        return new Waiting(rs.getObject(1, UUID.class), listener(rs.getString(2)), listeners.contains(rs.getString(2)),
                rs.getBoolean(6), rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getInt(4),
                java.util.Optional.ofNullable(rs.getObject(5, OffsetDateTime.class)).map(OffsetDateTime::toInstant)
                        .orElse(null));
    }

    /**
     * Deletes an unfinished event that can never be handled: its listener is not in this version, or this version
     * cannot read it back (checked now, not taken from an earlier look). Its row is locked first, so a look or its
     * listener finishing it meanwhile wins. Returns what was deleted; empty, deleting nothing, when the event has
     * finished or is gone, or when it can still be handled (then it is sent again as any other). Whoever calls this
     * records who discarded it and why ({@code workflow.StuckEvents}).
     */
    @jakarta.annotation.security.RolesAllowed("ADMIN") // PortalRole's
    @org.springframework.transaction.annotation.Transactional(
            propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public java.util.Optional<Waiting> discard(UUID id) {
        record Stored(String type, String serialized) {
        }
        Stored stored = jdbc.sql("select event_type, serialized_event from event_publication where id = :id and "
                + "completion_date is null for update").param("id", id)
                .query((rs, i) -> new Stored(rs.getString(1), rs.getString(2))).optional().orElse(null);
        Set<String> listeners = listenerIds();
        if (stored == null || listeners.isEmpty()) { // finished or gone; or no listener known here to judge by
            return java.util.Optional.empty();
        }
        Waiting read = jdbc.sql(WAITING_COLUMNS + EVENTS + "where p.id = :id").param("id", id)
                .query((rs, i) -> waiting(rs, listeners)).single();
        // Whether it can be read is judged now, not taken from an earlier look.
        Waiting now = new Waiting(id, read.listener(), read.listenerExists(),
                !readable(stored.type(), stored.serialized()), read.publishedAt(), read.attempts(), read.lastSentAt());
        if (!now.notSent()) {
            return java.util.Optional.empty();
        }
        jdbc.sql("delete from event_redelivery where id = :id").param("id", id).update();
        jdbc.sql("delete from event_publication where id = :id").param("id", id).update();
        return java.util.Optional.of(now);
    }

    /** How many {@link #waiting()} would list without its cap. */
    public long countWaiting() {
        return jdbc.sql("select count(*) " + WAITING).param("due", waitingSince()).query(Long.class).single();
    }

    /** Published before this and unfinished, or taken up again and still unfinished: waiting. */
    private OffsetDateTime waitingSince() {
        return utc(clock.instant().minus(properties.redeliverAfter()));
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
