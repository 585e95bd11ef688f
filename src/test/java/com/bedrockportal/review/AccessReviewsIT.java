package com.bedrockportal.review;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.sandbox.SandboxFaults;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Access review campaigns against PostgreSQL, the simulated account and the process engine: security starts one,
 * each unit's managers get one task; keep (with comment), reduce and revoke (reason required; the key is revoked in
 * AWS) are audited against the application and the last decision completes the unit's task; a manager who owns an
 * application cannot attest it; the deadline disables the keys of what nobody decided (DISABLE) or only flags it
 * (FLAG), telling owner and managers; the CSV lists every decision. Its own context: its processes' jobs must not be
 * run by another test class's job executor.
 */
@TestPropertySource(properties = "portal.reviews.max-units=100000")
@DirtiesContext
class AccessReviewsIT extends PostgresSupport {

    @Autowired
    AccessReviews reviews;
    @Autowired
    ApiKeys keys;
    @Autowired
    IamUsers users;
    @Autowired
    ServiceCredentials credentials;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TaskService tasks;
    @Autowired
    ManagementService management;
    @Autowired
    RuntimeService runtime;
    @Autowired
    SimulatedAccount account;
    @Autowired
    PlatformTransactionManager transactionManager;

    ReviewKeys fixtures;
    BusinessUnit unit;

    @BeforeEach
    void aUnitWithTwoManagers() {
        fixtures = new ReviewKeys(jdbc, keys, users, credentials);
        fixtures.closeOpenCampaigns();
        unit = Fixtures.unit(units, "rv", Set.of("mike", "nina"), Set.of("alice"));
    }

    /**
     * The quarterly timer, as the engine runs it: its start, then the campaign's opening on a job thread with nobody
     * logged in (until 6 December that step asked for the units as a logged-in security user would, and failed).
     */
    @Test
    void theQuarterlyTimerOpensACampaignOnTheEnginesThread() {
        Fixtures.application(jdbc, unit, "main");
        BusinessUnit ninas = Fixtures.unit(units, "rvn", Set.of("nina"), Set.of("bob"));
        Fixtures.application(jdbc, ninas, "main");
        org.camunda.bpm.engine.runtime.Job timer = management.createJobQuery().processDefinitionKey(
                "bedrock-access-review").timers().activityId("StartEvent_Scheduled").singleResult();
        // Incidents of the review process only: other tests' leftover jobs may fail meanwhile on this database.
        java.util.function.LongSupplier incidents = () -> runtime.createIncidentQuery()
                .processDefinitionId(timer.getProcessDefinitionId()).count();
        long incidentsBefore = incidents.getAsLong();
        management.executeJob(timer.getId());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from access_review_campaign where status = 'OPEN' and trigger_kind = 'SCHEDULED' "
                        + "and started_by = ?", Integer.class, AccessReviews.ACTOR) == 1);
        assertThat(incidents.getAsLong()).isEqualTo(incidentsBefore);
        assertThat(jdbc.queryForObject("select count(*) from access_review_unit u join access_review_campaign c on "
                + "c.id = u.campaign_id where c.status = 'OPEN' and u.business_unit_id = ?", Integer.class,
                unit.id())).as("this test's unit is in it").isEqualTo(1);
        // mike is a manager and (here) security too: his home page counts the units he manages, not every unit.
        assertThat(RunAs.user("mike", () -> reviews.openReviews(), "MANAGER", "SECURITY"))
                .anyMatch(u -> u.businessUnitId() == ninas.id());
        assertThat(RunAs.user("mike", () -> reviews.openReviewsToDecide(), "MANAGER", "SECURITY"))
                .anyMatch(u -> u.businessUnitId() == unit.id()).noneMatch(u -> u.businessUnitId() == ninas.id());
    }

    /**
     * The quarterly timer and security's Start at the same moment (on one node or two): the second waits for the
     * first's commit, then finds its campaign open; one campaign, not two.
     */
    @Test
    void twoStartsAtOnceOpenOneCampaign() throws Exception {
        Object second = com.bedrockportal.testsupport.WhileHeld.secondWaits(transactionManager, jdbc,
                () -> assertThat(reviews.startScheduled()).isPresent(), // holds the start's row until it commits
                this::start, "%cluster_run%for update%");
        assertThat(second).isInstanceOf(AccessReviews.Refused.class);
        assertThat(jdbc.queryForObject("select count(*) from access_review_campaign where status = 'OPEN'",
                Integer.class)).isEqualTo(1);
    }

    private long start() {
        return RunAs.user("sara", () -> reviews.start(), "SECURITY");
    }

    private ReviewRecords.UnitReview unitReview(long campaign) {
        return RunAs.user("mike", () -> reviews.openReviews(), "MANAGER").stream()
                .filter(u -> u.campaignId() == campaign && u.businessUnitId() == unit.id()).findFirst()
                .orElseThrow();
    }

    private long itemOf(ReviewRecords.UnitReview review, ApiKey key) {
        return RunAs.user("mike", () -> reviews.unitPage(review.id()), "MANAGER").orElseThrow().rows().stream()
                .filter(r -> r.application().id() == fixtures.applicationOf(key)).findFirst().orElseThrow().item()
                .id();
    }

    private Task taskOf(ReviewRecords.UnitReview review) {
        return tasks.createTaskQuery().processDefinitionKey("bedrock-access-review")
                .processInstanceBusinessKey(Long.toString(review.campaignId())).list().stream()
                .filter(t -> ((Number) tasks.getVariable(t.getId(), "unitReviewId")).longValue() == review.id())
                .findFirst().orElse(null);
    }

    private int audited(String action, long applicationId, String detail) {
        return jdbc.queryForObject("select count(*) from audit_event where action = ? and target = ? and details like ?",
                Integer.class, action, "application:" + applicationId, "%" + detail + "%");
    }

    private int notified(String user, String title) {
        return jdbc.queryForObject("select count(*) from notification where recipient = ? and title like ?",
                Integer.class, user, "%" + title + "%");
    }

    /** Each row shows its own application's newest working key, last use and spend this and last month. */
    @Test
    void eachRowShowsItsApplicationsNewestKeyLastUseAndSpend() {
        ApiKey used = fixtures.application(unit, "used", "alice");
        ApiKey idle = fixtures.application(unit, "idle", "alice");
        long usedApp = fixtures.applicationOf(used);
        Instant lastUsed = Instant.parse("2026-11-30T10:15:00Z");
        jdbc.update("insert into usage_summary (application_id, last_used_at, calls_in_window, refreshed_at) values "
                + "(?, ?, 3, now())", usedApp, java.sql.Timestamp.from(lastUsed));
        java.time.YearMonth month = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
        for (var spend : Map.of(month, "12.50", month.minusMonths(1), "40.25").entrySet()) {
            jdbc.update("insert into spend_month (scope, scope_id, period, business_unit_id, budget_name, budget_usd, "
                    + "actual_usd, forecast_usd, alert_threshold, refreshed_at) values ('APPLICATION', ?, ?, ?, 'b', "
                    + "300, ?, 0, 80, now())", usedApp, spend.getKey().toString(), unit.id(),
                    new java.math.BigDecimal(spend.getValue()));
        }
        long campaign = start();
        ReviewRecords.UnitReview review = unitReview(campaign);
        List<AccessReviews.Row> rows = RunAs.user("mike", () -> reviews.unitPage(review.id()), "MANAGER")
                .orElseThrow().rows();
        assertThat(rows).hasSize(2);
        AccessReviews.Row usedRow = rows.stream().filter(r -> r.application().id() == usedApp).findFirst()
                .orElseThrow();
        assertThat(usedRow.key().id()).isEqualTo(used.id());
        assertThat(usedRow.lastUsed()).isEqualTo(lastUsed);
        assertThat(usedRow.spendThisMonth()).isEqualByComparingTo("12.50");
        assertThat(usedRow.spendLastMonth()).isEqualByComparingTo("40.25");
        assertThat(usedRow.mayKeep()).isTrue();
        AccessReviews.Row idleRow = rows.stream().filter(r -> r.application().id() == fixtures.applicationOf(idle))
                .findFirst().orElseThrow();
        assertThat(idleRow.key().id()).isEqualTo(idle.id());
        assertThat(idleRow.lastUsed()).isNull();
        assertThat(idleRow.spendThisMonth()).isNull();
        assertThat(idleRow.spendLastMonth()).isNull();
    }

    @Test
    void managersKeepReduceAndRevokeEachAuditedAndTheLastDecisionCompletesTheUnitsTask() throws Exception {
        ApiKey kept = fixtures.application(unit, "kept", "alice");
        ApiKey reduced = fixtures.application(unit, "reduced", "alice");
        ApiKey revoked = fixtures.application(unit, "revoked", "alice");
        long campaign = start();
        ReviewRecords.UnitReview review = unitReview(campaign);
        assertThat(review.total()).isEqualTo(3);
        Task task = taskOf(review);
        assertThat(task).isNotNull();
        assertThat(tasks.getIdentityLinksForTask(task.getId())).extracting(l -> l.getUserId())
                .containsExactlyInAnyOrder("mike", "nina");
        assertThat(notified("nina", "Access review of " + unit.displayName())).isEqualTo(1);

        RunAs.user("mike", () -> reviews.decide(itemOf(review, kept), AccessReviews.Decision.KEEP, " still needed "),
                "MANAGER", "REQUESTER");
        // A comment a spreadsheet would run as a formula (the CSV below defuses it).
        RunAs.user("nina", () -> reviews.decide(itemOf(review, reduced), AccessReviews.Decision.REDUCE,
                "-drop eu-west-1"), "MANAGER");
        long revokeItem = itemOf(review, revoked);
        assertThatThrownBy(() -> RunAs.user("mike", () -> reviews.decide(revokeItem, AccessReviews.Decision.REVOKE,
                "  "), "MANAGER")).isInstanceOf(FieldErrors.class)
                .satisfies(e -> assertThat(((FieldErrors) e).errors()).containsKey("comment"));
        assertThatThrownBy(() -> RunAs.user("mike", () -> reviews.decide(revokeItem, AccessReviews.Decision.REVOKE,
                "x".repeat(AccessReviews.MAX_COMMENT + 1)), "MANAGER")).isInstanceOf(FieldErrors.class);
        assertThat(fixtures.inAws(revoked)).isEqualTo("Active");
        assertThat(taskOf(review)).isNotNull();

        RunAs.user("mike", () -> reviews.decide(revokeItem, AccessReviews.Decision.REVOKE, "project ended"),
                "MANAGER");

        assertThat(fixtures.status(revoked)).isEqualTo("REVOKED");
        assertThat(fixtures.inAws(revoked)).isNull();
        assertThat(fixtures.inAws(kept)).isEqualTo("Active");
        assertThat(fixtures.inAws(reduced)).isEqualTo("Active");
        assertThat(audited("ACCESS_REVIEW_KEPT", fixtures.applicationOf(kept), "campaign " + campaign + ", unit "))
                .isEqualTo(1);
        assertThat(audited("ACCESS_REVIEW_KEPT", fixtures.applicationOf(kept), "comment: still needed")).isEqualTo(1);
        assertThat(audited("ACCESS_REVIEW_REDUCED", fixtures.applicationOf(reduced), "drop eu-west-1")).isEqualTo(1);
        assertThat(audited("ACCESS_REVIEW_REVOKED", fixtures.applicationOf(revoked), "reason: project ended"))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'KEY_REVOKED' and target = ?",
                Integer.class, "key:" + revoked.id())).isEqualTo(1);
        assertThat(notified("alice", "Reduce the access of")).isGreaterThanOrEqualTo(1);
        assertThat(taskOf(review)).isNull();
        assertThat(RunAs.user("mike", () -> reviews.openReviews(), "MANAGER")).extracting(u -> u.id())
                .doesNotContain(review.id());
        // decided once: a second decision is refused and changes nothing
        assertThatThrownBy(() -> RunAs.user("nina", () -> reviews.decide(itemOf(review, kept),
                AccessReviews.Decision.REVOKE, "late"), "MANAGER")).isInstanceOf(AccessReviews.Refused.class);
        assertThat(fixtures.inAws(kept)).isEqualTo("Active");

        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        RunAs.user("sara", () -> {
            try {
                reviews.exportCsv(campaign, csv);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "SECURITY");
        String text = csv.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("campaign,unit,application_id,application,owner,decision,comment,decided_by")
                .contains("Application kept,alice,KEEP,still needed,mike")
                .contains("Application revoked,alice,REVOKE,project ended,mike")
                .contains("Application reduced,alice,REDUCE,'-drop eu-west-1,nina");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'ACCESS_REVIEW_STARTED' "
                + "and target = ? and actor = 'sara'", Integer.class, "access-review:" + campaign)).isEqualTo(1);
    }

    /**
     * mike revokes while nina keeps the same application: his keys go one by one before his decision is recorded, so
     * her Keep was recorded over a key already revoked, and his decision was then refused. The item now says who is
     * revoking; her Keep is refused meanwhile, and his Revoke is what the review records.
     */
    @Test
    void aKeepWhileAnotherManagerRevokesIsRefusedAndTheRevokeIsRecorded() throws Exception {
        ApiKey key = fixtures.application(unit, "raced", "alice");
        long campaign = start();
        long item = itemOf(unitReview(campaign), key);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<AccessReviews.Decision> revoking = new TransactionTemplate(transactionManager)
                    .execute(status -> {
                        // The key's row, held until this commits: mike's revoke waits at it, his item marked.
                        jdbc.queryForObject("select id from api_key where id = ? for update", Long.class, key.id());
                        java.util.concurrent.Future<AccessReviews.Decision> f = pool.submit(() -> RunAs.user("mike",
                                () -> reviews.decide(item, AccessReviews.Decision.REVOKE, "project ended"),
                                "MANAGER"));
                        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.lockWaiters(jdbc,
                                "select * from api_key%for update%") == 1);
                        assertThat(keepElsewhere(pool, "nina", item)).isInstanceOfSatisfying(AccessReviews.Refused
                                .class, e -> assertThat(e).hasMessageContaining(
                                        "mike is revoking this application's keys"));
                        // mike himself, in another tab: his Keep over his own revoke is refused too.
                        assertThat(keepElsewhere(pool, "mike", item)).isInstanceOfSatisfying(AccessReviews.Refused
                                .class, e -> assertThat(e).hasMessageContaining("mike is revoking"));
                        assertThat(RunAs.user("nina", () -> reviews.unitPage(unitReview(campaign).id()), "MANAGER")
                                .orElseThrow().rows().get(0).item().revokingBy()).isEqualTo("mike");
                        return f;
                    });
            assertThat(revoking.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(AccessReviews.Decision.REVOKE);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForMap("select decision, decided_by, revoking_by from access_review_item where id = ?",
                item)).containsEntry("decision", "REVOKE").containsEntry("decided_by", "mike")
                .containsEntry("revoking_by", null);
        assertThat(fixtures.status(key)).isEqualTo("REVOKED");
        assertThat(audited("ACCESS_REVIEW_KEPT", fixtures.applicationOf(key), "campaign " + campaign)).isZero();
        assertThat(audited("ACCESS_REVIEW_REVOKED", fixtures.applicationOf(key), "reason: project ended"))
                .isEqualTo(1);
    }

    /** A manager's Keep on another thread (outside the caller's transaction): its decision, or its refusal. */
    private Object keepElsewhere(java.util.concurrent.ExecutorService pool, String manager, long item) {
        try {
            return pool.submit(() -> {
                try {
                    return (Object) RunAs.user(manager, () -> reviews.decide(item, AccessReviews.Decision.KEEP, null),
                            "MANAGER");
                } catch (AccessReviews.Refused e) {
                    return e;
                }
            }).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A revoke that AWS stops (the key is not revoked) lets the item go: another manager may then decide, and the
     * deadline's step handles it; while a revoke is under way the deadline's step leaves the item and is retried.
     */
    @Test
    void aRevokeThatStopsLetsTheItemGoAndTheDeadlineWaitsForOneUnderWay() {
        ApiKey key = fixtures.application(unit, "stopped", "alice");
        long campaign = start();
        long review = unitReview(campaign).id();
        long item = itemOf(unitReview(campaign), key);
        SandboxFaults.fail(account, "UpdateServiceSpecificCredential", "TRANSIENT", key.iamUser());
        try {
            assertThatThrownBy(() -> RunAs.user("mike", () -> reviews.decide(item, AccessReviews.Decision.REVOKE,
                    "project ended"), "MANAGER")).isInstanceOf(AccessReviews.Refused.class);
        } finally {
            SandboxFaults.clear(account);
        }
        assertThat(jdbc.queryForMap("select decision, revoking_by from access_review_item where id = ?", item))
                .containsEntry("decision", null).containsEntry("revoking_by", null);
        // A revoke under way at the deadline (as if mike's node were still revoking): the step leaves it for its retry.
        jdbc.update("update access_review_item set revoking_by = 'mike', revoking_since = now(), "
                + "revoking_token = 'it' where id = ?", item);
        deadlinePassed(campaign);
        assertThatThrownBy(() -> new TransactionTemplate(transactionManager)
                .executeWithoutResult(job -> reviews.missed(review))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("being revoked");
        assertThat(fixtures.inAws(key)).isEqualTo("Active");
        assertThat(unitReview(campaign).open()).isTrue();
        // Not renewed for five minutes, that revoke no longer holds the item (its node stopped): the retry disables
        // the key.
        jdbc.update("update access_review_item set revoking_since = now() - interval '6 minutes' where id = ?", item);
        new TransactionTemplate(transactionManager).executeWithoutResult(job -> reviews.missed(review));
        assertThat(fixtures.inAws(key)).isEqualTo("Inactive");
        assertThat(jdbc.queryForObject("select decision from access_review_item where id = ?", String.class, item))
                .isEqualTo("MISSED");
    }

    @Test
    void aManagerWhoOwnsAnApplicationCannotAttestItAnotherManagerCan() {
        ApiKey own = fixtures.application(unit, "own", "mike");
        long campaign = start();
        ReviewRecords.UnitReview review = unitReview(campaign);
        long item = itemOf(review, own);

        assertThatThrownBy(() -> RunAs.user("mike", () -> reviews.decide(item, AccessReviews.Decision.KEEP, null),
                "MANAGER", "REQUESTER")).isInstanceOf(AccessReviews.Refused.class)
                .hasMessageContaining("another manager of the unit, or security, must attest it");
        assertThat(audited("ACCESS_REVIEW_KEPT", fixtures.applicationOf(own), "campaign " + campaign)).isZero();
        // a manager of another unit, an admin and a requester may not decide at all
        assertThatThrownBy(() -> RunAs.user("carol", () -> reviews.decide(item, AccessReviews.Decision.KEEP, null),
                "MANAGER")).isInstanceOf(AccessReviews.Refused.class);
        assertThatThrownBy(() -> RunAs.user("adam", () -> reviews.decide(item, AccessReviews.Decision.KEEP, null),
                "ADMIN")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> RunAs.user("alice", () -> reviews.decide(item, AccessReviews.Decision.KEEP, null),
                "REQUESTER")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> RunAs.user("mike", () -> reviews.start(), "MANAGER"))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(RunAs.user("carol", () -> reviews.unitPage(review.id()), "MANAGER")).isEmpty();

        RunAs.user("nina", () -> reviews.decide(item, AccessReviews.Decision.KEEP, null), "MANAGER");
        assertThat(audited("ACCESS_REVIEW_KEPT", fixtures.applicationOf(own), "campaign " + campaign)).isEqualTo(1);
        // a second campaign cannot start while this one is open
        assertThatThrownBy(this::start).isInstanceOf(AccessReviews.Refused.class)
                .hasMessageContaining("still open");
    }

    @Test
    void atTheDeadlineWhatNobodyDecidedIsDisabledAndOwnerAndManagersAreTold() {
        ApiKey attested = fixtures.application(unit, "attested", "alice");
        ApiKey forgotten = fixtures.application(unit, "forgotten", "alice");
        long campaign = start();
        ReviewRecords.UnitReview review = unitReview(campaign);
        RunAs.user("mike", () -> reviews.decide(itemOf(review, attested), AccessReviews.Decision.KEEP, null),
                "MANAGER");

        // The deadline, now: the unit task's deadline timer fires; the engine's job executor runs the missed step.
        deadlinePassed(campaign);
        management.executeJob(deadlineOf(review).getId());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "INACTIVE".equals(fixtures.status(forgotten)));

        assertThat(fixtures.inAws(forgotten)).isEqualTo("Inactive");
        assertThat(fixtures.inAws(attested)).isEqualTo("Active");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> audited("ACCESS_REVIEW_MISSED",
                fixtures.applicationOf(forgotten), "campaign " + campaign) == 1);
        assertThat(audited("ACCESS_REVIEW_MISSED", fixtures.applicationOf(attested), "campaign " + campaign)).isZero();
        assertThat(notified("alice", "Access of Application forgotten was not attested")).isEqualTo(1);
        assertThat(notified("nina", "Access of Application forgotten was not attested")).isEqualTo(1);
        assertThat(RunAs.user("sara", () -> reviews.overview(campaign), "SECURITY").orElseThrow().units().stream()
                .filter(u -> u.review().id() == review.id()).findFirst().orElseThrow())
                .satisfies(u -> {
                    assertThat(u.review().status()).isEqualTo(AccessReviews.UnitStatus.MISSED);
                    assertThat(u.overdue()).isTrue();
                    assertThat(u.reviewers()).containsExactlyInAnyOrder("mike", "nina");
                });
    }

    @Test
    void withFlagTheDeadlineOnlyRecordsAndTells() {
        ApiKey forgotten = fixtures.application(unit, "flagged", "alice");
        long campaign = start();
        ReviewRecords.UnitReview review = unitReview(campaign);
        // The campaign's mode is fixed when it starts; this one was started under FLAG.
        jdbc.update("update access_review_campaign set on_missed = 'FLAG' where id = ?", campaign);
        deadlinePassed(campaign);

        reviews.missed(review.id());
        reviews.missed(review.id()); // a retried step does nothing twice

        assertThat(fixtures.status(forgotten)).isEqualTo("ACTIVE");
        assertThat(fixtures.inAws(forgotten)).isEqualTo("Active");
        assertThat(audited("ACCESS_REVIEW_MISSED", fixtures.applicationOf(forgotten), "flagged")).isEqualTo(1);
        assertThat(notified("alice", "Access of Application flagged was not attested")).isEqualTo(1);
        assertThatThrownBy(() -> RunAs.user("mike", () -> reviews.decide(itemOf(review, forgotten),
                AccessReviews.Decision.KEEP, null), "MANAGER")).isInstanceOf(AccessReviews.Refused.class);
    }

    /**
     * The missed step checks the deadline itself: fired before it (the timer run early), it refuses and changes
     * nothing; an application decided after the deadline but before the step ran is not touched. (The race of a
     * decision while the step runs, which the item's row lock settles, is not reproduced here.)
     */
    @Test
    void theMissedStepDoesNothingBeforeTheDeadlineNorToWhatWasDecided() {
        ApiKey kept = fixtures.application(unit, "keptlate", "alice");
        ApiKey forgotten = fixtures.application(unit, "forgottenearly", "alice");
        long campaign = start();
        ReviewRecords.UnitReview review = unitReview(campaign);

        assertThatThrownBy(() -> reviews.missed(review.id())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("deadline");
        assertThat(fixtures.status(forgotten)).isEqualTo("ACTIVE");
        assertThat(fixtures.inAws(forgotten)).isEqualTo("Active");
        assertThat(audited("ACCESS_REVIEW_MISSED", fixtures.applicationOf(forgotten), "campaign " + campaign)).isZero();
        assertThat(unitReview(campaign).open()).isTrue();

        // Past the deadline, a manager still decides before the step runs: that decision stands.
        deadlinePassed(campaign);
        RunAs.user("mike", () -> reviews.decide(itemOf(review, kept), AccessReviews.Decision.KEEP, null), "MANAGER");
        reviews.missed(review.id());
        assertThat(fixtures.inAws(kept)).isEqualTo("Active");
        assertThat(fixtures.inAws(forgotten)).isEqualTo("Inactive");
        assertThat(jdbc.queryForObject("select decision from access_review_item where unit_review_id = ? and "
                + "application_id = ?", String.class, review.id(), fixtures.applicationOf(kept))).isEqualTo("KEEP");
    }

    /**
     * The engine runs the missed step inside its job's transaction. Each application is still done in a transaction
     * of its own: when AWS fails the second, what it already disabled for the first stays recorded (MISSED, audited,
     * the key INACTIVE in the portal as in AWS) although the job's transaction is rolled back; the retry does the
     * rest and nothing twice.
     */
    @Test
    void aFailureOnTheSecondApplicationKeepsWhatWasDoneForTheFirst() {
        ApiKey first = fixtures.application(unit, "missfirst", "alice");
        ApiKey second = fixtures.application(unit, "misssecond", "alice");
        long campaign = start();
        ReviewRecords.UnitReview review = unitReview(campaign);
        deadlinePassed(campaign);
        SandboxFaults.fail(account, "UpdateServiceSpecificCredential", "TRANSIENT", second.iamUser());
        try {
            assertThatThrownBy(() -> new TransactionTemplate(transactionManager)
                    .executeWithoutResult(job -> reviews.missed(review.id()))).isInstanceOf(RuntimeException.class);
        } finally {
            SandboxFaults.clear(account);
        }
        assertThat(fixtures.inAws(first)).isEqualTo("Inactive");
        assertThat(fixtures.status(first)).isEqualTo("INACTIVE");
        assertThat(audited("ACCESS_REVIEW_MISSED", fixtures.applicationOf(first), "campaign " + campaign)).isEqualTo(1);
        assertThat(fixtures.inAws(second)).isEqualTo("Active");
        assertThat(unitReview(campaign).open()).isTrue();

        new TransactionTemplate(transactionManager).executeWithoutResult(job -> reviews.missed(review.id()));
        assertThat(fixtures.inAws(second)).isEqualTo("Inactive");
        assertThat(audited("ACCESS_REVIEW_MISSED", fixtures.applicationOf(first), "campaign " + campaign)).isEqualTo(1);
        assertThat(audited("ACCESS_REVIEW_MISSED", fixtures.applicationOf(second), "campaign " + campaign))
                .isEqualTo(1);
        assertThat(notified("alice", "Access of Application missfirst was not attested")).isEqualTo(1);
    }

    @Autowired
    com.bedrockportal.application.ShortTermSuspensions suspensions;
    @Autowired
    com.bedrockportal.shortkeys.ShortTermKeys shortTermKeys;
    @Autowired
    com.bedrockportal.provisioning.ApplicationRoles roles;

    /** An application with 12-hour keys only: its role in the account, no key. */
    private long shortTermApplication(String slug) {
        long app = Fixtures.application(jdbc, unit, slug);
        jdbc.update("update application set short_term_only = true, store_secret = false where id = ?", app);
        String role = jdbc.queryForObject("select iam_user from application where id = ?", String.class, app);
        roles.createRole(role, "/bedrock-portal/", com.bedrockportal.provisioning.ApplicationRoles.trustPolicy(
                "arn:aws:iam::123456789012:role/portal"), 43_200, java.util.Map.of());
        return app;
    }

    private long itemOfApplication(ReviewRecords.UnitReview review, long applicationId) {
        return RunAs.user("mike", () -> reviews.unitPage(review.id()), "MANAGER").orElseThrow().rows().stream()
                .filter(r -> r.application().id() == applicationId).findFirst().orElseThrow().item().id();
    }

    /**
     * 12-hour keys have no key to revoke or disable: a revoke and a missed deadline suspend issuing them, AWS refuses
     * the sessions issued before (the role's deny), and only security resumes them, with a reason.
     */
    @Test
    void revokingOrMissingAnApplicationWith12HourKeysSuspendsThem() {
        long revoked = shortTermApplication("short-revoked");
        long missed = shortTermApplication("short-missed");
        long campaign = start();
        ReviewRecords.UnitReview review = unitReview(campaign);
        RunAs.user("mike", () -> reviews.decide(itemOfApplication(review, revoked), AccessReviews.Decision.REVOKE,
                "Team disbanded"), "MANAGER");

        assertThat(suspensions.of(revoked)).hasValueSatisfying(s -> {
            assertThat(s.by()).isEqualTo("mike");
            assertThat(s.reason()).contains("Team disbanded");
        });
        String role = jdbc.queryForObject("select iam_user from application where id = ?", String.class, revoked);
        assertThat(jdbc.queryForObject("select document from sandbox_role_policy where role_name = ? and "
                + "policy_name = ?", String.class, role, "portal-revoked-sessions"))
                .contains("\"Effect\":\"Deny\"").contains("aws:TokenIssueTime");
        assertThat(RunAs.afterFreshLogin("alice", () -> shortTermKeys.issue(revoked, null), "REQUESTER"))
                .isInstanceOfSatisfying(com.bedrockportal.shortkeys.ShortTermKeys.NotAvailable.class,
                        n -> assertThat(n.reason()).contains("suspended"));
        assertThat(notified("alice", "12-hour keys of Application short-revoked suspended")).isEqualTo(1);

        deadlinePassed(campaign);
        management.executeJob(deadlineOf(review).getId());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> suspensions.of(missed).isPresent());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> audited("ACCESS_REVIEW_MISSED", missed,
                "12-hour keys suspended") == 1);

        assertThatThrownBy(() -> RunAs.user("sara", () -> suspensions.resume(missed, " "), "SECURITY"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors()).containsKey("reason"));
        assertThatThrownBy(() -> RunAs.user("mike", () -> suspensions.resume(missed, "fine"), "MANAGER"))
                .isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
        RunAs.user("sara", () -> suspensions.resume(missed, "Owner attested late"), "SECURITY");
        assertThat(suspensions.of(missed)).isEmpty();
        assertThat(audited(com.bedrockportal.application.ShortTermSuspensions.AUDIT_RESUMED, missed,
                "Owner attested late")).isEqualTo(1);
        assertThat(suspensions.of(revoked)).isPresent();
    }

    private void deadlinePassed(long campaign) {
        jdbc.update("update access_review_campaign set deadline = ? where id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(60)), campaign);
    }

    /** The deadline timer of this unit's review (its execution carries the unit review's id). */
    private Job deadlineOf(ReviewRecords.UnitReview review) {
        String instance = runtime.createProcessInstanceQuery().processDefinitionKey("bedrock-access-review")
                .processInstanceBusinessKey(Long.toString(review.campaignId())).singleResult().getId();
        return management.createJobQuery().timers().activityId("BoundaryEvent_Deadline").processInstanceId(instance)
                .list().stream()
                .filter(j -> ((Number) runtime.getVariable(j.getExecutionId(), "unitReviewId")).longValue() == review
                        .id())
                .findFirst().orElseThrow();
    }
}
