package com.bedrockportal.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.MockExpressionManager;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.engine.platform7.ProcessCoverageInMemProcessEngineConfiguration;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;

/**
 * Every path of the access-request process with stub beans behind its expressions; the class fails when the tests
 * cover less than 90 % of the model.
 */
@Deployment(resources = "bpmn/bedrock-access-request.bpmn")
class AccessRequestProcessTest {

    private static ProcessCoverageInMemProcessEngineConfiguration configuration() {
        ProcessCoverageInMemProcessEngineConfiguration c = new ProcessCoverageInMemProcessEngineConfiguration();
        c.setJdbcUrl("jdbc:h2:mem:access-request-process;DB_CLOSE_DELAY=-1");
        c.setJobExecutorActivate(false);
        c.setExpressionManager(new MockExpressionManager());
        c.setHistory("full");
        return c;
    }

    @RegisterExtension
    static ProcessEngineCoverageExtension engine = (ProcessEngineCoverageExtension) ProcessEngineCoverageExtension
            .Companion.builder(configuration()).assertClassCoverageAtLeast(0.9).build();

    /** What the delegates were asked to do, in order: "bean:requestId[:activity]". */
    private final List<String> calls = new ArrayList<>();

    public static class StubApprovers {
        public List<String> managersOf(Object requestId) {
            return List.of("mike", "maria");
        }
    }

    /** Requests 100+ are changes: 100–149 widen nothing (manager only), even ids ask for no new key. */
    public static class StubRoutes {
        public boolean securityReview(Object requestId) {
            long id = ((Number) requestId).longValue();
            return id < 100 || id >= 150;
        }

        public boolean issuesKey(Object requestId) {
            long id = ((Number) requestId).longValue();
            return id < 100 || id % 2 == 1;
        }

        /** Requests 30–39 ask for no copy in Secrets Manager. */
        public boolean copiesToSecretsManager(Object requestId) {
            long id = ((Number) requestId).longValue();
            return id < 30 || id > 39;
        }
    }

    public static class StubSettings {
        public String getRetryCycle() {
            return "PT1M,PT2M";
        }

        public String getRevealWindow() {
            return "P3D";
        }
    }

    /** Which provisioning steps fail, and how: "business" raises the BPMN error, "technical" throws. */
    private final java.util.Map<String, String> failures = new java.util.HashMap<>();

    static final List<String> STEP_BEANS = List.of("ensureIamUserDelegate", "applyPolicyDelegate",
            "createApiKeyDelegate", "createBudgetDelegate", "storeSecretDelegate", "notifyKeyReadyDelegate");

    public static class StubTimers {
        public String getReminderAfter() {
            return "P2D";
        }

        public String getExpireAfter() {
            return "P7D";
        }
    }

    @BeforeEach
    void registerBeans() {
        Mocks.register("approvers", new StubApprovers());
        Mocks.register("routes", new StubRoutes());
        Mocks.register("approvalTimers", new StubTimers());
        for (String bean : List.of("remindApproversDelegate", "expireRequestDelegate", "notifyRejectedDelegate",
                "notifyApprovedDelegate", "recordWithdrawalDelegate")) {
            Mocks.register(bean, (JavaDelegate) execution -> calls.add(bean + ":"
                    + execution.getVariable(ProcessVariables.REQUEST_ID) + ":" + execution.getCurrentActivityId()));
        }
        Mocks.register("provisioningSettings", new StubSettings());
        for (String bean : STEP_BEANS) {
            Mocks.register(bean, (JavaDelegate) execution -> {
                String failure = failures.get(bean);
                if ("business".equals(failure)) {
                    throw new org.camunda.bpm.engine.delegate.BpmnError("PROVISIONING_FAILED", "limit reached");
                }
                if ("technical".equals(failure)) {
                    throw new IllegalStateException("Throttling: Rate exceeded");
                }
                calls.add(bean + ":" + execution.getVariable(ProcessVariables.REQUEST_ID));
            });
        }
        Mocks.register("revokeUnrevealedKeyDelegate", (JavaDelegate) execution -> calls.add(
                "revokeUnrevealedKeyDelegate:" + execution.getVariable(ProcessVariables.REQUEST_ID)));
        Mocks.register("notifyProvisioningFailedDelegate", (JavaDelegate) execution -> {
            if ("technical".equals(failures.get("notifyProvisioningFailedDelegate"))) {
                throw new IllegalStateException("PutUserPolicy: Throttling: Rate exceeded");
            }
            calls.add("notifyProvisioningFailedDelegate:" + execution.getVariable(ProcessVariables.REQUEST_ID));
        });
        Mocks.register("approvalTaskCreatedListener",
                (TaskListener) task -> calls.add("taskCreated:" + task.getTaskDefinitionKey()));
    }

    @AfterEach
    void reset() {
        Mocks.reset();
    }

    private ProcessInstance start(long requestId) {
        RuntimeService runtime = runtimeService();
        return runtime.startProcessInstanceByKey(ProcessVariables.PROCESS_KEY, Long.toString(requestId),
                Map.of(ProcessVariables.REQUEST_ID, requestId));
    }

    @Test
    void approvedByManagerAndSecurityIsProvisionedStepByStep() {
        ProcessInstance pi = start(1);
        assertThat(pi).isWaitingAt(ProcessVariables.TASK_MANAGER_APPROVAL);
        assertThat(candidateUsers(pi)).containsExactlyInAnyOrder("mike", "maria");
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, true));

        assertThat(pi).isWaitingAt(ProcessVariables.TASK_SECURITY_REVIEW);
        assertThat(task(pi)).hasCandidateGroup(ProcessVariables.SECURITY_GROUP);
        complete(task(pi), Map.of(ProcessVariables.SECURITY_APPROVED, true));

        assertThat(pi).hasPassed("ServiceTask_NotifyApproved").hasNotPassed("ServiceTask_NotifyRejected");
        // Every step is its own job (asyncBefore): a retry repeats one step, not the whole provisioning.
        for (String step : List.of("ServiceTask_EnsureIamUser", "ServiceTask_ApplyPolicy", "ServiceTask_CreateApiKey",
                "ServiceTask_CreateBudget", "ServiceTask_StoreSecret", "ServiceTask_NotifyKeyReady")) {
            assertThat(pi).isWaitingAt(step);
            execute(jobAt(pi, step));
        }
        assertThat(calls).containsExactly("taskCreated:UserTask_ManagerApproval",
                "taskCreated:UserTask_SecurityReview", "notifyApprovedDelegate:1:ServiceTask_NotifyApproved",
                "ensureIamUserDelegate:1", "applyPolicyDelegate:1", "createApiKeyDelegate:1",
                "createBudgetDelegate:1", "storeSecretDelegate:1", "notifyKeyReadyDelegate:1");
        assertThat(pi).isWaitingAt("ReceiveTask_KeyRevealed");
        runtimeService().createMessageCorrelation(ProcessVariables.MESSAGE_KEY_REVEALED).processInstanceBusinessKey("1")
                .correlate();
        assertThat(pi).variables().containsOnlyKeys(ProcessVariables.REQUEST_ID, ProcessVariables.MANAGER_APPROVED,
                ProcessVariables.SECURITY_APPROVED);
        assertEndedAt(pi, "EndEvent_AccessProvisioned");
        assertThat(calls).doesNotContain("revokeUnrevealedKeyDelegate:1");
    }

    @Test
    void aChangeThatWidensNothingNeedsTheManagerOnlyAndEndsWithoutAKey() {
        ProcessInstance pi = start(102);
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, true));
        assertThat(pi).hasNotPassed(ProcessVariables.TASK_SECURITY_REVIEW).hasPassed("ServiceTask_NotifyApproved");
        for (String step : List.of("ServiceTask_EnsureIamUser", "ServiceTask_ApplyPolicy", "ServiceTask_CreateApiKey",
                "ServiceTask_CreateBudget", "ServiceTask_StoreSecret", "ServiceTask_NotifyKeyReady")) {
            execute(jobAt(pi, step));
        }
        // No key was issued, so nothing waits for a reveal and no reveal-window timer can disable anything.
        assertEndedAt(pi, "EndEvent_AccessChanged");
        assertThat(pi).hasNotPassed("ReceiveTask_KeyRevealed");
        assertThat(calls).doesNotContain("taskCreated:UserTask_SecurityReview");
    }

    @Test
    void aChangeThatWidensGoesToSecurityAndWaitsForTheRevealOfTheKeyItAskedFor() {
        ProcessInstance pi = start(151);
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, true));
        assertThat(pi).isWaitingAt(ProcessVariables.TASK_SECURITY_REVIEW);
        complete(task(pi), Map.of(ProcessVariables.SECURITY_APPROVED, true));
        for (String step : List.of("ServiceTask_EnsureIamUser", "ServiceTask_ApplyPolicy", "ServiceTask_CreateApiKey",
                "ServiceTask_CreateBudget", "ServiceTask_StoreSecret", "ServiceTask_NotifyKeyReady")) {
            execute(jobAt(pi, step));
        }
        assertThat(pi).isWaitingAt("ReceiveTask_KeyRevealed");
    }

    @Test
    void aChangeThatWidensNothingCanStillBeRejectedByTheManager() {
        ProcessInstance pi = start(104);
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, false));
        assertEndedAt(pi, "EndEvent_RequestRejected");
        assertThat(calls).contains("notifyRejectedDelegate:104:ServiceTask_NotifyRejected")
                .doesNotContain("notifyApprovedDelegate:104:ServiceTask_NotifyApproved");
    }

    @Test
    void rejectedByManagerNeverReachesSecurity() {
        ProcessInstance pi = start(2);
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, false));
        assertThat(pi).isEnded().hasNotPassed(ProcessVariables.TASK_SECURITY_REVIEW);
        assertEndedAt(pi, "EndEvent_RequestRejected");
        assertThat(calls).contains("notifyRejectedDelegate:2:ServiceTask_NotifyRejected");
    }

    @Test
    void rejectedBySecurityAfterManagerApproval() {
        ProcessInstance pi = start(3);
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, true));
        complete(task(pi), Map.of(ProcessVariables.SECURITY_APPROVED, false));
        assertEndedAt(pi, "EndEvent_RequestRejected");
        assertThat(calls).contains("notifyRejectedDelegate:3:ServiceTask_NotifyRejected")
                .doesNotContain("notifyApprovedDelegate:3:ServiceTask_NotifyApproved");
    }

    @Test
    void managersAreRemindedAfterTwoDaysAndTheTaskStaysOpen() {
        ProcessInstance pi = start(4);
        Job reminder = timer(pi, "BoundaryEvent_ManagerReminder");
        assertThat(reminder.getDuedate()).isAfter(new java.util.Date(System.currentTimeMillis()
                + Duration.ofDays(2).minusMinutes(5).toMillis()));
        execute(reminder);
        assertThat(pi).isWaitingAt(ProcessVariables.TASK_MANAGER_APPROVAL);
        assertThat(calls).contains("remindApproversDelegate:4:ServiceTask_RemindManagers");
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, true));
        assertThat(pi).isWaitingAt(ProcessVariables.TASK_SECURITY_REVIEW);
    }

    @Test
    void requestExpiresWithoutAManagerDecision() {
        ProcessInstance pi = start(5);
        execute(timer(pi, "BoundaryEvent_ManagerExpired"));
        assertEndedAt(pi, "EndEvent_RequestExpired");
        assertThat(calls).contains("expireRequestDelegate:5:ServiceTask_ExpireRequest");
    }

    @Test
    void securityIsRemindedAndTheRequestExpiresWithoutASecurityDecision() {
        ProcessInstance pi = start(6);
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, true));
        execute(timer(pi, "BoundaryEvent_SecurityReminder"));
        assertThat(pi).isWaitingAt(ProcessVariables.TASK_SECURITY_REVIEW);
        assertThat(calls).contains("remindApproversDelegate:6:ServiceTask_RemindSecurity");
        execute(timer(pi, "BoundaryEvent_SecurityExpired"));
        assertEndedAt(pi, "EndEvent_RequestExpired");
    }

    @Test
    void withdrawalWhileWaitingForTheManagerEndsTheProcess() {
        ProcessInstance pi = start(7);
        runtimeService().createMessageCorrelation(ProcessVariables.MESSAGE_WITHDRAWN).processInstanceBusinessKey("7")
                .correlate();
        assertEndedAt(pi, "EndEvent_RequestWithdrawn");
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count()).isZero();
        assertThat(calls).contains("recordWithdrawalDelegate:7:ServiceTask_RecordWithdrawal");
    }

    @Test
    void withdrawalWhileWaitingForSecurityEndsTheProcess() {
        ProcessInstance pi = start(8);
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, true));
        runtimeService().createMessageCorrelation(ProcessVariables.MESSAGE_WITHDRAWN).processInstanceBusinessKey("8")
                .correlate();
        assertEndedAt(pi, "EndEvent_RequestWithdrawn");
    }

    static final List<String> STEPS = List.of("ServiceTask_EnsureIamUser", "ServiceTask_ApplyPolicy",
            "ServiceTask_CreateApiKey", "ServiceTask_CreateBudget", "ServiceTask_StoreSecret",
            "ServiceTask_NotifyKeyReady");

    @Test
    void withoutACopyInSecretsManagerTheBudgetIsFollowedByTellingTheRequester() {
        ProcessInstance pi = approvedThroughBothStages(30);
        for (String step : STEPS.subList(0, STEPS.indexOf("ServiceTask_StoreSecret"))) {
            execute(jobAt(pi, step));
        }
        // No job for a step that would do nothing: the next job tells the requester.
        assertThat(pi).hasNotPassed("ServiceTask_StoreSecret").isWaitingAt("ServiceTask_NotifyKeyReady");
        execute(jobAt(pi, "ServiceTask_NotifyKeyReady"));
        assertThat(pi).isWaitingAt("ReceiveTask_KeyRevealed");
        assertThat(calls).endsWith("createBudgetDelegate:30", "notifyKeyReadyDelegate:30")
                .doesNotContain("storeSecretDelegate:30");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = { 0, 1, 2, 3, 4, 5 })
    void aBusinessErrorAtAnyStepEndsProvisioningAsFailedAndStopsThere(int failing) {
        failures.put(STEP_BEANS.get(failing), "business");
        ProcessInstance pi = approvedThroughBothStages(20 + failing);
        for (int i = 0; i <= failing; i++) {
            execute(jobAt(pi, STEPS.get(i)));
        }
        // Its own job: a put-back of a failed change that AWS does not answer is retried, never the failed step.
        assertThat(pi).isWaitingAt("ServiceTask_NotifyProvisioningFailed");
        execute(jobAt(pi, "ServiceTask_NotifyProvisioningFailed"));
        assertEndedAt(pi, "EndEvent_ProvisioningFailed");
        if (failing + 1 < STEPS.size()) {
            assertThat(pi).hasNotPassed(STEPS.get(failing + 1));
        }
        assertThat(calls).contains("notifyProvisioningFailedDelegate:" + (20 + failing));
    }

    @Test
    void aKeyNotRevealedWithinTheWindowIsDisabled() {
        ProcessInstance pi = approvedThroughBothStages(12);
        for (String step : STEPS) {
            execute(jobAt(pi, step));
        }
        assertThat(pi).isWaitingAt("ReceiveTask_KeyRevealed");
        Job window = timer(pi, "BoundaryEvent_RevealWindowPassed");
        assertThat(window.getDuedate()).isAfter(new java.util.Date(System.currentTimeMillis()
                + Duration.ofDays(3).minusMinutes(5).toMillis()));
        execute(window);
        assertEndedAt(pi, "EndEvent_KeyDisabledUnrevealed");
        assertThat(calls).contains("revokeUnrevealedKeyDelegate:12");
    }

    @Test
    void aTechnicalErrorIsRetriedAndTheNextAttemptSucceedsWithoutAnIncident() {
        failures.put("applyPolicyDelegate", "technical");
        ProcessInstance pi = approvedThroughBothStages(11);
        execute(jobAt(pi, "ServiceTask_EnsureIamUser"));
        Job policy = jobAt(pi, "ServiceTask_ApplyPolicy");
        try {
            managementService().executeJob(policy.getId());
        } catch (RuntimeException expected) {
            // first attempt fails; the engine schedules the retry
        }
        assertThat(jobAt(pi, "ServiceTask_ApplyPolicy").getRetries()).isEqualTo(2);
        assertThat(jobAt(pi, "ServiceTask_ApplyPolicy").getExceptionMessage()).contains("Rate exceeded");
        failures.clear();
        managementService().executeJob(policy.getId());
        for (String step : STEPS.subList(2, STEPS.size())) {
            execute(jobAt(pi, step));
        }
        assertThat(pi).isWaitingAt("ReceiveTask_KeyRevealed");
        assertThat(org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService().createIncidentQuery()
                .processInstanceId(pi.getId()).count()).isZero();
        assertThat(calls.stream().filter("applyPolicyDelegate:11"::equals)).hasSize(1);
    }

    @Test
    void aTechnicalErrorIsRetriedThenBecomesAnIncidentThatARetryResolves() {
        failures.put("createBudgetDelegate", "technical");
        ProcessInstance pi = approvedThroughBothStages(10);
        for (String step : List.of("ServiceTask_EnsureIamUser", "ServiceTask_ApplyPolicy", "ServiceTask_CreateApiKey")) {
            execute(jobAt(pi, step));
        }
        Job budget = jobAt(pi, "ServiceTask_CreateBudget");
        int attempts = attemptsUntilIncident(pi, "ServiceTask_CreateBudget");
        assertThat(attempts).as("attempts before the incident (two waits: three attempts in all)").isEqualTo(3);
        assertThat(org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService().createIncidentQuery()
                .processInstanceId(pi.getId()).activityId("ServiceTask_CreateBudget").count()).isEqualTo(1);
        assertThat(calls).doesNotContain("createBudgetDelegate:10");

        failures.clear();
        managementService().setJobRetries(budget.getId(), 1);
        execute(jobAt(pi, "ServiceTask_CreateBudget"));
        execute(jobAt(pi, "ServiceTask_StoreSecret"));
        execute(jobAt(pi, "ServiceTask_NotifyKeyReady"));
        assertThat(pi).isWaitingAt("ReceiveTask_KeyRevealed");
        assertThat(calls.stream().filter("createBudgetDelegate:10"::equals)).hasSize(1);
    }

    /**
     * AWS does not answer while a failed change is put back: the failure's job is retried on the steps' cycle, then
     * becomes an incident that the portal's Incidents page lists under the request (not only Cockpit); the failed
     * step never runs again.
     */
    @Test
    void aPutBackAwsDoesNotAnswerBecomesAnIncidentTheIncidentsPageLists() {
        failures.put("createBudgetDelegate", "business");
        failures.put("notifyProvisioningFailedDelegate", "technical");
        ProcessInstance pi = approvedThroughBothStages(11);
        for (String step : List.of("ServiceTask_EnsureIamUser", "ServiceTask_ApplyPolicy", "ServiceTask_CreateApiKey",
                "ServiceTask_CreateBudget")) {
            execute(jobAt(pi, step));
        }
        assertThat(attemptsUntilIncident(pi, "ServiceTask_NotifyProvisioningFailed"))
                .as("the steps' retry cycle: three attempts").isEqualTo(3);
        List<ProvisioningProgress.StuckStep> stuck = incidentsPage().incidents();
        assertThat(stuck).singleElement().satisfies(s -> {
            assertThat(s.requestId()).isEqualTo(11);
            assertThat(s.step()).isNull();
            assertThat(s.label()).isEqualTo(ProvisioningProgress.FAILURE_LABEL);
            assertThat(s.message()).contains("Rate exceeded");
        });
        assertThat(calls.stream().filter("createBudgetDelegate:11"::equals)).isEmpty();
        assertThat(pi).isWaitingAt("ServiceTask_NotifyProvisioningFailed");
    }

    /** An outage leaves more stuck steps than the page lists: it lists the oldest 500 and counts them all. */
    @Test
    void theIncidentsPageListsAtMostItsCapAndCountsEveryIncident() {
        failures.put("ensureIamUserDelegate", "technical");
        ProcessInstance pi = approvedThroughBothStages(12);
        attemptsUntilIncident(pi, "ServiceTask_EnsureIamUser");
        org.camunda.bpm.engine.runtime.Incident first = org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests
                .runtimeService().createIncidentQuery().processInstanceId(pi.getId()).singleResult();
        for (int i = 0; i < ProvisioningProgress.MAX_LISTED; i++) {
            org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService().createIncident("failedJob",
                    first.getExecutionId(), first.getConfiguration(), "Rate exceeded " + i);
        }
        ProvisioningProgress progress = incidentsPage();
        assertThat(progress.countIncidents()).isEqualTo(ProvisioningProgress.MAX_LISTED + 1);
        assertThat(progress.incidents()).hasSize(ProvisioningProgress.MAX_LISTED)
                .allSatisfy(s -> assertThat(s.requestId()).isEqualTo(12));
    }

    /** The Incidents page's reads on this test's engine (it reads only Camunda's services). */
    private static ProvisioningProgress incidentsPage() {
        return new ProvisioningProgress(null, runtimeService(), managementService(),
                org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService(), null, null, null, null);
    }

    /** Runs the job at {@code activityId} until it has no retries left (at most 5 times); returns how often. */
    private static int attemptsUntilIncident(ProcessInstance pi, String activityId) {
        Job job = jobAt(pi, activityId);
        int attempts = 0;
        while (jobAt(pi, activityId).getRetries() > 0 && attempts++ < 5) {
            try {
                managementService().executeJob(job.getId());
            } catch (RuntimeException expected) {
                // the engine records the failure and counts the retry down
            }
        }
        return attempts;
    }

    private ProcessInstance approvedThroughBothStages(long requestId) {
        ProcessInstance pi = start(requestId);
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, true));
        complete(task(pi), Map.of(ProcessVariables.SECURITY_APPROVED, true));
        return pi;
    }

    private static Job jobAt(ProcessInstance pi, String activityId) {
        return managementService().createJobQuery().processInstanceId(pi.getId()).activityId(activityId)
                .singleResult();
    }

    private static List<String> candidateUsers(ProcessInstance pi) {
        return taskService().getIdentityLinksForTask(task(pi).getId()).stream()
                .filter(l -> "candidate".equals(l.getType()) && l.getUserId() != null).map(IdentityLink::getUserId)
                .toList();
    }

    private static Job timer(ProcessInstance pi, String activityId) {
        return managementService().createJobQuery().processInstanceId(pi.getId()).activityId(activityId)
                .singleResult();
    }

    private static void assertEndedAt(ProcessInstance pi, String endEvent) {
        assertThat(pi).isEnded().hasPassed(endEvent);
    }
}
