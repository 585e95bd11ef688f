package com.bedrockportal.shared;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.bedrockportal.testsupport.PostgresSupport;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster's run leases on PostgreSQL, with a heartbeat of seconds instead of minutes (2 s: renewed every 0.5 s,
 * so a renewal thread held up for a second on a busy machine does not let the lease lapse): a run longer than a
 * heartbeat keeps its lease (renewed), a lease nobody renews (its node gone) lapses after one heartbeat, and a run that
 * hangs gives the lease up at its longest time. Two {@link ClusterRuns} are two nodes' views of the same row.
 */
class ClusterRunsIT extends PostgresSupport {

    private static final Duration HEARTBEAT = Duration.ofSeconds(2);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JdbcClient client;
    @Autowired
    PlatformTransactionManager transactions;

    private String job;
    private ClusterRuns here;
    private ClusterRuns there;

    @BeforeEach
    void aJobOfItsOwn() {
        job = "test-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("insert into cluster_run (name) values (?)", job);
        here = new ClusterRuns(client, transactions, HEARTBEAT);
        there = new ClusterRuns(client, transactions, HEARTBEAT);
    }

    @AfterEach
    void stopNodes() {
        here.stopRenewing();
        there.stopRenewing();
        jdbc.update("delete from cluster_run where name = ?", job);
    }

    @Test
    void aRunLongerThanAHeartbeatKeepsTheLeaseAndANodeGoneGivesItUpAfterOneHeartbeat() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Optional<String>> running = CompletableFuture.supplyAsync(
                () -> here.exclusively(job, Duration.ofHours(1), null, () -> await(finish)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leaseUntil() != null);
        Instant first = leaseUntil();
        Instant started = jdbc.queryForObject("select started_at from cluster_run where name = ?", Timestamp.class,
                job).toInstant();
        // One heartbeat (renewed every quarter of it since the claim), not the run's longest hour.
        assertThat(Duration.between(started, first)).as("claimed for a heartbeat").isLessThan(Duration.ofMinutes(1));

        // Past the first lease's end, the run still holds the cluster: renewed, not lapsed.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> now().isAfter(first.plus(HEARTBEAT)));
        assertThat(leaseUntil()).isAfter(first);
        assertThat(there.exclusively(job, Duration.ofHours(1), null, () -> "there")).isEmpty();

        finish.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS)).contains("here");
        assertThat(leaseUntil()).as("released").isNull();

        // A node that stops mid-run renews nothing: its lease lapses after one heartbeat and another node runs.
        Instant claimed = now();
        jdbc.update("update cluster_run set holder = 'gone', started_at = ?, lease_until = ? where name = ?",
                Timestamp.from(claimed), Timestamp.from(claimed.plus(HEARTBEAT)), job);
        assertThat(there.exclusively(job, Duration.ofHours(1), null, () -> "there")).isEmpty();
        assertThat(runsThereOnceFree(Duration.ofSeconds(10), () -> { })).isAfterOrEqualTo(claimed.plus(HEARTBEAT));
    }

    @Test
    void aRunThatHangsGivesTheLeaseUpAtItsLongestTime() throws Exception {
        Duration longest = Duration.ofSeconds(4);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Optional<String>> hanging = CompletableFuture.supplyAsync(
                () -> here.exclusively(job, longest, null, () -> await(finish)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leaseUntil() != null);
        Instant started = jdbc.queryForObject("select started_at from cluster_run where name = ?", Timestamp.class,
                job).toInstant();

        // The hung run ends at last while the other node's run goes on: its release leaves that run's lease alone.
        Instant ranThere = runsThereOnceFree(Duration.ofSeconds(15), () -> {
            Instant otherStart = jdbc.queryForObject("select started_at from cluster_run where name = ?",
                    Timestamp.class, job).toInstant();
            finish.countDown();
            assertThat(join(hanging)).contains("here");
            assertThat(leaseUntil()).as("the other node's lease, kept").isNotNull();
            assertThat(jdbc.queryForObject("select started_at from cluster_run where name = ?", Timestamp.class, job)
                    .toInstant()).isEqualTo(otherStart);
        });
        assertThat(ranThere).as("renewed past a heartbeat, up to its longest time")
                .isAfterOrEqualTo(started.plus(longest));
        assertThat(leaseUntil()).as("released by the other node's run").isNull();
    }

    private static Optional<String> join(CompletableFuture<Optional<String>> run) {
        try {
            return run.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Tries the job on the other node until it runs there (the lease free), running {@code meanwhile} inside that run;
     * when it ran.
     */
    private Instant runsThereOnceFree(Duration atMost, Runnable meanwhile) {
        AtomicReference<Instant> ranAt = new AtomicReference<>();
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> there.exclusively(job, Duration.ofHours(1), null, () -> {
                    ranAt.set(now());
                    meanwhile.run();
                    return "there";
                }).isPresent());
        return ranAt.get();
    }

    /** The database's time, which leases are judged by. */
    private Instant now() {
        return jdbc.queryForObject("select current_timestamp", Timestamp.class).toInstant();
    }

    private Instant leaseUntil() {
        Timestamp until = jdbc.queryForObject("select lease_until from cluster_run where name = ?", Timestamp.class,
                job);
        return until == null ? null : until.toInstant();
    }

    private static String await(CountDownLatch finish) {
        try {
            finish.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "here";
    }
}
