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
 * Every path of the decommission process with stub beans behind its expressions: the owner's request waits for a
 * manager (approve, reject), security's runs at once, each teardown step failing as a business error (ends failed,
 * nothing after it runs) and as a technical error (retried, then an incident, which a retry resolves). The class
 * fails when the tests cover less than 90 % of the model.
 */
@Deployment(resources = "bpmn/application-decommission.bpmn")
class DecommissionProcessTest {

    private static ProcessCoverageInMemProcessEngineConfiguration configuration() {
        ProcessCoverageInMemProcessEngineConfiguration c = new ProcessCoverageInMemProcessEngineConfiguration();
        c.setJdbcUrl("jdbc:h2:mem:decommission-process;DB_CLOSE_DELAY=-1");
        // Its own engine: process test classes that run in one JVM must not share the default one.
        c.setProcessEngineName("decommission-process");
        c.setJobExecutorActivate(false);
        c.setExpressionManager(new MockExpressionManager());
        c.setHistory("full");
        return c;
    }

    @RegisterExtension
    static ProcessEngineCoverageExtension engine = (ProcessEngineCoverageExtension) ProcessEngineCoverageExtension
            .Companion.builder(configuration()).assertClassCoverageAtLeast(0.9).build();

    static final List<String> STEPS = List.of("ServiceTask_DeleteKeys", "ServiceTask_DeletePolicy",
            "ServiceTask_DeleteBudget", "ServiceTask_DeleteSecret", "ServiceTask_DeleteIamUser",
            "ServiceTask_MarkDecommissioned");
    static final List<String> STEP_BEANS = List.of("deleteKeysDelegate", "deletePolicyDelegate",
            "deleteBudgetDelegate", "deleteSecretDelegate", "deleteIamUserDelegate", "markDecommissionedDelegate");

    /** What the step delegates did, in order: "bean:decommissionId". */
    private final List<String> calls = new ArrayList<>();
    /** Which steps fail, and how: "business" raises the BPMN error, "technical" throws. */
    private final Map<String, String> failures = new HashMap<>();

    public static class StubApprovers {
        public List<String> managersOf(Object decommissionId) {
            return List.of("mike", "maria");
        }
    }

    public static class StubSettings {
        public String getRetryCycle() {
            return "PT1M,PT2M";
        }
    }

    /** The assertions' static helpers use this class's engine, whichever process test class ran before. */
    @BeforeEach
    void useThisEngine() {
        org.camunda.bpm.engine.test.assertions.bpmn.AbstractAssertions.init(engine.getProcessEngine());
    }

    /** Leaves no engine registered for the next process test class's static helpers to pick up. */
    @org.junit.jupiter.api.AfterAll
    static void leaveNoEngineBehind() {
        org.camunda.bpm.engine.test.assertions.bpmn.AbstractAssertions.reset();
        org.camunda.bpm.engine.ProcessEngines.unregister(engine.getProcessEngine());
    }

    @BeforeEach
    void registerBeans() {
        Mocks.register("decommissionApprovers", new StubApprovers());
        Mocks.register("provisioningSettings", new StubSettings());
        for (String bean : STEP_BEANS) {
            Mocks.register(bean, (JavaDelegate) execution -> {
                String failure = failures.get(bean);
                if ("business".equals(failure)) {
                    throw new BpmnError(DecommissionDelegates.ERROR_CODE, "AccessDenied: not authorized");
                }
                if ("technical".equals(failure)) {
                    throw new IllegalStateException("Throttling: Rate exceeded");
                }
                calls.add(bean + ":" + execution.getVariable(ProcessVariables.DECOMMISSION_ID));
            });
        }
    }

    @AfterEach
    void reset() {
        Mocks.reset();
    }

    private static ProcessInstance start(long id, boolean approvalRequired) {
        return runtimeService().startProcessInstanceByKey(ProcessVariables.DECOMMISSION_PROCESS_KEY,
                DecommissionDelegates.businessKey(id), Map.of(ProcessVariables.DECOMMISSION_ID, id,
                        ProcessVariables.APPROVAL_REQUIRED, approvalRequired));
    }

    @Test
    void theOwnersRequestWaitsForAManagerThenDeletesInTheOrderAwsRequires() {
        ProcessInstance pi = start(1, true);
        assertThat(pi).isWaitingAt(ProcessVariables.TASK_DECOMMISSION_APPROVAL);
        assertThat(taskService().getIdentityLinksForTask(task(pi).getId()).stream()
                .filter(l -> "candidate".equals(l.getType())).map(IdentityLink::getUserId))
                .containsExactlyInAnyOrder("mike", "maria");
        assertThat(calls).isEmpty();
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, true));
        // Every step is its own job (asyncBefore): a retry repeats one step, not the whole teardown.
        for (String step : STEPS) {
            assertThat(pi).isWaitingAt(step);
            execute(jobAt(pi, step));
        }
        assertThat(pi).isEnded().hasPassed("EndEvent_Decommissioned");
        assertThat(calls).containsExactly("deleteKeysDelegate:1", "deletePolicyDelegate:1", "deleteBudgetDelegate:1",
                "deleteSecretDelegate:1", "deleteIamUserDelegate:1", "markDecommissionedDelegate:1");
        assertThat(pi).variables().containsOnlyKeys(ProcessVariables.DECOMMISSION_ID,
                ProcessVariables.APPROVAL_REQUIRED, ProcessVariables.MANAGER_APPROVED);
    }

    @Test
    void aManagersRejectionEndsItWithNothingDeleted() {
        ProcessInstance pi = start(2, true);
        complete(task(pi), Map.of(ProcessVariables.MANAGER_APPROVED, false));
        assertThat(pi).isEnded().hasPassed("EndEvent_DecommissionRejected").hasNotPassed("SubProcess_Teardown");
        assertThat(calls).isEmpty();
    }

    @Test
    void securitysRequestNeedsNoApproval() {
        ProcessInstance pi = start(3, false);
        assertThat(pi).hasNotPassed(ProcessVariables.TASK_DECOMMISSION_APPROVAL).isWaitingAt(STEPS.get(0));
        STEPS.forEach(step -> execute(jobAt(pi, step)));
        assertThat(pi).isEnded().hasPassed("EndEvent_Decommissioned");
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4, 5 })
    void aBusinessErrorAtAnyStepEndsTheDecommissionFailedAndStopsThere(int failing) {
        failures.put(STEP_BEANS.get(failing), "business");
        ProcessInstance pi = start(10 + failing, false);
        for (int i = 0; i <= failing; i++) {
            execute(jobAt(pi, STEPS.get(i)));
        }
        assertThat(pi).isEnded().hasPassed("EndEvent_DecommissionFailed").hasNotPassed("EndEvent_Decommissioned");
        if (failing + 1 < STEPS.size()) {
            assertThat(pi).hasNotPassed(STEPS.get(failing + 1));
        }
        assertThat(calls).hasSize(failing);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4, 5 })
    void aTechnicalErrorAtAnyStepIsRetriedThenBecomesAnIncidentThatARetryResolves(int failing) {
        failures.put(STEP_BEANS.get(failing), "technical");
        ProcessInstance pi = start(20 + failing, false);
        for (int i = 0; i < failing; i++) {
            execute(jobAt(pi, STEPS.get(i)));
        }
        String step = STEPS.get(failing);
        Job job = jobAt(pi, step);
        int attempts = 0;
        while (jobAt(pi, step).getRetries() > 0 && attempts++ < 5) {
            try {
                managementService().executeJob(job.getId());
            } catch (RuntimeException expected) {
                // the engine records the failure and counts the retry down
            }
        }
        assertThat(attempts).as("attempts before the incident (the retry cycle's two waits: three in all)")
                .isEqualTo(3);
        assertThat(runtimeService().createIncidentQuery().processInstanceId(pi.getId()).activityId(step).count())
                .isEqualTo(1);
        assertThat(jobAt(pi, step).getExceptionMessage()).contains("Rate exceeded");
        assertThat(calls).doesNotContain(STEP_BEANS.get(failing) + ":" + (20 + failing));

        failures.clear();
        managementService().setJobRetries(job.getId(), 1);
        for (String next : STEPS.subList(failing, STEPS.size())) {
            execute(jobAt(pi, next));
        }
        assertThat(pi).isEnded().hasPassed("EndEvent_Decommissioned");
        assertThat(calls.stream().filter((STEP_BEANS.get(failing) + ":" + (20 + failing))::equals)).hasSize(1);
    }

    private static Job jobAt(ProcessInstance pi, String activityId) {
        return managementService().createJobQuery().processInstanceId(pi.getId()).activityId(activityId)
                .singleResult();
    }
}
