package com.bedrockportal.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.bedrockportal.application.RotationSchedules;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.Reauthentication;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyReveal;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.sandbox.SandboxFaults;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rotation against PostgreSQL, the process engine and the simulated account: the whole path (new key, reveal,
 * overlap, switch, old key disabled then deleted), and the ways it stops — never a third key, the old key working
 * whenever the new one is not revealed and working.
 */
class RotationsIT extends PostgresSupport {

    @Autowired
    Rotations rotations;
    @Autowired
    KeyReveal reveal;
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
    ManagementService management;
    @Autowired
    HistoryService history;
    @Autowired
    org.camunda.bpm.engine.RuntimeService runtime;
    @Autowired
    SimulatedAccount account;
    @Autowired
    com.bedrockportal.sandbox.SimulatedActivity activity;
    @Autowired
    RotationSchedules schedules;
    @Autowired
    KeyActions keyActions;
    @Autowired
    com.bedrockportal.application.ApplicationService applications;
    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;

    LiveKeys live;
    BusinessUnit unit;
    ApiKey old;
    long app;

    @BeforeEach
    void aliceHasAWorkingKey() {
        live = new LiveKeys(jdbc, keys, users, credentials);
        unit = Fixtures.unit(units, "ro", Set.of("mike"), Set.of("alice", "bob"));
        old = live.issue(unit, "alice", true);
        app = jdbc.queryForObject("select application_id from api_key where id = ?", Long.class, old.id());
    }

    @AfterEach
    void clearFaults() {
        SandboxFaults.clear(account);
    }

    private String status(long rotation) {
        return jdbc.queryForObject("select status from key_rotation where id = ?", String.class, rotation);
    }

    private void awaitStatus(long rotation, String expected) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> expected.equals(status(rotation)));
    }

    private int credentialsInAws() {
        return credentials.listServiceCredentials(old.iamUser(), ServiceCredentials.BEDROCK_SERVICE).size();
    }

    private ApiKey newKey(long rotation) {
        return keys.forRotation(rotation).orElseThrow();
    }

    private KeyReveal.Result revealAs(String user, long keyId) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.getSession(true).setAttribute(Reauthentication.SESSION_ATTRIBUTE, Instant.now());
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        try {
            return RunAs.user(user, () -> reveal.revealKey(keyId), "REQUESTER");
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
    }

    /** Runs the process's timer job waiting at {@code activity} now, whatever its due date. */
    private void fireTimer(long rotation, String activity) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> timer(rotation, activity) != null);
        management.executeJob(timer(rotation, activity).getId());
    }

    /** The rotation's running process instance. */
    private String instance(long rotation) {
        return runtime.createProcessInstanceQuery().processDefinitionKey("bedrock-key-rotation")
                .processInstanceBusinessKey(Long.toString(rotation)).singleResult().getId();
    }

    private Job timer(long rotation, String activity) {
        return management.createJobQuery().processInstanceId(instance(rotation)).timers()
                .activityId(activity).singleResult();
    }

    @Test
    void aliceRotatesRevealsSwitchesAndTheOldKeyIsDisabledThenDeleted() {
        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "  quarterly rotation  "), "REQUESTER");
        awaitStatus(rotation, "KEY_CREATED");
        ApiKey fresh = newKey(rotation);
        assertThat(fresh.status().name()).isEqualTo("PENDING_REVEAL");
        assertThat(fresh.requestId()).isZero();
        assertThat(credentialsInAws()).isEqualTo(2);
        assertThat(live.inAws(old)).isEqualTo("Active");
        assertThat(jdbc.queryForObject("select reason from key_rotation where id = ?", String.class, rotation))
                .isEqualTo("quarterly rotation");
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and title "
                + "like '%ready to reveal%'", Integer.class)).isPositive();

        // Only the owner reveals, once; the reveal moves the process on.
        assertThat(revealAs("bob", fresh.id())).isInstanceOf(KeyReveal.NotAvailable.class);
        assertThat(revealAs("alice", fresh.id())).isInstanceOfSatisfying(KeyReveal.Revealed.class,
                r -> assertThat(new String(r.key())).startsWith(fresh.prefix()));
        assertThat(revealAs("alice", fresh.id())).isInstanceOf(KeyReveal.AlreadyRevealed.class);
        awaitStatus(rotation, "OVERLAP");
        assertThat(live.inAws(old)).isEqualTo("Active");
        assertThat(live.inAws(fresh)).isEqualTo("Active");

        // bob (a member, not the owner) may not confirm; alice does: the old key is disabled.
        assertThatThrownBy(() -> RunAs.user("bob", () -> rotations.confirmSwitched(rotation), "REQUESTER"))
                .isInstanceOf(Rotations.Refused.class);
        RunAs.user("alice", () -> rotations.confirmSwitched(rotation), "REQUESTER");
        awaitStatus(rotation, "CUT_OVER");
        assertThat(live.inAws(old)).isEqualTo("Inactive");
        assertThat(live.status(old)).isEqualTo("INACTIVE");
        assertThat(live.inAws(fresh)).isEqualTo("Active");

        // After delete-after (its timer run now) the old key is gone: one key, the new one.
        fireTimer(rotation, "Event_DeleteAfter");
        awaitStatus(rotation, "COMPLETED");
        assertThat(live.inAws(old)).isNull();
        assertThat(live.status(old)).isEqualTo("DELETED");
        assertThat(credentialsInAws()).isEqualTo(1);
        assertThat(live.inAws(fresh)).isEqualTo("Active");
        assertThat(rotations.open(app)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'KEY_ROTATION_STARTED' "
                + "and actor = 'alice' and target = ?", Integer.class, "application:" + app)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'KEY_ROTATION_COMPLETED' "
                + "and target = ?", Integer.class, "application:" + app)).isEqualTo(1);
        assertThat(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(Long.toString(rotation))
                .processDefinitionKey("bedrock-key-rotation").finished().count()).isEqualTo(1);
    }

    @Test
    void anApplicationsSecretsManagerCopyGetsTheNewKeyAtItsRevealNotBefore() {
        String secret = copyOfTheApplication();
        char[] before = "ABSK-the-copy-before-the-rotation".toCharArray();

        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "the copy follows"), "REQUESTER");
        awaitStatus(rotation, "KEY_CREATED");
        ApiKey fresh = newKey(rotation);
        assertThat(fresh.secretArn()).contains(secret);
        assertThat(account.secretReadsAs(secret, before)).as("readers keep the old key until the reveal").isTrue();

        char[] revealed = ((KeyReveal.Revealed) revealAs("alice", fresh.id())).key();
        awaitStatus(rotation, "OVERLAP");
        assertThat(account.secretReadsAs(secret, revealed)).as("the copy now holds the new key").isTrue();
        assertThat(jdbc.queryForList("select details from audit_event where action = 'KEY_ROTATION_STEP' and target = ?",
                String.class, "application:" + app)).anyMatch(d -> d.startsWith("rotation " + rotation + ":")
                        && d.contains(secret + " now holds the new key"));
    }

    /** A copy being deleted (its recovery window) takes no new value: the rotation leaves it alone and goes on. */
    @Test
    void aCopyScheduledForDeletionIsLeftAloneAndTheRotationGoesOn() {
        String secret = copyOfTheApplication();
        account.deleteSecret(secret, Duration.ofDays(7)); // in the console, with its recovery window

        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "copy being deleted"), "REQUESTER");
        awaitStatus(rotation, "KEY_CREATED");
        assertThat(newKey(rotation).secretArn()).isNull();
        assertThat(credentialsInAws()).isEqualTo(2);
        revealAs("alice", newKey(rotation).id());
        awaitStatus(rotation, "OVERLAP");
    }

    /** Staged, then scheduled for deletion before the reveal: the reveal still moves the rotation on. */
    @Test
    void aCopyDeletedAfterItWasStagedDoesNotHoldTheRotationUp() {
        String secret = copyOfTheApplication();
        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "copy dropped meanwhile"), "REQUESTER");
        awaitStatus(rotation, "KEY_CREATED");
        assertThat(newKey(rotation).secretArn()).contains(secret);
        account.deleteSecret(secret, Duration.ofDays(7));

        revealAs("alice", newKey(rotation).id());
        awaitStatus(rotation, "OVERLAP");
        assertThat(jdbc.queryForList("select details from audit_event where action = 'KEY_ROTATION_STEP' and target = ?",
                String.class, "application:" + app)).anyMatch(d -> d.startsWith("rotation " + rotation + ":")
                        && d.contains(secret + " is scheduled for deletion: not updated"));
    }

    private void newKeysStraightToSecretsManager() {
        RunAs.user("alice", () -> schedules.change(app, RotationSchedules.FOLLOW_UNIT, "SECRETS_MANAGER"),
                "REQUESTER");
    }

    /**
     * New keys straight to Secrets Manager: a scheduled rotation runs with nobody revealing anything. The new key is
     * in the copy as its current version, its sealed copy gone; the process never waits for a reveal.
     */
    @Test
    void aScheduledRotationPutsTheNewKeyStraightIntoSecretsManagerWithNobodyRevealingIt() {
        String secret = copyOfTheApplication();
        newKeysStraightToSecretsManager();

        long rotation = rotations.startBySystem(app, Rotations.Trigger.SCHEDULED, "Scheduled rotation (every P30D)",
                "schedule").orElseThrow();
        awaitStatus(rotation, "OVERLAP");
        ApiKey fresh = newKey(rotation);
        assertThat(fresh.status().name()).isEqualTo("ACTIVE");
        assertThat(fresh.deliveredToSecret()).isTrue();
        assertThat(fresh.revealedBy()).isEqualTo(ApiKeys.DELIVERED_TO_SECRETS_MANAGER);
        assertThat(fresh.sealedCopy()).as("nobody can reveal it").isFalse();
        assertThat(live.copyServes(secret, fresh)).as("readers of the secret get the new key").isTrue();
        assertThat(live.inAws(old)).as("the old key works during the overlap").isEqualTo("Active");
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(instance(rotation))
                .activityId("ReceiveTask_NewKeyRevealed").count()).as("no reveal waited for").isZero();
        assertThat(revealAs("alice", fresh.id())).isInstanceOfSatisfying(KeyReveal.AlreadyRevealed.class,
                r -> assertThat(r.delivered()).isTrue());
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = ? and target = ?",
                Integer.class, Rotations.AUDIT_DELIVERED, "key:" + fresh.id())).isEqualTo(1);
        assertThat(jdbc.queryForList("select title from notification where recipient = 'alice' and link = ?",
                String.class, "applications/" + app))
                .anyMatch(t -> t.contains("is in Secrets Manager")).noneMatch(t -> t.contains("ready to reveal"));

        RunAs.user("alice", () -> rotations.confirmSwitched(rotation), "REQUESTER");
        awaitStatus(rotation, "CUT_OVER");
        assertThat(live.inAws(old)).isEqualTo("Inactive");
        assertThat(live.inAws(fresh)).isEqualTo("Active");
    }

    /**
     * The copy takes the new version but will not make it current (access denied): the key is not handed over and
     * stays sealed for its owner, whose reveal then moves the rotation on, as without the setting.
     */
    @Test
    void aCopyThatWillNotServeTheNewKeyLeavesItForItsOwnersReveal() {
        String secret = copyOfTheApplication();
        newKeysStraightToSecretsManager();
        SandboxFaults.fail(account, "UpdateSecretVersionStage", "ACCESS_DENIED");

        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "copy refuses"), "REQUESTER");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from "
                + "audit_event where action = 'KEY_ROTATION_STEP' and target = ? and details like ?", Integer.class,
                "application:" + app, "rotation " + rotation + ":%its owner reveals it instead%") == 1);
        assertThat(status(rotation)).isEqualTo("KEY_CREATED");
        ApiKey fresh = newKey(rotation);
        assertThat(fresh.status().name()).isEqualTo("PENDING_REVEAL");
        assertThat(fresh.sealedCopy()).isTrue();
        assertThat(fresh.deliveredToSecret()).isFalse();
        assertThat(account.secretReadsAs(secret, "ABSK-the-copy-before-the-rotation".toCharArray()))
                .as("readers keep what the copy held").isTrue();
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and link = ? "
                + "and title like '%ready to reveal%'", Integer.class, "applications/" + app)).isEqualTo(1);

        SandboxFaults.clear(account);
        assertThat(revealAs("alice", fresh.id())).isInstanceOf(KeyReveal.Revealed.class);
        awaitStatus(rotation, "OVERLAP");
        assertThat(live.copyServes(secret, fresh)).as("the reveal makes the copy serve it").isTrue();
        assertThat(live.inAws(old)).isEqualTo("Active");
    }

    /** A rotation whose hand-over step failed (AWS not answering): the copy, the rotation and its new key. */
    private record FailedHandOver(String secret, long rotation, ApiKey fresh) {
    }

    /** New keys straight to the copy; a rotation whose hand-over step fails, waited for until it has. */
    private FailedHandOver handOverFailing(String reason) {
        String secret = copyOfTheApplication();
        newKeysStraightToSecretsManager();
        SandboxFaults.fail(account, "UpdateSecretVersionStage", "TRANSIENT");
        long rotation = RunAs.user("alice", () -> rotations.rotate(app, reason), "REQUESTER");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery()
                .processInstanceId(instance(rotation)).activityId("ServiceTask_Revealed").withException().count() == 1);
        return new FailedHandOver(secret, rotation, newKey(rotation));
    }

    /** AWS back: the hand-over step runs again now. */
    private void retryHandOver(long rotation) {
        SandboxFaults.clear(account);
        Job job = management.createJobQuery().processInstanceId(instance(rotation)).activityId("ServiceTask_Revealed")
                .singleResult();
        management.setJobRetries(job.getId(), 1);
        management.executeJob(job.getId());
    }

    /** A person disables the new key before the hand-over: it is never made current, and the old key keeps working. */
    @Test
    void aNewKeyDisabledBeforeItsHandOverEndsTheRotationWithTheOldKeyWorking() {
        FailedHandOver given = handOverFailing("disabled meanwhile");
        RunAs.user("sara", () -> keyActions.disable(given.fresh().id(), "Seen where it should not be."), "SECURITY");

        retryHandOver(given.rotation());
        awaitStatus(given.rotation(), "FAILED");
        assertThat(account.secretReadsAs(given.secret(), "ABSK-the-copy-before-the-rotation".toCharArray()))
                .as("never made current").isTrue();
        assertThat(newKey(given.rotation()).deliveredToSecret()).isFalse();
        assertThat(live.inAws(old)).isEqualTo("Active");
    }

    /**
     * The copy serves the key already when the step runs again (made current by the try that failed): it is handed
     * over, even though the owner turned the setting off meanwhile — revealing it instead would leave the copy
     * serving a key whose reveal window could revoke it.
     */
    @Test
    void aRetryThatFindsTheCopyServingTheKeyHandsItOver() {
        FailedHandOver given = handOverFailing("made current, then failed");
        // What the failed try's promotion did in AWS (the simulated account's own calls still fail meanwhile).
        assertThat(jdbc.update("update sandbox_secret set fingerprint = pending_fingerprint, current_version = "
                + "pending_version, pending_version = null, pending_fingerprint = null where name = ? and "
                + "pending_version = ?", given.secret(), Rotations.copyVersion(given.fresh().id()))).isEqualTo(1);
        RunAs.user("alice", () -> schedules.change(app, RotationSchedules.FOLLOW_UNIT, "REVEAL"), "REQUESTER");

        retryHandOver(given.rotation());
        awaitStatus(given.rotation(), "OVERLAP");
        assertThat(newKey(given.rotation()).deliveredToSecret()).isTrue();
        assertThat(live.copyServes(given.secret(), given.fresh())).isTrue();
    }

    /** No copy to put it in (being deleted): the owner reveals the new key as without the setting. */
    @Test
    void withoutACopyToTakeItTheNewKeyWaitsForItsOwnersReveal() {
        String secret = copyOfTheApplication();
        newKeysStraightToSecretsManager();
        account.deleteSecret(secret, Duration.ofDays(7));

        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "copy being deleted"), "REQUESTER");
        awaitStatus(rotation, "KEY_CREATED");
        ApiKey fresh = newKey(rotation);
        assertThat(fresh.status().name()).isEqualTo("PENDING_REVEAL");
        assertThat(fresh.sealedCopy()).isTrue();
        assertThat(jdbc.queryForList("select details from audit_event where action = 'KEY_ROTATION_STEP' and target = ?",
                String.class, "application:" + app)).anyMatch(d -> d.startsWith("rotation " + rotation + ":")
                        && d.contains("so its owner reveals it instead"));
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and link = ? "
                + "and title like '%ready to reveal%'", Integer.class, "applications/" + app)).isEqualTo(1);
        assertThat(revealAs("alice", fresh.id())).isInstanceOf(KeyReveal.Revealed.class);
        awaitStatus(rotation, "OVERLAP");
    }

    /** A decommission that began while the new-key step waited for the application: no key is made. */
    @Test
    void aNewKeyStepThatFindsTheApplicationDecommissioningMakesNoKey() {
        try {
            long rotation = rotateWhileTheApplicationIsHeld(() -> jdbc.update(
                    "update application set status = 'DECOMMISSIONING' where id = ?", app));
            awaitStatus(rotation, "FAILED");
            assertThat(credentialsInAws()).isEqualTo(1);
        } finally {
            jdbc.update("update application set status = 'ACTIVE' where id = ?", app);
        }
    }

    @Test
    void aRequestsKeyMadeWhileTheRotationMakesItsKeyIsNeverTakenForALeftover() {
        // The step makes its key, known to the portal only once its transaction commits.
        java.util.concurrent.atomic.AtomicReference<ApiKey> requestKey = new java.util.concurrent.atomic.AtomicReference<>();
        long rotation = rotateWhileTheApplicationIsHeld(() -> requestKey.set(live.issue(unit, "alice", true)));
        // Two keys work now (AWS's most): the rotation stops and takes nothing.
        awaitStatus(rotation, "FAILED");
        assertThat(live.inAws(requestKey.get())).isEqualTo("Active");
        assertThat(live.inAws(old)).isEqualTo("Active");
        assertThat(credentialsInAws()).isEqualTo(2);
    }

    /**
     * Alice rotates while this test holds the application as a request's provisioning step does; once the rotation's
     * new-key step waits for it, {@code meanwhile} runs in the holding transaction, which then ends. The rotation's id.
     */
    private long rotateWhileTheApplicationIsHeld(Runnable meanwhile) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            return transactions.execute(tx -> {
                applications.lock(app);
                long id;
                try {
                    id = pool.submit(() -> RunAs.user("alice", () -> rotations.rotate(app, "meanwhile"),
                            "REQUESTER")).get(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                Fixtures.awaitApplicationLockWaiters(jdbc, 1);
                meanwhile.run();
                return id;
            });
        } finally {
            pool.shutdownNow();
        }
    }

    /** The application keeps a Secrets Manager copy holding some value; its name. */
    private String copyOfTheApplication() {
        String secret = unit.slug() + "/main/bedrock/api-key";
        jdbc.update("update application set store_secret = true, secret_name = ? where id = ?", secret, app);
        account.createSecret(secret, "ABSK-the-copy-before-the-rotation".toCharArray(), java.util.Map.of(), "test");
        return secret;
    }

    @Test
    void withoutConfirmationTheOverlapsEndCutsOver() {
        long rotation = RunAs.user("mike", () -> rotations.rotate(app, "manager rotates"), "MANAGER", "REQUESTER");
        awaitStatus(rotation, "KEY_CREATED");
        revealAs("alice", newKey(rotation).id());
        awaitStatus(rotation, "OVERLAP");
        // Not due yet: the check waits for its next time.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> timer(rotation, "Event_NextCheck") != null);
        assertThat(live.inAws(old)).isEqualTo("Active");
        jdbc.update("update key_rotation set overlap_ends_at = ? where id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(1)), rotation);
        fireTimer(rotation, "Event_NextCheck");
        awaitStatus(rotation, "CUT_OVER");
        assertThat(jdbc.queryForObject("select cut_over_why from key_rotation where id = ?", String.class, rotation))
                .contains("overlap");
        assertThat(live.inAws(old)).isEqualTo("Inactive");
        // Its timeline, for whoever may see the application: not for a requester of another unit.
        assertThat(RunAs.user("alice", () -> rotations.timeline(rotation), "REQUESTER")).isNotEmpty();
        assertThat(RunAs.user("nina", () -> rotations.timeline(rotation), "REQUESTER")).isEmpty();
    }

    /** Handed over while the new key waits: the new owner reveals it, the former owner no longer can. */
    @Test
    void aHandoverWhileTheNewKeyWaitsGivesItsRevealToTheNewOwner(
            @Autowired com.bedrockportal.application.ApplicationOwners owners) {
        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "quarterly rotation"), "REQUESTER");
        awaitStatus(rotation, "KEY_CREATED");
        ApiKey fresh = newKey(rotation);
        RunAs.user("mike", () -> owners.handOver(app, "bob", "bob@example.com", "alice moves to another team"),
                "MANAGER");
        assertThat(revealAs("alice", fresh.id())).isInstanceOf(KeyReveal.NotAvailable.class);
        assertThat(revealAs("bob", fresh.id())).isInstanceOfSatisfying(KeyReveal.Revealed.class,
                r -> assertThat(new String(r.key())).startsWith(fresh.prefix()));
        awaitStatus(rotation, "OVERLAP");
    }

    /** alice rotates and reveals the new key: the rotation is in its overlap. */
    private long overlap() {
        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "quarterly rotation"), "REQUESTER");
        awaitStatus(rotation, "KEY_CREATED");
        revealAs("alice", newKey(rotation).id());
        awaitStatus(rotation, "OVERLAP");
        return rotation;
    }

    /** Rotates, reveals and confirms: the rotation waits at delete-after with the old key Inactive. */
    private long cutOver() {
        long rotation = overlap();
        RunAs.user("alice", () -> rotations.confirmSwitched(rotation), "REQUESTER");
        awaitStatus(rotation, "CUT_OVER");
        assertThat(live.inAws(old)).isEqualTo("Inactive");
        return rotation;
    }

    @Test
    void anOldKeyEnabledAgainAfterTheCutOverIsNotDeletedAndTheRotationSaysWhy() {
        long rotation = cutOver();
        RunAs.user("sara", () -> keyActions.reenable(old.id(), "The batch job still needs it."), "SECURITY");
        assertThat(live.inAws(old)).isEqualTo("Active");

        fireTimer(rotation, "Event_DeleteAfter");
        awaitStatus(rotation, "FAILED");
        assertThat(live.inAws(old)).isEqualTo("Active");
        assertThat(live.status(old)).isEqualTo("ACTIVE");
        assertThat(live.inAws(newKey(rotation))).isEqualTo("Active");
        assertThat(credentialsInAws()).isEqualTo(2);
        assertThat(jdbc.queryForObject("select failure from key_rotation where id = ?", String.class, rotation))
                .contains(old.prefix()).contains("enabled again");
        assertThat(rotations.open(app)).isEmpty();
    }

    @Test
    void aNewKeyRevokedAfterTheCutOverLeavesTheOldKeyForSecurityToEnable() {
        long rotation = cutOver();
        ApiKey fresh = newKey(rotation);
        RunAs.user("sara", () -> keyActions.revoke(fresh.id(), "Pasted into a public chat."), "SECURITY");

        fireTimer(rotation, "Event_DeleteAfter");
        awaitStatus(rotation, "FAILED");
        assertThat(live.inAws(old)).isEqualTo("Inactive");
        assertThat(live.status(old)).isEqualTo("INACTIVE");
        assertThat(jdbc.queryForObject("select failure from key_rotation where id = ?", String.class, rotation))
                .contains(fresh.prefix()).contains("was not deleted");
        // The way back: security enables the old key.
        RunAs.user("sara", () -> keyActions.reenable(old.id(), "Until a new rotation."), "SECURITY");
        assertThat(live.inAws(old)).isEqualTo("Active");
    }

    @Test
    void aFullPageOfTheNewKeysCallsDoesNotProveTheOldKeyUnused() {
        long rotation = overlap();
        ApiKey fresh = newKey(rotation);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> timer(rotation, "Event_NextCheck") != null);
        // Revealed two days ago (past unused-for), and the newest 500 calls CloudTrail returns all the new key's: the
        // old key's calls, older, are beyond the page, so nothing shows the old key unused.
        jdbc.update("update key_rotation set revealed_at = ? where id = ?",
                java.sql.Timestamp.from(Instant.now().minus(Duration.ofDays(2))), rotation);
        Instant from = Instant.now().minusSeconds(1);
        for (int i = 0; i < com.bedrockportal.provisioning.ActivityTrail.MAX_EVENTS; i++) {
            activity.record(com.bedrockportal.sandbox.SimulatedActivity.Invocation.of(fresh.credentialId(),
                    from.plusMillis(i)));
        }
        String first = timer(rotation, "Event_NextCheck").getId();
        management.executeJob(first);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            Job next = timer(rotation, "Event_NextCheck");
            return next != null && !next.getId().equals(first);
        });
        assertThat(status(rotation)).isEqualTo("OVERLAP");
        assertThat(live.inAws(old)).isEqualTo("Active");
    }

    @Test
    void anUnrevealedNewKeyIsRevokedWhenItsWindowPassesAndTheOldKeyKeepsWorking() {
        long rotation = RunAs.user("sara", () -> rotations.rotate(app, "security rotates"), "SECURITY");
        awaitStatus(rotation, "KEY_CREATED");
        ApiKey fresh = newKey(rotation);
        fireTimer(rotation, "BoundaryEvent_RevealWindowPassed");
        awaitStatus(rotation, "REVEAL_EXPIRED");
        assertThat(live.inAws(fresh)).isNull();
        assertThat(live.status(fresh)).isEqualTo("REVOKED");
        assertThat(live.inAws(old)).isEqualTo("Active");
        assertThat(credentialsInAws()).isEqualTo(1);
        assertThat(revealAs("alice", fresh.id())).isInstanceOf(KeyReveal.NotAvailable.class);
        assertThat(rotations.open(app)).isEmpty();
    }

    @Test
    void makingRoomDeletesADisabledKeyButTwoWorkingKeysStopItWithNothingChanged() {
        ApiKey disabled = live.issue(unit, "alice", true);
        credentials.updateServiceCredentialStatus(disabled.iamUser(), disabled.credentialId(), false);
        jdbc.update("update api_key set status = 'INACTIVE' where id = ?", disabled.id());
        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "room"), "REQUESTER");
        awaitStatus(rotation, "KEY_CREATED");
        assertThat(live.inAws(disabled)).isNull();
        assertThat(live.status(disabled)).isEqualTo("DELETED");
        assertThat(credentialsInAws()).isEqualTo(2);

        // Two working keys now (old and the unrevealed new one): no second rotation, and none starts.
        assertThatThrownBy(() -> RunAs.user("alice", () -> rotations.rotate(app, "again"), "REQUESTER"))
                .isInstanceOf(Rotations.Refused.class).hasMessageContaining("already running");
        assertThat(jdbc.queryForObject("select count(*) from key_rotation where application_id = ?", Integer.class,
                app)).isEqualTo(1);
    }

    @Test
    void twoWorkingKeysFoundInAwsFailTheRotationWithTheOldKeyWorking() {
        // A second working key the portal does not count as working (e.g. made outside it): AWS has two.
        ServiceCredentials.NewServiceCredential outside = credentials.createServiceCredential(old.iamUser(),
                ServiceCredentials.BEDROCK_SERVICE, 30);
        java.util.Arrays.fill(outside.secret(), '\0');
        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "two in aws"), "REQUESTER");
        awaitStatus(rotation, "FAILED");
        assertThat(jdbc.queryForObject("select failure from key_rotation where id = ?", String.class, rotation))
                .contains("Two keys of " + old.iamUser() + " still work");
        assertThat(credentialsInAws()).isEqualTo(2);
        assertThat(live.inAws(old)).isEqualTo("Active");
        assertThat(keys.forRotation(rotation)).isEmpty();
        assertThat(rotations.open(app)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and title "
                + "like '%rotation%stopped%'", Integer.class)).isPositive();
    }

    @Test
    void awsFailingToCreateTheKeyIsRetriedAndNeverMakesAThirdKey() {
        SandboxFaults.fail(account, "CreateServiceSpecificCredential", "TRANSIENT");
        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "aws down"), "REQUESTER");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery().processInstanceId(instance(rotation)).activityId("ServiceTask_CreateKey")
                .withException().count() == 1);
        assertThat(status(rotation)).isEqualTo("STARTED");
        assertThat(credentialsInAws()).isEqualTo(1);
        assertThat(live.inAws(old)).isEqualTo("Active");
        // AWS back: the retried step creates exactly one key.
        SandboxFaults.clear(account);
        Job job = management.createJobQuery().processInstanceId(instance(rotation))
                .activityId("ServiceTask_CreateKey").singleResult();
        management.setJobRetries(job.getId(), 1);
        management.executeJob(job.getId());
        awaitStatus(rotation, "KEY_CREATED");
        assertThat(credentialsInAws()).isEqualTo(2);
    }

    @Test
    void whoMayRotateAndWhatIsRefused() {
        assertThatThrownBy(() -> RunAs.user("bob", () -> rotations.rotate(app, "not mine"), "REQUESTER"))
                .isInstanceOf(Rotations.Refused.class);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'ACCESS_DENIED' and actor = "
                + "'bob' and target like ?", Integer.class, "%rotate application:" + app + "%")).isEqualTo(1);
        assertThatThrownBy(() -> RunAs.user("alice", () -> rotations.rotate(app, "  "), "REQUESTER"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors()).containsKey("reason"));
        assertThatThrownBy(() -> RunAs.user("alice", () -> rotations.rotate(app, "x".repeat(501)), "REQUESTER"))
                .isInstanceOf(FieldErrors.class);
        // Two working keys in the portal: refused before anything starts.
        live.issue(unit, "alice", true);
        assertThatThrownBy(() -> RunAs.user("alice", () -> rotations.rotate(app, "full"), "REQUESTER"))
                .isInstanceOf(Rotations.Refused.class).hasMessageContaining("Revoke one of them first");
        assertThat(jdbc.queryForObject("select count(*) from key_rotation where application_id = ?", Integer.class,
                app)).isZero();
        // A step is for the engine only, never a logged-in user.
        assertThatThrownBy(() -> RunAs.user("sara", () -> transactions.execute(t -> rotations.makeRoom(1)),
                "SECURITY")).isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
    }
}
