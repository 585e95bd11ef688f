package com.bedrockportal.workflow;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;

import com.bedrockportal.application.RotationSchedules;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyReveal;
import com.bedrockportal.lifecycle.CompromiseCase;
import com.bedrockportal.lifecycle.Compromises;
import com.bedrockportal.lifecycle.Rotations;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.sandbox.Faults;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.EarlierRelease;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Upgrading a node: requests that wait on a model an earlier release deployed keep that model (Camunda runs an
 * instance on the definition it started on), and this release's code must carry them to their end. For every earlier
 * released version of the access-request model ({@code model-history/}, one file per version, named by the day and
 * commit that deployed it): the node of that release has deployed it and a request was submitted on it; the upgraded
 * node then deploys this release's model (as it does at start) and the request's approvals, its provisioning and its
 * one-time reveal happen on this code. Both deployments come from another engine on the same database, as from
 * another node: this node refuses deployments once started ({@code EngineLockdownPlugin}).
 */
class ModelUpgradeIT extends PostgresSupport {

    /** The processes whose earlier versions this test drives (ModelHistoryTest checks no other keeps any). */
    /** The compromise model's evidence step, and the rotation model's step after a key went straight to Secrets Manager. */
    static final String EVIDENCE = "ServiceTask_GatherEvidence";
    static final String STRAIGHT_STEP = "ServiceTask_Revealed";
    static final java.util.Set<String> DRIVEN = java.util.Set.of(ProcessVariables.PROCESS_KEY,
            ProcessVariables.ROTATION_PROCESS_KEY, ProcessVariables.COMPROMISE_PROCESS_KEY);

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    KeyReveal reveal;
    @Autowired
    Compromises compromises;
    @Autowired
    Rotations rotations;
    @Autowired
    ApiKeys keys;
    @Autowired
    ManagementService management;
    @Autowired
    RotationSchedules schedules;
    @Autowired
    SimulatedAccount account;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    JdbcTemplate jdbc;

    static EarlierRelease earlierRelease;

    @BeforeAll
    static void earlierRelease(@Autowired DataSource dataSource) {
        earlierRelease = new EarlierRelease(dataSource);
    }

    @AfterAll
    static void closeEarlierRelease() {
        if (earlierRelease != null) {
            earlierRelease.close();
        }
    }

    static Stream<String> earlierRequestModels() throws IOException {
        return earlier(ProcessVariables.PROCESS_KEY, 6);
    }

    static Stream<String> earlierRotationModels() throws IOException {
        return earlier(ProcessVariables.ROTATION_PROCESS_KEY, 2);
    }

    static Stream<String> earlierCompromiseModels() throws IOException {
        return earlier(ProcessVariables.COMPROMISE_PROCESS_KEY, 2);
    }

    /** The files of a process's earlier models, oldest first. */
    private static Stream<String> earlier(String processKey, int atLeast) throws IOException {
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath:" + EarlierRelease.HISTORY
                + processKey + "/*.bpmn");
        List<String> names = Arrays.stream(files).map(Resource::getFilename).sorted().toList();
        assertThat(names).as("earlier models of " + processKey).hasSizeGreaterThanOrEqualTo(atLeast);
        return names.stream();
    }

    /** What a test started on an earlier model: its instance, on that model's definition. */
    record Started(String definitionId, String instanceId, long id) {
    }

    /**
     * The node of the earlier release deploys its model and {@code start} starts something on it (returning its
     * business id); then the upgraded node deploys this release's model, also when the start failed, so no later test
     * starts on the earlier one.
     */
    private Started onEarlierModel(String processKey, String file, java.util.function.ToLongFunction<String> start)
            throws IOException {
        String[] earlier = new String[1];
        long id = earlierRelease.startOnEarlierModel(processKey, file, definition -> {
            earlier[0] = definition;
            return start.applyAsLong(definition);
        });
        String businessKey = processKey.equals(ProcessVariables.PROCESS_KEY) ? RequestWorkflow.businessKey(id)
                : Long.toString(id);
        ProcessInstance instance = runtime.createProcessInstanceQuery().processDefinitionKey(processKey)
                .processInstanceBusinessKey(businessKey).singleResult();
        assertThat(instance.getProcessDefinitionId()).as("it waits on the earlier model").isEqualTo(earlier[0]);
        return new Started(earlier[0], instance.getId(), id);
    }

    /** A request of alice's submitted on the earlier model, approved by its manager after the upgrade. */
    private Started requestApprovedByItsManagerOnEarlierModel(String file) throws IOException {
        BusinessUnit unit = Fixtures.unit(units, "upg");
        Started r = onEarlierModel(ProcessVariables.PROCESS_KEY, file, earlier -> RunAs.user("alice",
                () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER").id());
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("earlierRequestModels")
    void aRequestWaitingOnAnEarlierModelIsApprovedProvisionedAndRevealedOnThisRelease(String file) throws Exception {
        Started r = requestApprovedByItsManagerOnEarlierModel(file);
        RunAs.user("sara", () -> approvals.decide(r.id(), true, "upgrade test"), "SECURITY");
        await(r, () -> RequestStatus.valueOf(jdbc.queryForObject("select status from access_request where id = ?",
                String.class, r.id())) == RequestStatus.PROVISIONED);
        assertThat(jdbc.queryForObject("select count(*) from api_key where request_id = ? and status = "
                + "'PENDING_REVEAL'", Integer.class, r.id())).isEqualTo(1);

        KeyReveal.Result revealed = RunAs.afterFreshLogin("alice", () -> reveal.reveal(r.id()), "REQUESTER");
        assertThat(revealed).isInstanceOf(KeyReveal.Revealed.class);
        Arrays.fill(((KeyReveal.Revealed) revealed).key(), '\0');
        endedWithoutFailure(r, "ReceiveTask_KeyRevealed");
        assertThat(jdbc.queryForObject("select status from api_key where request_id = ?", String.class, r.id()))
                .isEqualTo("ACTIVE");
    }

    /**
     * A request on an earlier model whose budget step AWS refuses for good on this release: it ends failed, the key its
     * earlier step made is deleted and never shown, and the requester is told. (Before 5 December that model told
     * the requester in the failing step's own transaction, where this code also deletes the key in AWS.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("earlierRequestModels")
    void aRequestOnAnEarlierModelWhoseStepFailsForGoodEndsFailedAndSaysSo(String file) throws Exception {
        Started r = requestApprovedByItsManagerOnEarlierModel(file);
        Faults.failing(account, "CreateBudget", "ACCESS_DENIED");
        try {
            RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
            endedWithoutFailure(r, "ServiceTask_NotifyProvisioningFailed");
        } finally {
            Faults.none(account);
        }
        assertThat(jdbc.queryForObject("select status from access_request where id = ?", String.class, r.id()))
                .isEqualTo("PROVISIONING_FAILED");
        assertThat(jdbc.queryForObject("select status from api_key where request_id = ?", String.class, r.id()))
                .isEqualTo("DELETED");
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and title = ?",
                Integer.class, "Provisioning of request #" + r.id() + " failed")).isEqualTo(1);
    }

    /**
     * A compromise case on an earlier model, triaged on this release. Its evidence step held back (its job suspended),
     * security triages before the process waits for it: the model of 2 December would then wait for a triage for good,
     * so that triage is refused, changing nothing, and made again once the task is there; later models carry it out
     * when they get there. The case ends as decided: a false alarm turns the key on again; a confirmed one rotates
     * the key and deletes the old one, and the owner's report closes it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("earlierCompromiseModels")
    void aCompromiseCaseOnAnEarlierModelIsTriagedOnThisRelease(String file) throws Exception {
        for (boolean confirmed : new boolean[] { false, true }) {
            ApiKey key = revealedKey(false);
            Started c = onEarlierModel(ProcessVariables.COMPROMISE_PROCESS_KEY, file, earlier -> {
                EarlierRelease.holdBack(management, earlier, EVIDENCE);
                return RunAs.user("alice", () -> compromises.report(key.id(), "Pasted in a public channel"),
                        "REQUESTER").id();
            });
            await(c, () -> management.createJobQuery().processInstanceId(c.instanceId()).suspended().count() == 1
                    && "TRIAGE".equals(jdbc.queryForObject("select status from compromise_case where id = ?",
                            String.class, c.id())));
            // Only the model of 2 December waits for a triage without looking for one made before.
            boolean waitsForTheTask = file.contains("-54184a4");
            try {
                if (waitsForTheTask) {
                    // The case's own rows only (a mail carries the case's link on a line of its own; chat posts,
                    // JSON in the same table, would not match, and this test's unit has no chat channel).
                    String written = "select (select count(*) from audit_event where target = ?) || '/' || (select "
                            + "count(*) from notification where link = ?) || '/' || (select count(*) from mail_outbox "
                            + "where body like ?)";
                    Object[] ofTheCase = { "compromise:" + c.id(), "compromise/" + c.id(),
                            "%/compromise/" + c.id() + "\n%" };
                    String before = jdbc.queryForObject(written, String.class, ofTheCase);
                    assertThatThrownBy(() -> RunAs.user("sara", () -> compromises.triage(c.id(), confirmed,
                            "Too soon."), "SECURITY")).isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(
                                    e.errors().get("form")).contains("does not wait for triage yet"));
                    assertThat(jdbc.queryForObject("select triage_decision from compromise_case where id = ?",
                            String.class, c.id())).as("no decision recorded").isNull();
                    assertThat(jdbc.queryForObject(written, String.class, ofTheCase))
                            .as("audit rows / notices / mails of the case").isEqualTo(before);
                } else {
                    RunAs.user("sara", () -> compromises.triage(c.id(), confirmed, "Decided early."), "SECURITY");
                }
            } finally {
                EarlierRelease.letGo(management, c.definitionId(), EVIDENCE);
            }
            if (waitsForTheTask) {
                await(c, () -> runtime.createExecutionQuery().processInstanceId(c.instanceId())
                        .activityId("UserTask_SecurityTriage").count() == 1);
                RunAs.user("sara", () -> compromises.triage(c.id(), confirmed, "Decided after the upgrade."),
                        "SECURITY");
            }
            CompromiseCase.Status expected = confirmed ? CompromiseCase.Status.REPORT_DUE
                    : CompromiseCase.Status.FALSE_ALARM;
            await(c, () -> expected.name().equals(jdbc.queryForObject("select status from compromise_case where id = "
                    + "?", String.class, c.id())));
            if (confirmed) {
                await(c, () -> runtime.createExecutionQuery().processInstanceId(c.instanceId())
                        .activityId("UserTask_PostIncidentReport").count() == 1);
                RunAs.user("alice", () -> compromises.submitReport(c.id(), "Pasted in a public channel.",
                        "A key in a chat message.", "Rotated; the channel is private now."), "REQUESTER");
                endedWithoutFailure(c, "EndEvent_CaseClosed");
                assertThat(jdbc.queryForObject("select status from api_key where id = ?", String.class, key.id()))
                        .isEqualTo("REVOKED");
            } else {
                endedWithoutFailure(c, "EndEvent_FalseAlarm");
                assertThat(jdbc.queryForObject("select status from api_key where id = ?", String.class, key.id()))
                        .isEqualTo("ACTIVE");
            }
        }
    }


    /**
     * A rotation waiting for its new key's reveal on an earlier model: the reveal, the owner's switch and the old
     * key's deletion happen on this release.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("earlierRotationModels")
    void aRotationWaitingForItsRevealOnAnEarlierModelEndsOnThisRelease(String file) throws Exception {
        ApiKey old = revealedKey(false);
        long app = applicationOf(old);
        Started rotation = onEarlierModel(ProcessVariables.ROTATION_PROCESS_KEY, file, earlier -> RunAs.user("alice",
                () -> rotations.rotate(app, "Rotated across the upgrade"), "REQUESTER"));
        revealSwitchAndDelete(rotation, old);
    }

    /**
     * An application whose new keys go straight into its Secrets Manager copy, rotated on an earlier model: that
     * model cannot take the way back to the reveal when the hand-over falls back to it (the one of 5 December would
     * end with the rotation waiting for good), so the owner is asked to reveal the new key, and the rotation ends as
     * any other. The step that takes the straight way is held back (its job suspended): were it taken, the rotation
     * would not reach the reveal.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("earlierRotationModels")
    void aRotationIntoSecretsManagerOnAnEarlierModelAsksTheOwnerToReveal(String file) throws Exception {
        ApiKey old = revealedKey(true);
        long app = applicationOf(old);
        RunAs.user("alice", () -> schedules.change(app, RotationSchedules.FOLLOW_UNIT, "SECRETS_MANAGER"),
                "REQUESTER");
        // (a suspended step of the earlier definition holds up nothing else: every later start is on the current one)
        Started rotation = onEarlierModel(ProcessVariables.ROTATION_PROCESS_KEY, file, earlier -> {
            EarlierRelease.holdBack(management, earlier, STRAIGHT_STEP);
            return rotations.startBySystem(app, Rotations.Trigger.SCHEDULED, "Scheduled rotation", "schedule")
                    .orElseThrow();
        });
        try {
            await(rotation, () -> runtime.createExecutionQuery().processInstanceId(rotation.instanceId())
                    .activityId("ReceiveTask_NewKeyRevealed").count() == 1);
            // Asked once, by the rotation's own notice (the application's notices link to its page).
            assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and link = ? "
                    + "and title like '%ready to reveal%'", Integer.class, "applications/" + app)).isEqualTo(1);
        } finally {
            EarlierRelease.letGo(management, rotation.definitionId(), STRAIGHT_STEP);
        }
        revealSwitchAndDelete(rotation, old);
    }

    /** The owner reveals the rotation's new key, confirms the switch, and the old key is deleted (its timer run now). */
    private void revealSwitchAndDelete(Started rotation, ApiKey old) {
        await(rotation, () -> runtime.createExecutionQuery().processInstanceId(rotation.instanceId())
                .activityId("ReceiveTask_NewKeyRevealed").count() == 1);
        ApiKey fresh = keys.forRotation(rotation.id()).orElseThrow();
        KeyReveal.Result revealed = RunAs.afterFreshLogin("alice", () -> reveal.revealKey(fresh.id()), "REQUESTER");
        Arrays.fill(((KeyReveal.Revealed) revealed).key(), '\0');
        awaitRotation(rotation, "OVERLAP");
        RunAs.user("alice", () -> rotations.confirmSwitched(rotation.id()), "REQUESTER");
        awaitRotation(rotation, "CUT_OVER");
        await(rotation, () -> management.createJobQuery().processInstanceId(rotation.instanceId()).timers()
                .activityId("Event_DeleteAfter").count() == 1);
        management.executeJob(management.createJobQuery().processInstanceId(rotation.instanceId()).timers()
                .activityId("Event_DeleteAfter").singleResult().getId());
        awaitRotation(rotation, "COMPLETED");
        endedWithoutFailure(rotation, "EndEvent_Rotated");
        assertThat(jdbc.queryForObject("select status from api_key where id = ?", String.class, old.id()))
                .isEqualTo("DELETED");
        assertThat(jdbc.queryForObject("select status from api_key where id = ?", String.class, fresh.id()))
                .isEqualTo("ACTIVE");
    }

    private void awaitRotation(Started rotation, String status) {
        await(rotation, () -> status.equals(jdbc.queryForObject("select status from key_rotation where id = ?",
                String.class, rotation.id())));
    }

    private long applicationOf(ApiKey key) {
        return jdbc.queryForObject("select application_id from api_key where id = ?", Long.class, key.id());
    }

    /** A key of a new request of alice's (with a Secrets Manager copy or not), provisioned and revealed. */
    private ApiKey revealedKey(boolean copyInSecretsManager) {
        BusinessUnit unit = Fixtures.unit(units, "upc");
        RequestDraft draft = Fixtures.request(unit.id());
        draft.setStoreSecret(copyInSecretsManager);
        AccessRequest r = Fixtures.submitAndApprove(requests, approvals, draft);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "PROVISIONED".equals(jdbc.queryForObject(
                "select status from access_request where id = ?", String.class, r.id())));
        KeyReveal.Result revealed = RunAs.afterFreshLogin("alice", () -> reveal.reveal(r.id()), "REQUESTER");
        Arrays.fill(((KeyReveal.Revealed) revealed).key(), '\0');
        return ((KeyReveal.Revealed) revealed).meta();
    }

    /**
     * Waits (up to 60 s) for {@code done}, failing at once when a step of the instance has failed (its retries
     * would raise an incident only minutes later).
     */
    private void await(Started started, java.util.concurrent.Callable<Boolean> done) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            assertThat(failedAttempts(started.instanceId())).as("failed steps on the earlier model").isEmpty();
            return done.call();
        });
    }

    private List<String> failedAttempts(String processInstanceId) {
        return history.createHistoricJobLogQuery().processInstanceId(processInstanceId).failureLog().list().stream()
                .map(l -> l.getActivityId() + ": " + l.getJobExceptionMessage()).toList();
    }

    private void endedWithoutFailure(Started started, String lastActivity) {
        await(started, () -> history.createHistoricProcessInstanceQuery().processInstanceId(started.instanceId())
                .singleResult().getEndTime() != null);
        HistoricProcessInstance ended = history.createHistoricProcessInstanceQuery().processInstanceId(
                started.instanceId()).singleResult();
        assertThat(ended.getProcessDefinitionId()).isEqualTo(started.definitionId());
        assertThat(ended.getState()).isEqualTo(HistoricProcessInstance.STATE_COMPLETED);
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(started.instanceId())
                .activityId(lastActivity).finished().count()).isEqualTo(1);
        assertThat(failedAttempts(started.instanceId())).isEmpty();
    }
}
