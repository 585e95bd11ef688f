package com.bedrockportal.application;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.sandbox.Faults;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.bedrockportal.workflow.ProcessVariables;
import com.bedrockportal.workflow.ProvisioningProgress;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decommissioning against PostgreSQL, the real engine and the simulated account: who may ask and decide, AWS
 * refusing a step (the decommission ends FAILED with the reason, security starts it again once fixed), AWS not
 * answering (retries, then an incident that a retry resolves), and an approval task completed behind the portal's
 * back (nothing is deleted; security is alerted).
 */
@TestPropertySource(properties = "portal.provisioning.retry-cycle=R1/PT1S")
class DecommissionIT extends PostgresSupport {

    @Autowired
    Decommissions decommissions;
    @Autowired
    ApplicationService applications;
    @Autowired
    RequestService requests;
    @Autowired
    RequestLifecycle lifecycle;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    SimulatedAccount account;
    @Autowired
    ProvisioningProgress progress;
    @Autowired
    TaskService tasks;
    @Autowired
    org.camunda.bpm.engine.RuntimeService runtime;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    org.camunda.bpm.engine.ManagementService management;

    @AfterEach
    void noFaults() {
        Faults.none(account);
    }

    @Test
    void onlyTheOwnerOrSecurityMayAskAndOnlyAnotherManagerOfTheUnitDecides() {
        BusinessUnit unit = Fixtures.unit(units, "dcw", Set.of("mike"), Set.of("alice", "bob"));
        Application app = provisioned(unit);
        assertThatThrownBy(() -> RunAs.user("bob", () -> decommissions.request(app.id(), "not mine"), "REQUESTER"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors().get("form"))
                        .contains("Its owner (with a manager approval) and security can"));
        // The refusal is on record, although nothing else was done.
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'bob' and action = "
                + "'ACCESS_DENIED' and target = ?", Integer.class, "decommission application:" + app.id()))
                .isEqualTo(1);
        assertThatThrownBy(() -> RunAs.user("alice", () -> decommissions.request(app.id(), " "), "REQUESTER"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors()).containsKey("reason"));
        assertThatThrownBy(() -> RunAs.user("alice", () -> decommissions.request(app.id(), "x".repeat(501)),
                "REQUESTER")).isInstanceOfSatisfying(FieldErrors.class,
                        e -> assertThat(e.errors().get("reason")).contains("At most 500"));
        Decommission d = RunAs.user("alice", () -> decommissions.request(app.id(), "done with it"), "REQUESTER");
        assertThat(d.status()).isEqualTo(Decommission.Status.PENDING_APPROVAL);
        assertThatThrownBy(() -> RunAs.user("alice", () -> decommissions.request(app.id(), "again"), "REQUESTER"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors().get("form"))
                        .contains("already waiting for approval or running"));
        assertThatThrownBy(() -> RunAs.user("mike", () -> decommissions.decide(d.id(), false, ""), "MANAGER"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors()).containsKey("comment"));

        RunAs.user("mike", () -> decommissions.decide(d.id(), false, "Still needed for Q3."), "MANAGER");
        assertThat(applications.load(app.id()).status()).isEqualTo(Application.Status.ACTIVE);
        assertThat(decommissions.load(d.id()).status()).isEqualTo(Decommission.Status.REJECTED);
        assertThat(inAccount(app)).containsExactly(1, 1, 1, 1);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> processesOf(d) == 0);
        assertThat(notifications("alice", app.displayName() + " rejected")).isEqualTo(1);
    }

    @Test
    void twoRequestsAtOnceStartOneDecommission() throws Exception {
        Application app = provisioned(Fixtures.unit(units, "dcc", Set.of("mike"), Set.of("alice")));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Decommission>> asked = transactions.execute(tx -> {
                // Someone holds the application's row: both requests must wait for it, not check and insert at once.
                jdbc.queryForObject("select id from application where id = ? for update", Long.class, app.id());
                List<Future<Decommission>> both = List.of(
                        pool.submit(() -> RunAs.user("alice", () -> decommissions.request(app.id(), "double click"),
                                "REQUESTER")),
                        pool.submit(() -> RunAs.user("alice", () -> decommissions.request(app.id(), "double click"),
                                "REQUESTER")));
                Fixtures.awaitApplicationLockWaiters(jdbc, 2);
                return both;
            });
            int started = 0;
            for (Future<Decommission> f : asked) {
                try {
                    f.get(20, TimeUnit.SECONDS);
                    started++;
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOfSatisfying(FieldErrors.class, errors -> assertThat(
                            errors.errors().get("form")).contains("already waiting for approval or running"));
                }
            }
            assertThat(started).isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from application_decommission where application_id = ?",
                    Integer.class, app.id())).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void accessDeniedEndsTheDecommissionFailedWithTheReasonAndSecurityStartsItAgain() {
        Application app = provisioned(Fixtures.unit(units, "dcf"));
        Faults.failing(account, "DeleteUser", "ACCESS_DENIED");
        Decommission d = RunAs.user("sara", () -> decommissions.request(app.id(), "leaked key"), "SECURITY");
        assertThat(d.status()).isEqualTo(Decommission.Status.RUNNING);

        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> decommissions.load(d.id()).status() == Decommission.Status.FAILED);
        assertThat(decommissions.load(d.id()).failure()).startsWith("deleting the IAM user failed: DeleteUser: "
                + "access denied (log reference ").doesNotContain("injected failure");
        assertThat(applications.load(app.id()).status()).isEqualTo(Application.Status.DECOMMISSIONING);
        assertThat(inAccount(app)).as("user left, nothing attached").containsExactly(1, 0, 0, 0);
        assertThat(notifications("sara", app.displayName() + " failed")).isEqualTo(1);
        assertThat(notifications("alice", app.displayName() + " failed")).isEqualTo(1);
        assertThat(audited("DECOMMISSION_FAILED", app)).isEqualTo(1);
        assertThatThrownBy(() -> RunAs.user("alice", () -> decommissions.request(app.id(), "retry"), "REQUESTER"))
                .isInstanceOf(FieldErrors.class);

        noFaults();
        Decommission again = RunAs.user("sara", () -> decommissions.request(app.id(), "cause fixed"), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> decommissions.load(again.id()).status() == Decommission.Status.DONE);
        assertThat(applications.load(app.id()).status()).isEqualTo(Application.Status.DECOMMISSIONED);
        assertThat(inAccount(app)).containsExactly(0, 0, 0, 0);
        assertThat(RunAs.user("sara", () -> decommissions.overview(app.id()).orElseThrow().teardown(), "SECURITY"))
                .extracting(Teardown::step).contains(Teardown.Step.KEYS, Teardown.Step.POLICY, Teardown.Step.BUDGET,
                        Teardown.Step.SECRET, Teardown.Step.IAM_USER);
    }

    @Test
    void aStepAwsDoesNotAnswerBecomesAnIncidentThatARetryFinishes() {
        Application app = provisioned(Fixtures.unit(units, "dct"));
        Faults.failing(account, "DeleteBudget", "TRANSIENT");
        Decommission d = RunAs.user("sara", () -> decommissions.request(app.id(), "end of project"), "SECURITY");

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> incidentsOf(d).size() == 1);
        ProvisioningProgress.StuckTeardown stuck = incidentsOf(d).get(0);
        assertThat(stuck.step()).isEqualTo("DeleteBudget");
        assertThat(stuck.applicationId()).isEqualTo(app.id());
        assertThat(stuck.message()).contains("injected failure");
        assertThat(decommissions.load(d.id()).status()).isEqualTo(Decommission.Status.RUNNING);

        noFaults();
        RunAs.user("sara", () -> progress.retry(stuck.incidentId()), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> decommissions.load(d.id()).status() == Decommission.Status.DONE);
        assertThat(inAccount(app)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void aDecommissionDuringTheFirstProvisioningStopsItsNextStep() {
        BusinessUnit unit = Fixtures.unit(units, "dcp", Set.of("mike"), Set.of("alice"));
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        Faults.failing(account, "CreateBudget", "TRANSIENT");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        // The budget step, after the application, its user, policy and key were made, ran out of retries.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> management.createJobQuery()
                .processInstanceId(processOf(r)).noRetriesLeft().count() == 1);
        Application app = applications.load(lifecycle.get(r.id()).orElseThrow().applicationId());

        Decommission d = RunAs.user("sara", () -> decommissions.request(app.id(), "not wanted after all"),
                "SECURITY");
        noFaults();
        management.setJobRetries(management.createJobQuery().processInstanceId(processOf(r)).noRetriesLeft()
                .singleResult().getId(), 1);

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> lifecycle.get(r.id()).orElseThrow().status()
                == RequestStatus.PROVISIONING_FAILED);
        assertThat(jdbc.queryForObject("select details from audit_event where action = 'REQUEST_PROVISIONING_FAILED' "
                + "and target = ?", String.class, "request:" + r.id())).containsPattern("is decommission(ing|ed)")
                .contains("nothing more is provisioned");
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> decommissions.load(d.id()).status() == Decommission.Status.DONE);
        assertThat(jdbc.queryForObject("select count(*) from sandbox_budget where budget_name = ?", Integer.class,
                app.names().budgetName())).as("no budget made after the teardown").isZero();
        assertThat(inAccount(app)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void anApprovalTaskCompletedOutsideThePortalDeletesNothing() {
        Application app = provisioned(Fixtures.unit(units, "dcg"));
        Decommission d = RunAs.user("alice", () -> decommissions.request(app.id(), "bypass"), "REQUESTER");
        String task = tasks.createTaskQuery().processDefinitionKey(ProcessVariables.DECOMMISSION_PROCESS_KEY)
                .processInstanceBusinessKey(Long.toString(d.id())).singleResult().getId();
        tasks.complete(task, java.util.Map.of(ProcessVariables.MANAGER_APPROVED, true));

        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> decommissions.load(d.id()).status() == Decommission.Status.FAILED);
        assertThat(decommissions.load(d.id()).failure()).contains("Stopped by the portal's checks")
                .contains("expected RUNNING");
        assertThat(inAccount(app)).containsExactly(1, 1, 1, 1);
        assertThat(applications.load(app.id()).status()).isEqualTo(Application.Status.ACTIVE);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'SECURITY_ALERT' and target = ?",
                Integer.class, "decommission:" + d.id())).isEqualTo(1);
    }

    private Application provisioned(BusinessUnit unit) {
        RequestDraft draft = Fixtures.request(unit.id());
        AccessRequest r = RunAs.user("alice", () -> requests.submit(draft), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> lifecycle.get(r.id()).orElseThrow().status() == RequestStatus.PROVISIONED);
        return applications.load(lifecycle.get(r.id()).orElseThrow().applicationId());
    }

    private List<ProvisioningProgress.StuckTeardown> incidentsOf(Decommission d) {
        return RunAs.user("sara", () -> progress.decommissionIncidents(), "SECURITY").stream()
                .filter(s -> s.decommissionId() == d.id()).toList();
    }

    private String processOf(AccessRequest r) {
        return runtime.createProcessInstanceQuery().processDefinitionKey(ProcessVariables.PROCESS_KEY)
                .processInstanceBusinessKey(Long.toString(r.id())).singleResult().getId();
    }

    private long processesOf(Decommission d) {
        return runtime.createProcessInstanceQuery().processDefinitionKey(ProcessVariables.DECOMMISSION_PROCESS_KEY)
                .processInstanceBusinessKey(Long.toString(d.id())).count();
    }

    /** The IAM user, its policies, its credentials and its budget in the simulated account. */
    private List<Integer> inAccount(Application app) {
        String user = app.names().iamUser();
        return List.of(
                jdbc.queryForObject("select count(*) from sandbox_iam_user where user_name = ?", Integer.class, user),
                jdbc.queryForObject("select count(*) from sandbox_user_policy where user_name = ?", Integer.class,
                        user),
                jdbc.queryForObject("select count(*) from sandbox_credential where user_name = ?", Integer.class,
                        user),
                jdbc.queryForObject("select count(*) from sandbox_budget where budget_name = ?", Integer.class,
                        app.names().budgetName()));
    }

    private int notifications(String user, String what) {
        return jdbc.queryForObject("select count(*) from notification where recipient = ? and title like ?",
                Integer.class, user, "%" + what + "%");
    }

    private int audited(String action, Application app) {
        return jdbc.queryForObject("select count(*) from audit_event where action = ? and target = ?",
                Integer.class, action, "application:" + app.id());
    }
}
