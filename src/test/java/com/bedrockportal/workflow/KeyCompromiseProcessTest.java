package com.bedrockportal.workflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.JavaDelegate;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;

/**
 * Every path of the compromise process with stub beans behind its expressions: confirmed (rotation, old key deleted,
 * the owner's report, closed), a false alarm (re-enabled, closed), the report overdue (the managers told, the report
 * still closes the case), AWS down while disabling (retried; an incident that a retry resolves; nothing after the
 * disable runs before it succeeded), and a step whose check fails (stops, nothing more runs). The class fails when the
 * tests cover less than 90 % of the model.
 */
@Deployment(resources = "bpmn/bedrock-key-compromise.bpmn")
class KeyCompromiseProcessTest {

    private static ProcessCoverageInMemProcessEngineConfiguration configuration() {
        ProcessCoverageInMemProcessEngineConfiguration c = new ProcessCoverageInMemProcessEngineConfiguration();
        c.setJdbcUrl("jdbc:h2:mem:compromise-process;DB_CLOSE_DELAY=-1");
        // Its own engine: process test classes that run in one JVM must not share the default one.
        c.setProcessEngineName("compromise-process");
        c.setJobExecutorActivate(false);
        c.setExpressionManager(new MockExpressionManager());
        c.setHistory("full");
        return c;
    }

    @RegisterExtension
    static ProcessEngineCoverageExtension engine = (ProcessEngineCoverageExtension) ProcessEngineCoverageExtension
            .Companion.builder(configuration()).assertClassCoverageAtLeast(0.9).build();

    static final List<String> STEP_BEANS = List.of("disableCompromisedKeyDelegate", "notifyCompromiseDelegate",
            "gatherEvidenceDelegate", "reenableFalseAlarmKeyDelegate", "startCompromiseRotationDelegate",
            "deleteCompromisedKeyDelegate", "escalateReportDelegate", "closeCompromiseDelegate");

    /** What the step delegates did, in order: "bean:caseId". */
    private final List<String> calls = new ArrayList<>();
    /** Which steps fail, and how: "technical" throws (AWS down), "check" raises the BPMN error of a failed check. */
    private final Map<String, String> failures = new HashMap<>();

    /** Security's triage as the portal records it on the case: case id → confirmed. */
    private final Map<Long, Boolean> triaged = new HashMap<>();

    public static class StubSettings {
        private final Map<Long, Boolean> triaged;

        StubSettings(Map<Long, Boolean> triaged) {
            this.triaged = triaged;
        }

        public boolean triaged(Object caseId) {
            return triaged.containsKey(((Number) caseId).longValue());
        }

        public boolean confirmed(Object caseId) {
            return Boolean.TRUE.equals(triaged.get(((Number) caseId).longValue()));
        }

        public String getRetryCycle() {
            return "PT1M,PT2M";
        }

        public String getReportDue() {
            return "PT24H";
        }

        public List<String> reportersOf(Object caseId) {
            return List.of("alice");
        }
    }

    @BeforeEach
    void useThisEngine() {
        org.camunda.bpm.engine.test.assertions.bpmn.AbstractAssertions.init(engine.getProcessEngine());
    }

    @org.junit.jupiter.api.AfterAll
    static void leaveNoEngineBehind() {
        org.camunda.bpm.engine.test.assertions.bpmn.AbstractAssertions.reset();
        org.camunda.bpm.engine.ProcessEngines.unregister(engine.getProcessEngine());
    }

    @BeforeEach
    void registerBeans() {
        StubSettings settings = new StubSettings(triaged);
        Mocks.register("provisioningSettings", settings);
        Mocks.register("compromiseSettings", settings);
        for (String bean : STEP_BEANS) {
            Mocks.register(bean, (JavaDelegate) execution -> {
                String failure = failures.get(bean);
                if ("check".equals(failure)) {
                    throw new BpmnError(CompromiseDelegates.ERROR_CODE, "case is CLOSED, expected ROTATING");
                }
                if ("technical".equals(failure)) {
                    throw new IllegalStateException("UpdateServiceSpecificCredential: service unavailable");
                }
                calls.add(bean + ":" + execution.getVariable(ProcessVariables.CASE_ID));
            });
        }
    }

    @AfterEach
    void reset() {
        Mocks.reset();
    }

    private static ProcessInstance start(long id) {
        return runtimeService().startProcessInstanceByKey(ProcessVariables.COMPROMISE_PROCESS_KEY,
                CompromiseDelegates.businessKey(id), Map.of(ProcessVariables.CASE_ID, id));
    }

    /** Security's triage as the portal does it: the decision recorded on the case, then the task completed. */
    private void triage(ProcessInstance pi, boolean confirmed) {
        triaged.put(((Number) runtimeService().getVariable(pi.getId(), ProcessVariables.CASE_ID)).longValue(),
                confirmed);
        complete(task(pi));
    }

    /** Runs the async steps from disabling to triage, one job each. */
    private static void upToTriage(ProcessInstance pi) {
        for (String step : List.of("ServiceTask_DisableKey", "ServiceTask_NotifyReported",
                "ServiceTask_GatherEvidence")) {
            assertThat(pi).isWaitingAt(step);
            execute(jobAt(pi, step));
        }
        assertThat(pi).isWaitingAt(ProcessVariables.TASK_COMPROMISE_TRIAGE);
    }

    @Test
    void aConfirmedCompromiseIsDisabledTriagedRotatedDeletedReportedAndClosed() {
        ProcessInstance pi = start(1);
        // Nothing runs in the reporter's transaction: disabling is the first job.
        assertThat(pi).isWaitingAt("ServiceTask_DisableKey");
        assertThat(calls).isEmpty();
        upToTriage(pi);
        assertThat(taskService().getIdentityLinksForTask(task(pi).getId()).stream()
                .filter(l -> "candidate".equals(l.getType())).map(IdentityLink::getGroupId))
                .containsExactly(ProcessVariables.SECURITY_GROUP);
        triage(pi, true);
        execute(jobAt(pi, "ServiceTask_StartRotation"));
        execute(jobAt(pi, "ServiceTask_DeleteOldKey"));
        assertThat(pi).isWaitingAt(ProcessVariables.TASK_POST_INCIDENT_REPORT);
        assertThat(taskService().getIdentityLinksForTask(task(pi).getId()).stream()
                .filter(l -> "candidate".equals(l.getType())).map(IdentityLink::getUserId)).containsExactly("alice");
        complete(task(pi));
        execute(jobAt(pi, "ServiceTask_CloseCase"));
        assertThat(pi).isEnded().hasPassed("EndEvent_CaseClosed").hasNotPassed("ServiceTask_ReenableKey",
                "ServiceTask_EscalateReport");
        assertThat(calls).containsExactly("disableCompromisedKeyDelegate:1", "notifyCompromiseDelegate:1",
                "gatherEvidenceDelegate:1", "startCompromiseRotationDelegate:1", "deleteCompromisedKeyDelegate:1",
                "closeCompromiseDelegate:1");
        assertThat(pi).variables().containsOnlyKeys(ProcessVariables.CASE_ID);
    }

    @Test
    void aFalseAlarmReEnablesTheKeyAndEndsWithoutRotation() {
        ProcessInstance pi = start(2);
        upToTriage(pi);
        triage(pi, false);
        execute(jobAt(pi, "ServiceTask_ReenableKey"));
        assertThat(pi).isEnded().hasPassed("EndEvent_FalseAlarm").hasNotPassed("ServiceTask_StartRotation",
                "ServiceTask_DeleteOldKey", ProcessVariables.TASK_POST_INCIDENT_REPORT);
        assertThat(calls).contains("reenableFalseAlarmKeyDelegate:2")
                .doesNotContain("startCompromiseRotationDelegate:2");
    }

    @Test
    void anOverdueReportTellsTheManagersOnceAndTheLateReportStillClosesTheCase() {
        ProcessInstance pi = start(3);
        upToTriage(pi);
        triage(pi, true);
        execute(jobAt(pi, "ServiceTask_StartRotation"));
        execute(jobAt(pi, "ServiceTask_DeleteOldKey"));
        Job timer = managementService().createJobQuery().processInstanceId(pi.getId()).timers().singleResult();
        assertThat(timer).isNotNull();
        assertThat(timer.getDuedate()).isCloseTo(new java.util.Date(System.currentTimeMillis() + 24 * 3600_000L),
                60_000);
        execute(timer);
        execute(jobAt(pi, "ServiceTask_EscalateReport"));
        // Non-interrupting: the owner's task is still open; the timer fired once.
        assertThat(pi).isWaitingAt(ProcessVariables.TASK_POST_INCIDENT_REPORT).hasPassed("EndEvent_ReportEscalated");
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).timers().count()).isZero();
        complete(task(pi));
        execute(jobAt(pi, "ServiceTask_CloseCase"));
        assertThat(pi).isEnded().hasPassed("EndEvent_CaseClosed");
        assertThat(calls.stream().filter("escalateReportDelegate:3"::equals)).hasSize(1);
    }

    @Test
    void awsDownWhileDisablingIsRetriedThenAnIncidentAndNothingElseRunsUntilAwsConfirms() {
        failures.put("disableCompromisedKeyDelegate", "technical");
        ProcessInstance pi = start(4);
        Job job = jobAt(pi, "ServiceTask_DisableKey");
        int attempts = 0;
        while (jobAt(pi, "ServiceTask_DisableKey").getRetries() > 0 && attempts++ < 5) {
            try {
                managementService().executeJob(job.getId());
            } catch (RuntimeException expected) {
                // the engine records the failure and counts the retry down
            }
        }
        assertThat(attempts).as("attempts before the incident (the retry cycle's two waits: three in all)")
                .isEqualTo(3);
        assertThat(runtimeService().createIncidentQuery().processInstanceId(pi.getId())
                .activityId("ServiceTask_DisableKey").count()).isEqualTo(1);
        assertThat(jobAt(pi, "ServiceTask_DisableKey").getExceptionMessage()).contains("service unavailable");
        // Still disabling: nobody is notified and security is not asked to triage before AWS confirmed.
        assertThat(pi).isWaitingAt("ServiceTask_DisableKey").hasNotPassed("ServiceTask_NotifyReported");
        assertThat(calls).isEmpty();

        failures.clear();
        managementService().setJobRetries(job.getId(), 1);
        upToTriage(pi);
        assertThat(calls).startsWith("disableCompromisedKeyDelegate:4");
    }

    /**
     * Security may triage once the key is disabled, before the process has gathered the evidence and created the triage
     * task (the portal then finds no task to complete): the process reads the recorded decision and does not wait.
     */
    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void aTriageRecordedBeforeTheTaskExistsIsCarriedOutWithoutWaiting(boolean confirmed) {
        ProcessInstance pi = start(6);
        execute(jobAt(pi, "ServiceTask_DisableKey"));
        execute(jobAt(pi, "ServiceTask_NotifyReported"));
        triaged.put(6L, confirmed);
        execute(jobAt(pi, "ServiceTask_GatherEvidence"));
        String next = confirmed ? "ServiceTask_StartRotation" : "ServiceTask_ReenableKey";
        assertThat(pi).isWaitingAt(next).hasNotPassed(ProcessVariables.TASK_COMPROMISE_TRIAGE);
        execute(jobAt(pi, next));
        if (confirmed) {
            execute(jobAt(pi, "ServiceTask_DeleteOldKey"));
            assertThat(pi).isWaitingAt(ProcessVariables.TASK_POST_INCIDENT_REPORT);
        } else {
            assertThat(pi).isEnded().hasPassed("EndEvent_FalseAlarm");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "startCompromiseRotationDelegate", "deleteCompromisedKeyDelegate" })
    void aStepWhoseCheckFailsStopsTheProcessAndNothingAfterItRuns(String failing) {
        failures.put(failing, "check");
        ProcessInstance pi = start(5);
        upToTriage(pi);
        triage(pi, true);
        execute(jobAt(pi, "ServiceTask_StartRotation"));
        if (failing.equals("deleteCompromisedKeyDelegate")) {
            execute(jobAt(pi, "ServiceTask_DeleteOldKey"));
        }
        assertThat(pi).isEnded().hasPassed("EndEvent_StoppedByChecks").hasNotPassed("EndEvent_CaseClosed",
                ProcessVariables.TASK_POST_INCIDENT_REPORT);
        assertThat(calls).doesNotContain("deleteCompromisedKeyDelegate:5", "closeCompromiseDelegate:5");
    }

    private static Job jobAt(ProcessInstance pi, String activityId) {
        return managementService().createJobQuery().processInstanceId(pi.getId()).activityId(activityId)
                .singleResult();
    }
}
