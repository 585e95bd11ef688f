package com.bedrockportal.shared;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Jobs that must run on one node at a time across the cluster (a row per job in {@code cluster_run}, V43): a run
 * claims its job's lease by a conditional update, committed at once, and releases it when it ends. The lease is short
 * ({@link #HEARTBEAT}) and renewed while the run goes on, up to the run's longest time: a node that stops without
 * releasing holds it at most one heartbeat, a node whose run hangs at most that longest time. Every time in the row is
 * the database's ({@code current_timestamp}), never a node's own clock: a node whose clock runs ahead would otherwise
 * see another's lease as run out and take it, and one whose clock runs behind would skip its schedule's runs.
 */
@Component
public class ClusterRuns {

    /**
     * How long a lease lasts unless renewed; renewed every quarter of it while its run goes on. Ten minutes: a node
     * gone frees the job within ten minutes, while a node that stands still for a few (a database failover, a long
     * pause) keeps its run's lease.
     */
    public static final Duration HEARTBEAT = Duration.ofMinutes(10);

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterRuns.class);

    /** This process, as a lease's holder: host, process id and a random part (two starts never share it). */
    static final String NODE = ManagementFactory.getRuntimeMXBean().getName() + "/"
            + UUID.randomUUID().toString().substring(0, 8);

    /** A claimed lease, to renew and release: held until {@code longest} at most. */
    private record Lease(String name, Instant startedAt, Instant longest) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate separate;
    private final Duration heartbeat;
    /** Renews the leases of runs going on here (one daemon thread, started with the first run). */
    private final java.util.concurrent.ScheduledExecutorService renewals =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cluster-lease-renewal");
                t.setDaemon(true);
                return t;
            });

    @org.springframework.beans.factory.annotation.Autowired
    public ClusterRuns(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this(jdbc, transactions, HEARTBEAT);
    }

    /** With a heartbeat of its own (tests: seconds instead of minutes). */
    ClusterRuns(JdbcClient jdbc, PlatformTransactionManager transactions, Duration heartbeat) {
        this.jdbc = jdbc;
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.heartbeat = heartbeat;
    }

    @jakarta.annotation.PreDestroy
    void stopRenewing() {
        renewals.shutdownNow();
    }

    /** One run of each job at a time on this node, before the cluster's row is asked. */
    private final java.util.Map<String, java.util.concurrent.locks.ReentrantLock> local =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Runs {@code run} as the one run of the job {@code name} in the cluster: empty, and not run, when a run of it is
     * going on here or on another node (whose lease has not run out), or, with {@code notWithin}, when a run of it
     * started less than that long ago on any node (a schedule's run that another node has just done). The lease is
     * renewed every quarter heartbeat while {@code run} goes on, for {@code longest} at most (a run that hangs lets
     * the cluster run again then), and released when {@code run} ends.
     */
    public <T> Optional<T> exclusively(String name, Duration longest, Duration notWithin, Supplier<T> run) {
        java.util.concurrent.locks.ReentrantLock here = local.computeIfAbsent(name,
                n -> new java.util.concurrent.locks.ReentrantLock());
        if (!here.tryLock()) {
            return Optional.empty();
        }
        try {
            Optional<Lease> held = claim(name, longest, notWithin);
            if (held.isEmpty()) {
                return Optional.empty();
            }
            long every = Math.max(1, heartbeat.toMillis() / 4);
            java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.ScheduledFuture<?> renewing = null;
            try {
                renewing = renewals.scheduleWithFixedDelay(() -> renew(held.get(), ended), every, every,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                return Optional.ofNullable(run.get());
            } finally {
                ended.set(true);
                if (renewing != null) {
                    renewing.cancel(false);
                }
                release(held.get());
            }
        } finally {
            here.unlock();
        }
    }

    /**
     * Claims the job {@code name} for one heartbeat: empty when another node holds a lease not yet run out, or, with
     * {@code notWithin}, when a run of it started less than that long ago on any node (a schedule's run that another
     * node has just done).
     */
    private Optional<Lease> claim(String name, Duration longest, Duration notWithin) {
        String recent = notWithin == null ? "" : " and (started_at is null or started_at < :recent)";
        return separate.execute(s -> {
            Instant now = databaseNow().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // stored, compared exactly
            Lease lease = new Lease(name, now, now.plus(longest));
            int claimed = jdbc.sql("update cluster_run set holder = :holder, started_at = :now, lease_until = :until "
                    + "where name = :name and (lease_until is null or lease_until < :now)" + recent)
                    .param("holder", NODE).param("now", utc(now)).param("until", utc(until(lease, now)))
                    .param("name", name).param("recent", notWithin == null ? null : utc(now.minus(notWithin)))
                    .update();
            return claimed == 1 ? Optional.of(lease) : Optional.empty();
        });
    }

    /** The database's time, which every node's lease is judged by. */
    private Instant databaseNow() {
        return jdbc.sql("select current_timestamp").query((rs, row) -> rs.getObject(1, OffsetDateTime.class))
                .single().toInstant();
    }

    /** One heartbeat from {@code now}, never past the run's longest time. */
    private Instant until(Lease lease, Instant now) {
        Instant next = now.plus(heartbeat);
        return next.isAfter(lease.longest()) ? lease.longest() : next;
    }

    /**
     * Extends a run's lease by a heartbeat, while this node still holds it. A failure (the database away for a moment)
     * is logged and the next beat tries again; a lease another node took (this run outlived its longest time, or this
     * node stood still past a heartbeat) is logged once per beat and not taken back.
     */
    private void renew(Lease lease, java.util.concurrent.atomic.AtomicBoolean ended) {
        if (ended.get()) {
            return;
        }
        try {
            Integer renewed = separate.execute(s -> jdbc.sql("update cluster_run set lease_until = :until where name = "
                    + ":name and holder = :holder and started_at = :started and lease_until is not null")
                    .param("until", utc(until(lease, databaseNow()))).param("name", lease.name())
                    .param("holder", NODE).param("started", utc(lease.startedAt())).update());
            if ((renewed == null || renewed == 0) && !ended.get()) { // not a beat that met the release
                log.warn("Cluster run {}: this node no longer holds its lease (started {})", lease.name(),
                        lease.startedAt());
            }
        } catch (RuntimeException e) {
            log.warn("Cluster run {}: renewing its lease failed ({}); the next beat tries again", lease.name(),
                    e.getClass().getSimpleName());
        }
    }

    /**
     * Holds the job's row until the caller's transaction ends: callers that check and then write (one open campaign at
     * most) run one after the other, on any node.
     */
    @org.springframework.transaction.annotation.Transactional(
            propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public void holdUntilCommit(String name) {
        jdbc.sql("select name from cluster_run where name = :name for update").param("name", name)
                .query(String.class).single();
    }

    /** Ends this node's lease (the run's start stays, for {@code notWithin}). */
    private void release(Lease lease) {
        separate.executeWithoutResult(s -> jdbc.sql("update cluster_run set lease_until = null where name = :name "
                + "and holder = :holder and started_at = :started").param("name", lease.name()).param("holder", NODE)
                .param("started", utc(lease.startedAt())).update());
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
