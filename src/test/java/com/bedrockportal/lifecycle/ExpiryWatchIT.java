package com.bedrockportal.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.application.RotationSchedules;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.shared.FormValidation;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.MutableClock;
import com.bedrockportal.testsupport.PostgresSupport;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The expiry watch against PostgreSQL and the simulated account, with the clock moved by the test and the check
 * called as the schedule calls it:
 * <ul>
 * <li>each reminder exactly once per key — two portal nodes (two instances of the watch) checking at the same time,
 * one holding its reminder uncommitted while the other tries the same, and a restart (a fresh instance) afterwards;</li>
 * <li>an application with scheduled rotation rotates instead of reminding (the rotation is the lead's process: here a
 * mock that says what it was asked), once per key; without one, or when no rotation could start, it is reminded;</li>
 * <li>a key expired for {@code delete-expired-after} is deleted from AWS, recorded DELETED, audited and told, once.</li>
 * </ul>
 */
@TestPropertySource(properties = "portal.keys.expiry-check-enabled=false")
// Its mocked Rotations must not outlive it: a cached context's job executor would take other tests' process jobs
// from the shared database and run them against the mock (CompromiseRotationIT's rotation never started in CI).
@org.springframework.test.annotation.DirtiesContext
class ExpiryWatchIT extends PostgresSupport {

    @TestConfiguration
    static class MovableTime {
        @Bean
        @Primary
        MutableClock movableClock() {
            return new MutableClock(Instant.now());
        }
    }

    @MockitoBean
    Rotations rotations;

    @Autowired
    ExpiryWatch watch;
    @Autowired
    ApiKeys keys;
    @Autowired
    IamUsers users;
    @Autowired
    ServiceCredentials credentials;
    @Autowired
    BusinessUnitService units;
    @Autowired
    RotationSchedules schedules;
    @Autowired
    ApplicationService applications;
    @Autowired
    Notifier notifier;
    @Autowired
    AuditLog audit;
    @Autowired
    FormValidation texts;
    @Autowired
    ExpiryEvents events;
    @Autowired
    ExpiryWatchProperties properties;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcTemplate jdbc;

    BusinessUnit unit;
    /** Applications the mocked rotation process was started for (it then says they have an open rotation). */
    final Set<Long> rotating = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void aUnitOfAlicesAndARotationProcessThatRemembersWhatItStarted() {
        clock.set(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        unit = Fixtures.unit(units, "exp", Set.of("mike"), Set.of("alice"));
        rotating.clear();
        when(rotations.open(anyLong())).thenAnswer(i -> rotating.contains(i.<Long>getArgument(0))
                ? Optional.of(1L) : Optional.empty());
        when(rotations.startBySystem(anyLong(), eq(Rotations.Trigger.SCHEDULED), anyString(), eq("schedule"))).thenAnswer(i -> {
                    rotating.add(i.<Long>getArgument(0));
                    return Optional.of(1000L + i.<Long>getArgument(0));
                });
    }

    /** A second portal node: another instance of the watch on the same database. */
    private ExpiryWatch anotherNode() {
        return new ExpiryWatch(keys, schedules, applications, units, rotations, credentials, notifier, audit, texts,
                events, properties, Duration.ofDays(7), transactionManager, clock);
    }

    @Test
    void eachReminderIsSentOnceWhenTwoNodesCheckAtOnceAndAfterARestart() throws Exception {
        List<ApiKey> expiring = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long app = application("rem" + i, "OFF");
            expiring.add(key(app, clock.instant().minus(Duration.ofDays(25)), clock.instant().plus(Duration.ofDays(5))));
        }

        List<ExpiryWatch.Outcome> first = inParallel(watch, anotherNode());
        for (ApiKey k : expiring) {
            assertThat(reminders(k)).containsExactly("REMIND_P7D");
            assertThat(notified("alice", k, "expires in 5 days")).isEqualTo(1);
            assertThat(mails(k)).isEqualTo(1);
        }
        assertThat(first.stream().mapToInt(ExpiryWatch.Outcome::remindersSent).sum())
                .as("the two nodes together sent each reminder once").isGreaterThanOrEqualTo(expiring.size());

        // A restart: a fresh instance with nothing in memory finds every reminder sent.
        anotherNode().check();
        watch.check();
        for (ApiKey k : expiring) {
            assertThat(notified("alice", k, "Renew your Bedrock API key")).isEqualTo(1);
        }

        // Four and a half days later the one-day reminder, again once, whoever checks.
        clock.advance(Duration.ofHours(108));
        inParallel(watch, anotherNode());
        anotherNode().check();
        for (ApiKey k : expiring) {
            assertThat(reminders(k)).containsExactly("REMIND_P7D", "REMIND_P1D");
            assertThat(notified("alice", k, "expires in 12 hours")).isEqualTo(1);
            assertThat(notified("alice", k, "Renew your Bedrock API key")).isEqualTo(2);
            assertThat(mails(k)).isEqualTo(2);
        }
        assertThat(rotating).as("rotation is off for these applications").doesNotContainAnyElementsOf(
                expiring.stream().map(this::applicationOf).toList());
    }

    @Test
    void theNodeThatLosesTheRaceForAReminderSendsNothingItsInsertFailsOnTheUniqueConstraint() throws Exception {
        long app = application("race", "OFF");
        ApiKey k = key(app, clock.instant().minus(Duration.ofDays(25)), clock.instant().plus(Duration.ofDays(5)));
        ExpiryWatch nodeA = anotherNode();
        ExpiryWatch nodeB = anotherNode();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ExpiryWatch.Outcome> b = new TransactionTemplate(transactionManager).execute(status -> {
                // Node A has claimed the reminder and written its notification, not committed yet ...
                nodeA.remind(app, k, Duration.ofDays(7), clock.instant());
                // ... while node B finds the same reminder due and tries to claim it: it waits for A's row.
                Future<ExpiryWatch.Outcome> running = pool.submit(nodeB::check);
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock() || running.isDone());
                assertThat(running.isDone()).as("node B waits for node A's uncommitted reminder").isFalse();
                return running;
            });
            ExpiryWatch.Outcome outcome = b.get(30, TimeUnit.SECONDS);
            assertThat(outcome.remindersLost()).isGreaterThanOrEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(reminders(k)).containsExactly("REMIND_P7D");
        assertThat(notified("alice", k, "Renew your Bedrock API key")).isEqualTo(1);
        assertThat(mails(k)).isEqualTo(1);
    }

    @Test
    void anApplicationWithScheduledRotationRotatesInsteadOfRemindingOncePerKey() {
        long byUnit = application("sched", null);
        ApiKey due = key(byUnit, clock.instant().minus(Duration.ofDays(25)), clock.instant().plus(Duration.ofDays(5)));
        long young = application("young", null);
        ApiKey fresh = key(young, clock.instant().minus(Duration.ofDays(2)), clock.instant().plus(Duration.ofDays(28)));

        watch.check();
        verify(rotations).startBySystem(byUnit, Rotations.Trigger.SCHEDULED, "Scheduled rotation (every P30D)",
                "schedule");
        verify(rotations, never()).startBySystem(eq(young), any(),
                anyString(), anyString());
        assertThat(reminders(due)).containsExactly("ROTATION_STARTED");
        assertThat(notified("alice", due, "Renew")).isZero();
        assertThat(reminders(fresh)).isEmpty();

        // The rotation ends without replacing the key (nothing open any more): the schedule does not start another
        // one for this key; its owner is reminded instead, so the expiry does not come unannounced.
        rotating.clear();
        anotherNode().check();
        verify(rotations, times(1)).startBySystem(eq(byUnit), any(),
                anyString(), anyString());
        assertThat(reminders(due)).containsExactly("ROTATION_STARTED", "REMIND_P7D");
    }

    @Test
    void aRotationThatCannotStartLeavesTheKeyToTheNextCheckAndItsOwnerIsReminded() {
        long app = application("fail", "P7D");
        ApiKey k = key(app, clock.instant().minus(Duration.ofDays(8)), clock.instant().plus(Duration.ofDays(22)));
        when(rotations.startBySystem(eq(app), eq(Rotations.Trigger.SCHEDULED), eq("Scheduled rotation (every P7D)"),
                eq("schedule"))).thenThrow(new IllegalStateException("rotation is being built"));

        ExpiryWatch.Outcome outcome = watch.check();
        assertThat(outcome.failed()).isGreaterThanOrEqualTo(1);
        assertThat(reminders(k)).as("the claim was rolled back with the failed start").isEmpty();

        // Seven days before its expiry, still no rotation: the reminder goes out, with Renew.
        clock.advance(Duration.ofDays(16));
        watch.check();
        assertThat(reminders(k)).containsExactly("REMIND_P7D");
        verify(rotations, times(2)).startBySystem(eq(app), any(),
                anyString(), anyString());
    }

    @Test
    void aKeyReplacedByANewerOneOrUnderRotationIsNotReminded() {
        long app = application("repl", "OFF");
        ApiKey old = key(app, clock.instant().minus(Duration.ofDays(25)), clock.instant().plus(Duration.ofDays(5)));
        key(app, clock.instant().minus(Duration.ofDays(1)), clock.instant().plus(Duration.ofDays(29)));
        long manual = application("manual", "OFF");
        ApiKey rotatingKey = key(manual, clock.instant().minus(Duration.ofDays(25)),
                clock.instant().plus(Duration.ofDays(5)));
        rotating.add(manual);

        watch.check();
        assertThat(reminders(old)).isEmpty();
        assertThat(reminders(rotatingKey)).isEmpty();
    }

    @Test
    void aKeyExpiredSevenDaysAgoIsDeletedFromAwsOnceRecordedAuditedAndToldToItsOwner() throws Exception {
        long app = application("del", "OFF");
        ApiKey expired = key(app, clock.instant().minus(Duration.ofDays(38)),
                clock.instant().minus(Duration.ofDays(7)).minusSeconds(60));
        long app2 = application("gone", "OFF");
        ApiKey goneInAws = key(app2, clock.instant().minus(Duration.ofDays(40)),
                clock.instant().minus(Duration.ofDays(10)));
        credentials.deleteServiceCredential(goneInAws.iamUser(), goneInAws.credentialId());
        long app3 = application("recent", "OFF");
        ApiKey recent = key(app3, clock.instant().minus(Duration.ofDays(36)),
                clock.instant().minus(Duration.ofDays(6)));
        assertThat(inAws(expired)).isEqualTo("Active");

        inParallel(watch, anotherNode());
        anotherNode().check();

        assertThat(inAws(expired)).as("deleted in AWS: its slot is free").isNull();
        ApiKey after = keys.find(expired.id()).orElseThrow();
        assertThat(after.status().name()).isEqualTo("DELETED");
        assertThat(after.statusChangedBy()).isEqualTo(ExpiryWatch.ACTOR);
        assertThat(after.statusReason()).contains("deleted from AWS 7 days later to free its slot");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = ? and target = ?",
                Integer.class, ExpiryWatch.AUDIT_KEY_DELETED_EXPIRED, "key:" + expired.id())).isEqualTo(1);
        assertThat(reminders(expired)).containsExactly("DELETED");
        assertThat(notified("alice", expired, "was deleted")).isEqualTo(1);
        assertThat(watch.timeline(expired.id())).singleElement()
                .satisfies(e -> assertThat(e.event()).isEqualTo("DELETED"));

        assertThat(keys.find(goneInAws.id()).orElseThrow().status().name())
                .as("a credential AWS no longer has counts as deleted").isEqualTo("DELETED");
        assertThat(keys.find(recent.id()).orElseThrow().status().name()).isEqualTo("ACTIVE");
        assertThat(inAws(recent)).isEqualTo("Active");
    }

    @Test
    void readAPageAtATimeTheCheckStillReachesEveryApplicationAndEveryExpiredKey() {
        List<ApiKey> dueForReminder = new ArrayList<>();
        List<ApiKey> expired = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            dueForReminder.add(key(application("pg" + i, "OFF"), clock.instant().minus(Duration.ofDays(25)),
                    clock.instant().plus(Duration.ofDays(5))));
            expired.add(key(application("px" + i, "OFF"), clock.instant().minus(Duration.ofDays(40)),
                    clock.instant().minus(Duration.ofDays(8))));
        }
        // Every page but the last holds a single application (or key), so these six span six pages at least.
        watch.pageSize(1);
        try {
            watch.check();
        } finally {
            watch.pageSize(ExpiryWatch.PAGE);
        }
        assertThat(dueForReminder).allSatisfy(k -> assertThat(reminders(k)).containsExactly("REMIND_P7D"));
        assertThat(expired).allSatisfy(k -> assertThat(keys.find(k.id()).orElseThrow().status().name())
                .isEqualTo("DELETED"));
    }

    // --- helpers

    /** An application of the unit owned by alice, with its IAM user; {@code rotateEvery} its own setting or null. */
    private long application(String prefix, String rotateEvery) {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        long app = Fixtures.application(jdbc, unit, slug);
        jdbc.update("update application set rotate_every = ? where id = ?", rotateEvery, app);
        users.createUser(ApplicationNames.iamUser(unit.slug(), slug), "/bedrock-portal/", Map.of());
        return app;
    }

    /** A revealed key of the application in the simulated account, created and expiring when given. */
    private ApiKey key(long app, Instant created, Instant expires) {
        String user = jdbc.queryForObject("select iam_user from application where id = ?", String.class, app);
        long requestId = jdbc.queryForObject("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at, application_id, kind)
                values (?, 'alice', 'expiry watch test', 'amazon.nova-lite-v1:0', 'us-east-1', '', 30, 100, 80,
                    'alice@example.com', false, 'alice@example.com', 'INTERNAL', 'PROVISIONED', ?, now(), now(), ?,
                    'NEW')
                returning id""", Long.class, unit.id(), UUID.randomUUID().toString(), app);
        ServiceCredentials.NewServiceCredential made = credentials.createServiceCredential(user,
                ServiceCredentials.BEDROCK_SERVICE, 30);
        ApiKey key = keys.store(requestId, "alice", unit.id(), app, user, made.credential().credentialId(),
                made.credential().createdAt(), made.credential().expiresAt(), made.secret(), Duration.ofDays(3),
                "us-east-1", "amazon.nova-lite-v1:0");
        jdbc.update("update api_key set status = 'ACTIVE', revealed_at = ?, revealed_by = 'alice', sealed_secret = null,"
                + " wrapped_key = null, created_at = ?, expires_at = ? where id = ?", created.atOffset(ZoneOffset.UTC),
                created.atOffset(ZoneOffset.UTC), expires.atOffset(ZoneOffset.UTC), key.id());
        return keys.find(key.id()).orElseThrow();
    }

    private static List<ExpiryWatch.Outcome> inParallel(ExpiryWatch a, ExpiryWatch b) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<ExpiryWatch.Outcome> first = pool.submit(() -> {
                start.await();
                return a.check();
            });
            Future<ExpiryWatch.Outcome> second = pool.submit(() -> {
                start.await();
                return b.check();
            });
            start.countDown();
            return List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Whether node B's claim of the reminder waits for node A's uncommitted one (not any other lock wait in the
     * database, such as the audit chain's head).
     */
    private boolean waitingForALock() {
        return Fixtures.lockWaiters(jdbc, "insert into key_expiry_event%") > 0;
    }

    private long applicationOf(ApiKey k) {
        return keys.applicationOf(k.id()).orElseThrow();
    }

    private List<String> reminders(ApiKey k) {
        return jdbc.queryForList("select event from key_expiry_event where key_id = ? order by id", String.class,
                k.id());
    }

    private int notified(String user, ApiKey k, String text) {
        return jdbc.queryForObject("select count(*) from notification where recipient = ? and title like ? "
                + "and title like ?", Integer.class, user, "%" + k.prefix() + "%", "%" + text + "%");
    }

    private int mails(ApiKey k) {
        return jdbc.queryForObject("select count(*) from mail_outbox where subject like ?", Integer.class,
                "%" + k.prefix() + "%");
    }

    private String inAws(ApiKey k) {
        return jdbc.query("select status from sandbox_credential where id = ?", rs -> rs.next() ? rs.getString(1)
                : null, k.credentialId());
    }
}
