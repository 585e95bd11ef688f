package com.bedrockportal.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.KeyEvents;
import com.bedrockportal.key.KeyReveal;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole workflow through the services, on PostgreSQL, with the real process engine and delegates. */
class ApprovalServiceIT extends PostgresSupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    ManagementService management;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    KeyReveal reveal;
    @Autowired
    org.springframework.context.ApplicationEventPublisher events;
    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;

    BusinessUnit unit;

    @BeforeEach
    void unitWithTwoManagers() {
        unit = Fixtures.unit(units, "wf", Set.of("mike", "maria"), Set.of("alice", "mike"));
    }

    @Test
    void managerThenSecurityApproveAndEveryoneIsToldOnPostgres() {
        AccessRequest r = submit("alice");
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(Long.toString(r.id())).count())
                .isEqualTo(1);
        assertThat(inboxOf("mike", "MANAGER")).contains(r.id());
        assertThat(inboxOf("maria", "MANAGER")).contains(r.id());

        decide("mike", r.id(), true, null, "MANAGER");
        assertThat(status(r)).isEqualTo(RequestStatus.PENDING_SECURITY);
        assertThat(inboxOf("sara", "SECURITY")).contains(r.id());
        decide("sara", r.id(), true, "Policy is inference-only.", "SECURITY");
        // Provisioning runs in the engine's jobs, one step per job, right after the approval commits.
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> status(r) == RequestStatus.PROVISIONED);
        // The process now waits for the requester to reveal the key.
        assertThat(runtime.createExecutionQuery().processInstanceBusinessKey(Long.toString(r.id()))
                .activityId("ReceiveTask_KeyRevealed").count()).isEqualTo(1);
        // The request created its application, with an IAM user, policy, key and budget of its own.
        String app = r.applicationSlug();
        String user = unit.slug() + "-" + app + "-bedrock";
        assertThat(jdbc.queryForMap("select iam_user, budget_name, created_by_request from application "
                + "where business_unit_id = ? and slug = ?", unit.id(), app)).containsEntry("iam_user", user)
                .containsEntry("budget_name", unit.slug() + "-" + app + "-bedrock-monthly")
                .containsEntry("created_by_request", r.id());
        assertThat(jdbc.queryForObject("select count(*) from sandbox_iam_user where user_name = ?", Integer.class,
                user)).isEqualTo(1);
        assertThat(jdbc.queryForList("select tag_key || '=' || tag_value from sandbox_iam_user_tag where user_name = ?",
                String.class, user)).contains("business-unit=" + unit.slug(), "application=" + app, "purpose=bedrock",
                        "created-by=bedrock-access-portal", "request-id=" + r.id(), "data-classification=internal");
        assertThat(jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                user)).contains("bedrock:CallWithBearerToken").contains("amazon.nova-lite-v1:0");
        assertThat(jdbc.queryForObject("select count(*) from sandbox_credential where user_name = ?", Integer.class,
                user)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select spec from sandbox_budget where budget_name = ?", String.class,
                unit.slug() + "-" + app + "-bedrock-monthly")).contains("\"thresholdPercent\":80")
                .contains("FORECASTED");
        assertThat(jdbc.queryForObject("select key_prefix from api_key where request_id = ?", String.class, r.id()))
                .startsWith("ABSK").hasSize(12);
        assertThat(jdbc.queryForList("select step from provisioning_step where request_id = ?", String.class, r.id()))
                .containsExactlyInAnyOrder("IAM_USER", "POLICY", "API_KEY", "BUDGET", "NOTIFY"); // no copy asked: no step

        assertThat(jdbc.queryForList("select type from request_event where request_id = ? order by id", String.class,
                r.id())).containsExactly("SUBMITTED", "MANAGER_APPROVED", "SECURITY_APPROVED", "PROVISIONING_STARTED",
                        "PROVISIONED");
        assertThat(jdbc.queryForList("select recipient from notification where link = ?", String.class,
                "requests/" + r.id())).contains("mike", "maria", "sara", "alice");
        assertThat(jdbc.queryForList("select recipient from mail_outbox where body like ?", String.class,
                "%/requests/" + r.id() + "%")).contains("mike@example.com", "alice@example.com");
        assertThat(jdbc.queryForList("select action from audit_event where target = ?", String.class,
                "request:" + r.id())).contains("REQUEST_SUBMITTED", "REQUEST_MANAGER_APPROVED",
                        "REQUEST_SECURITY_APPROVED");
        // Variables hold ids and decisions only.
        assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(processInstanceId(r)).list())
                .extracting(v -> v.getName())
                .containsExactlyInAnyOrder("requestId", "managerApproved", "securityApproved");
    }

    /**
     * The reveal lets the process leave ReceiveTask_KeyRevealed after the reveal commits (an
     * {@code @ApplicationModuleListener}), and the portal sends the event again ({@code EventRedelivery}) when the
     * listener has not finished five minutes after. Sent a second time, it is completed (nothing waits for it any more) and moves nothing.
     */
    @Test
    void aRevealDeliveredTwiceMovesTheProcessOnce() {
        AccessRequest r = submit("alice");
        decide("mike", r.id(), true, null, "MANAGER");
        decide("sara", r.id(), true, null, "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status(r) == RequestStatus.PROVISIONED);
        assertThat(RunAs.afterFreshLogin("alice", () -> reveal.reveal(r.id()), "REQUESTER"))
                .isInstanceOf(KeyReveal.Revealed.class);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> waitingForReveal(r) == 0 && revealEvents(r) == 0);
        List<String> after = activeActivities(r);

        transactions.executeWithoutResult(status -> events.publishEvent(new KeyEvents.Revealed(r.id())));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> revealEvents(r) == 0);

        assertThat(activeActivities(r)).isEqualTo(after);
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId(r))
                .activityId("ReceiveTask_KeyRevealed").count()).isEqualTo(1);
    }

    /** Where the request's process waits now (nothing when it ended). */
    private List<String> activeActivities(AccessRequest r) {
        org.camunda.bpm.engine.runtime.ProcessInstance p = runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(Long.toString(r.id())).singleResult();
        return p == null ? List.of() : runtime.getActiveActivityIds(p.getId()).stream().sorted().toList();
    }

    private long waitingForReveal(AccessRequest r) {
        return runtime.createExecutionQuery().processInstanceBusinessKey(Long.toString(r.id()))
                .activityId("ReceiveTask_KeyRevealed").count();
    }

    /** The reveal's publications not yet completed (a completed one is deleted, application.yml). */
    private int revealEvents(AccessRequest r) {
        return jdbc.queryForObject("select count(*) from event_publication where event_type like ? and "
                + "serialized_event like ?", Integer.class, "%KeyEvents$Revealed", "%\"requestId\":" + r.id() + "}%");
    }

    @Test
    void submittingTheSameFormTwiceCreatesOneRequest() {
        RequestDraft draft = draft();
        AccessRequest first = RunAs.user("alice", () -> requests.submit(draft), "REQUESTER");
        AccessRequest second = RunAs.user("alice", () -> requests.submit(draft), "REQUESTER");
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(jdbc.queryForObject("select count(*) from access_request where submission_key = ?", Integer.class,
                draft.getSubmissionKey())).isEqualTo(1);
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(Long.toString(first.id())).count())
                .isEqualTo(1);
    }

    @Test
    void nobodyDecidesOnTheirOwnRequest() {
        AccessRequest r = submit("mike");
        assertThatThrownBy(() -> decide("mike", r.id(), true, null, "MANAGER", "REQUESTER"))
                .isInstanceOfSatisfying(FieldErrors.class,
                        e -> assertThat(e.errors().get("form")).contains("You submitted this request"));
        assertThat(inboxOf("mike", "MANAGER")).doesNotContain(r.id());
        assertThat(status(r)).isEqualTo(RequestStatus.PENDING_MANAGER);
    }

    @Test
    void theSecurityReviewerIsNotTheManagerWhoApproved() {
        AccessRequest r = submit("alice");
        decide("maria", r.id(), true, null, "MANAGER", "SECURITY");
        assertThatThrownBy(() -> decide("maria", r.id(), true, null, "MANAGER", "SECURITY"))
                .isInstanceOfSatisfying(FieldErrors.class,
                        e -> assertThat(e.errors().get("form")).contains("approved this request as its manager"));
        assertThat(inboxOf("maria", "MANAGER", "SECURITY")).doesNotContain(r.id());
        assertThat(inboxOf("sara", "SECURITY")).contains(r.id());
        decide("sara", r.id(), true, null, "SECURITY");
        assertThat(status(r)).isIn(RequestStatus.APPROVED, RequestStatus.PROVISIONING, RequestStatus.PROVISIONED);
    }

    @Test
    void aManagerOfAnotherUnitCannotDecide() {
        AccessRequest r = submit("alice");
        assertThatThrownBy(() -> decide("otto", r.id(), true, null, "MANAGER"))
                .isInstanceOfSatisfying(FieldErrors.class,
                        e -> assertThat(e.errors().get("form")).contains("Only a manager of the request's business unit"));
        // Nor does he read its decisions and risk flags; its requester and security do.
        decide("mike", r.id(), true, "Looks fine.", "MANAGER");
        assertThat(RunAs.user("otto", () -> approvals.decisions(r.id()), "MANAGER")).isEmpty();
        assertThat(RunAs.user("otto", () -> approvals.riskFlags(r.id()), "MANAGER")).isEmpty();
        assertThat(RunAs.user("alice", () -> approvals.decisions(r.id()), "REQUESTER")).singleElement()
                .satisfies(d -> assertThat(d.comment()).isEqualTo("Looks fine."));
        assertThat(RunAs.user("sara", () -> approvals.decisions(r.id()), "SECURITY")).hasSize(1);
        assertThat(RunAs.user("sara", () -> approvals.riskFlags(r.id()), "SECURITY")).isNotEmpty();
    }

    @Test
    void rejectingNeedsACommentAndTheRequesterGetsIt() {
        AccessRequest r = submit("alice");
        assertThatThrownBy(() -> decide("mike", r.id(), false, "  ", "MANAGER"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors()).containsKey("comment"));
        assertThat(status(r)).isEqualTo(RequestStatus.PENDING_MANAGER);
        decide("mike", r.id(), false, "Use the team key.", "MANAGER");
        assertThat(status(r)).isEqualTo(RequestStatus.REJECTED);
        assertThat(jdbc.queryForObject("select body from notification where recipient = 'alice' and title = ?",
                String.class, "Request #" + r.id() + " was rejected")).contains("Use the team key.");
    }

    @Test
    void aDecisionOnAStageSomeoneElseDecidedSaysWhoAndChangesNothing() {
        AccessRequest r = submit("alice");
        decide("mike", r.id(), false, "No budget this quarter.", "MANAGER");
        assertThatThrownBy(() -> decide("maria", r.id(), true, null, "MANAGER"))
                .isInstanceOfSatisfying(FieldErrors.class,
                        e -> assertThat(e.errors().get("form")).contains("Already decided by mike").contains("rejected"));
        assertThat(status(r)).isEqualTo(RequestStatus.REJECTED);
        assertThat(jdbc.queryForObject("select count(*) from request_decision where request_id = ?", Integer.class,
                r.id())).isEqualTo(1);
    }

    @Test
    void twoManagersDecidingAtOnceLeaveExactlyOneDecision() throws Exception {
        AccessRequest r = submit("alice");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Callable<String>> both = new ArrayList<>();
        for (String manager : List.of("mike", "maria")) {
            both.add(() -> {
                try {
                    decide(manager, r.id(), true, null, "MANAGER");
                    return "ok";
                } catch (FieldErrors e) {
                    return e.errors().get("form");
                } catch (RuntimeException e) {
                    return "error: " + e;
                }
            });
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : pool.invokeAll(both)) {
            outcomes.add(f.get());
        }
        pool.shutdown();
        assertThat(outcomes).filteredOn("ok"::equals).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !"ok".equals(o)).singleElement().asString().contains("Already decided");
        assertThat(jdbc.queryForObject("select count(*) from request_decision where request_id = ?", Integer.class,
                r.id())).isEqualTo(1);
        assertThat(status(r)).isEqualTo(RequestStatus.PENDING_SECURITY);
    }

    @Test
    void withdrawingStopsTheWorkflowAndEmptiesTheInboxes() {
        AccessRequest r = submit("alice");
        RunAs.user("alice", () -> requests.withdraw(r.id()), "REQUESTER");
        assertThat(status(r)).isEqualTo(RequestStatus.WITHDRAWN);
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(Long.toString(r.id())).count())
                .isZero();
        assertThat(inboxOf("mike", "MANAGER")).doesNotContain(r.id());
        assertThatThrownBy(() -> RunAs.user("alice", () -> requests.withdraw(r.id()), "REQUESTER"))
                .isInstanceOf(FieldErrors.class);
    }

    @Test
    void reminderAndExpiryTimersRunTheRealDelegates() {
        AccessRequest r = submit("alice");
        execute(r, "BoundaryEvent_ManagerReminder");
        assertThat(jdbc.queryForList("select type from request_event where request_id = ?", String.class, r.id()))
                .contains("REMINDER_SENT");
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'mike' and title like ?",
                Integer.class, "Reminder: Request #" + r.id() + "%")).isEqualTo(1);
        execute(r, "BoundaryEvent_ManagerExpired");
        assertThat(status(r)).isEqualTo(RequestStatus.EXPIRED);
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and title = ?",
                Integer.class, "Request #" + r.id() + " expired")).isEqualTo(1);
    }

    @Test
    void aRequesterOfAnotherUnitSeesNothingAndTheAttemptIsAudited() {
        AccessRequest r = submit("alice");
        assertThat(RunAs.user("bob", () -> requests.find(r.id()), "REQUESTER")).isEmpty();
        assertThat(RunAs.user("bob", () -> requests.find(999_999_999L), "REQUESTER")).isEmpty();
        assertThat(jdbc.queryForObject(
                "select count(*) from audit_event where actor = 'bob' and action = 'ACCESS_DENIED' and target = ?",
                Integer.class, "request:" + r.id())).isEqualTo(1);
        assertThat(RunAs.user("mike", () -> requests.find(r.id()), "MANAGER")).isPresent();
        assertThat(RunAs.user("otto", () -> requests.find(r.id()), "MANAGER")).isEmpty();
        assertThat(RunAs.user("sara", () -> requests.find(r.id()), "SECURITY")).isPresent();
    }

    private void execute(AccessRequest r, String timerActivity) {
        Job job = management.createJobQuery().processInstanceId(processInstanceId(r)).activityId(timerActivity)
                .singleResult();
        management.executeJob(job.getId());
    }

    private String processInstanceId(AccessRequest r) {
        return history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(Long.toString(r.id()))
                .singleResult().getId();
    }

    private RequestStatus status(AccessRequest r) {
        return RequestStatus.valueOf(jdbc.queryForObject("select status from access_request where id = ?",
                String.class, r.id()));
    }

    private List<Long> inboxOf(String user, String... roles) {
        return RunAs.user(user, () -> approvals.inbox().stream().map(PendingApproval::requestId).toList(), roles);
    }

    private void decide(String user, long requestId, boolean approve, String comment, String... roles) {
        RunAs.user(user, () -> approvals.decide(requestId, approve, comment), roles);
    }

    private AccessRequest submit(String requester) {
        return RunAs.user(requester, () -> requests.submit(draft()), "REQUESTER");
    }

    private RequestDraft draft() {
        return Fixtures.request(unit.id());
    }
}
