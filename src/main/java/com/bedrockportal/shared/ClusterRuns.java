package com.bedrockportal.shared;

import java.lang.management.ManagementFactory;
import java.time.Clock;
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
 * claims its job's lease by a conditional update, committed at once, and releases it when it ends. A node that stops
 * without releasing holds the lease until it runs out, so the lease is longer than a run takes.
 */
@Component
public class ClusterRuns {

    /** This process, as a lease's holder: host, process id and a random part (two starts never share it). */
    static final String NODE = ManagementFactory.getRuntimeMXBean().getName() + "/"
            + UUID.randomUUID().toString().substring(0, 8);

    /** A claimed lease, to release. */
    private record Lease(String name, Instant startedAt) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate separate;
    private final Clock clock;

    public ClusterRuns(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /** One run of each job at a time on this node, before the cluster's row is asked. */
    private final java.util.Map<String, java.util.concurrent.locks.ReentrantLock> local =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Runs {@code run} as the one run of the job {@code name} in the cluster: empty, and not run, when a run of it is
     * going on here or on another node (whose lease has not run out), or, with {@code notWithin}, when a run of it
     * started less than that long ago on any node (a schedule's run that another node has just done). The lease is
     * held for {@code lease} at most and released when {@code run} ends.
     */
    public <T> Optional<T> exclusively(String name, Duration lease, Duration notWithin, Supplier<T> run) {
        java.util.concurrent.locks.ReentrantLock here = local.computeIfAbsent(name,
                n -> new java.util.concurrent.locks.ReentrantLock());
        if (!here.tryLock()) {
            return Optional.empty();
        }
        try {
            Optional<Lease> held = claim(name, lease, notWithin);
            if (held.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.ofNullable(run.get());
            } finally {
                release(held.get());
            }
        } finally {
            here.unlock();
        }
    }

    /**
     * Claims the job {@code name} for {@code lease}: empty when another node holds a lease not yet run out, or, with
     * {@code notWithin}, when a run of it started less than that long ago on any node (a schedule's run that another
     * node has just done).
     */
    private Optional<Lease> claim(String name, Duration lease, Duration notWithin) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // stored and compared exactly
        String recent = notWithin == null ? "" : " and (started_at is null or started_at < :recent)";
        Integer claimed = separate.execute(s -> jdbc.sql("update cluster_run set holder = :holder, started_at = :now, "
                + "lease_until = :until where name = :name and (lease_until is null or lease_until < :now)" + recent)
                .param("holder", NODE).param("now", utc(now)).param("until", utc(now.plus(lease)))
                .param("name", name).param("recent", notWithin == null ? null : utc(now.minus(notWithin))).update());
        return claimed != null && claimed == 1 ? Optional.of(new Lease(name, now)) : Optional.empty();
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
