package com.bedrockportal.workflow;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.bedrockportal.lifecycle.Rotations;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
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
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

/**
 * Every path of the rotation process with stub beans behind its expressions: the whole rotation (owner confirms; the
 * usage check finds it due; a check that is not due waits for the next), the new key not revealed in time, no
 * overlap (compromise), a business failure at each step (ends failed, nothing after it runs), and a technical failure
 * (retried, then an incident, which a retry resolves — the old key is never disabled meanwhile). The class fails when
 * the tests cover less than 90 % of the model.
 */
@Deployment(resources = "bpmn/bedrock-key-rotation.bpmn")
class KeyRotationProcessTest {

    private static ProcessCoverageInMemProcessEngineConfiguration configuration() {
        ProcessCoverageInMemProcessEngineConfiguration c = new ProcessCoverageInMemProcessEngineConfiguration();
        c.setJdbcUrl("jdbc:h2:mem:rotation-process;DB_CLOSE_DELAY=-1");
        c.setProcessEngineName("rotation-process");
        c.setJobExecutorActivate(false);
        c.setExpressionManager(new MockExpressionManager());
        c.setHistory("full");
        return c;
    }

    @RegisterExtension
    static ProcessEngineCoverageExtension engine = (ProcessEngineCoverageExtension) ProcessEngineCoverageExtension
            .Companion.builder(configuration()).assertClassCoverageAtLeast(0.9).build();

    static final List<String> BEANS = List.of("rotationMakeRoomDelegate", "rotationCreateKeyDelegate",
            "rotationRevealedDelegate", "rotationRevealExpiredDelegate", "rotationCheckCutOverDelegate",
            "rotationDisableOldDelegate", "rotationDeleteOldDelegate");

    private final List<String> calls = new ArrayList<>();
    private final Map<String, String> failures = new HashMap<>();
    /** What the usage checks answer, in turn (then true). */
    private final List<Boolean> dueAnswers = new ArrayList<>();
    /** What the reveal step finds: an old key to replace (overlap) or not. */
    private boolean overlap = true;
    /** What the new-key step did: put the key straight into Secrets Manager (no reveal) or not. */
    private boolean delivered;
    /** What the reveal steps find, in turn (then false): the hand-over fell back to the owner's reveal. */
    private final List<Boolean> awaitRevealAnswers = new ArrayList<>();

    @BeforeEach
    void useThisEngine() {
        org.camunda.bpm.engine.test.assertions.bpmn.AbstractAssertions.init(engine.getProcessEngine());
    }

    @org.junit.jupiter.api.AfterAll
    static void leaveNoEngineBehind() {
        org.camunda.bpm.engine.test.assertions.bpmn.AbstractAssertions.reset();
        org.camunda.bpm.engine.ProcessEngines.unregister(engine.getProcessEngine());
    }

    public static class StubSettings {
        public String getRetryCycle() {
            return "PT1M,PT2M";
        }

        public String getRevealWindow() {
            return "P3D";
        }
    }

    public static class StubTimers {
        public Date nextCheck(Object rotationId) {
            return new Date(System.currentTimeMillis() + 6 * 3600_000L);
        }

        public String getDeleteAfter() {
            return "P2D";
        }
    }

    @BeforeEach
    void registerBeans() {
        Mocks.register("provisioningSettings", new StubSettings());
        Mocks.register("rotationTimers", new StubTimers());
        for (String bean : BEANS) {
            Mocks.register(bean, (JavaDelegate) execution -> {
                String failure = failures.get(bean);
                if ("business".equals(failure)) {
                    throw new BpmnError(Rotations.ERROR_CODE, "Two keys of the user still work");
                }
                if ("technical".equals(failure)) {
                    throw new IllegalStateException("Throttling: Rate exceeded");
                }
                calls.add(bean);
                if (bean.equals("rotationCreateKeyDelegate")) {
                    execution.setVariable(ProcessVariables.ROTATION_DELIVERED, delivered);
                }
                if (bean.equals("rotationRevealedDelegate")) {
                    execution.setVariable(ProcessVariables.ROTATION_OVERLAP, overlap);
                    execution.setVariable(ProcessVariables.ROTATION_AWAIT_REVEAL,
                            !awaitRevealAnswers.isEmpty() && awaitRevealAnswers.remove(0));
                }
                if (bean.equals("rotationCheckCutOverDelegate")) {
                    execution.setVariable(ProcessVariables.ROTATION_CUT_OVER_DUE,
                            dueAnswers.isEmpty() || dueAnswers.remove(0));
                }
            });
        }
    }

    @AfterEach
    void reset() {
        Mocks.reset();
    }

    private static ProcessInstance start(long id) {
        return runtimeService().startProcessInstanceByKey(ProcessVariables.ROTATION_PROCESS_KEY, Long.toString(id),
                Map.of(ProcessVariables.ROTATION_ID, id, ProcessVariables.ROTATION_OVERLAP, true));
    }

    private static void revealed(long id) {
        runtimeService().createMessageCorrelation(ProcessVariables.MESSAGE_ROTATION_KEY_REVEALED)
                .processInstanceBusinessKey(Long.toString(id)).correlate();
    }

    /** Up to the new key waiting for its reveal. */
    private ProcessInstance createdKey(long id) {
        ProcessInstance pi = start(id);
        execute(jobAt(pi, "ServiceTask_MakeRoom"));
        execute(jobAt(pi, "ServiceTask_CreateKey"));
        assertThat(pi).isWaitingAt("ReceiveTask_NewKeyRevealed");
        return pi;
    }

    @Test
    void theOwnerConfirmsTheSwitchAndTheOldKeyIsDisabledThenDeleted() {
        dueAnswers.add(false);
        ProcessInstance pi = createdKey(1);
        revealed(1);
        execute(jobAt(pi, "ServiceTask_Revealed"));
        execute(jobAt(pi, "ServiceTask_CheckCutOver"));
        assertThat(pi).isWaitingAt("Gateway_WaitForSwitch");
        assertThat(calls).doesNotContain("rotationDisableOldDelegate");
        runtimeService().createMessageCorrelation(ProcessVariables.MESSAGE_ROTATION_SWITCHED)
                .processInstanceBusinessKey("1").correlate();
        execute(jobAt(pi, "ServiceTask_DisableOldKey"));
        assertThat(pi).isWaitingAt("Event_DeleteAfter");
        execute(jobAt(pi, "Event_DeleteAfter"));
        execute(jobAt(pi, "ServiceTask_DeleteOldKey"));
        assertThat(pi).isEnded().hasPassed("EndEvent_Rotated", "EndEvent_RotationEnded")
                .hasNotPassed("ServiceTask_RevokeUnrevealedKey", "EndEvent_RotationFailed");
        assertThat(calls).containsExactly("rotationMakeRoomDelegate", "rotationCreateKeyDelegate",
                "rotationRevealedDelegate", "rotationCheckCutOverDelegate", "rotationDisableOldDelegate",
                "rotationDeleteOldDelegate");
        assertThat(pi).variables().containsOnlyKeys(ProcessVariables.ROTATION_ID, ProcessVariables.ROTATION_OVERLAP,
                ProcessVariables.ROTATION_CUT_OVER_DUE, ProcessVariables.ROTATION_DELIVERED,
                ProcessVariables.ROTATION_AWAIT_REVEAL);
    }

    /** A key put straight into Secrets Manager: no reveal waited for, no reveal window; the overlap starts at once. */
    @Test
    void aKeyPutStraightIntoSecretsManagerSkipsTheRevealAndItsWindow() {
        delivered = true;
        ProcessInstance pi = start(9);
        execute(jobAt(pi, "ServiceTask_MakeRoom"));
        execute(jobAt(pi, "ServiceTask_CreateKey"));
        assertThat(pi).isWaitingAt("ServiceTask_Revealed").hasPassed("Gateway_Delivered")
                .hasNotPassed("ReceiveTask_NewKeyRevealed");
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).timers().count())
                .as("no reveal window").isZero();
        execute(jobAt(pi, "ServiceTask_Revealed"));
        execute(jobAt(pi, "ServiceTask_CheckCutOver"));
        execute(jobAt(pi, "ServiceTask_DisableOldKey"));
        execute(jobAt(pi, "Event_DeleteAfter"));
        execute(jobAt(pi, "ServiceTask_DeleteOldKey"));
        assertThat(pi).isEnded().hasPassed("EndEvent_Rotated").hasNotPassed("ServiceTask_RevokeUnrevealedKey");
        assertThat(calls).containsExactly("rotationMakeRoomDelegate", "rotationCreateKeyDelegate",
                "rotationRevealedDelegate", "rotationCheckCutOverDelegate", "rotationDisableOldDelegate",
                "rotationDeleteOldDelegate");
    }

    /** The hand-over falls back (the copy will not serve the key): the process waits for the owner's reveal. */
    @Test
    void aHandOverThatFallsBackWaitsForTheRevealAndItsWindow() {
        delivered = true;
        awaitRevealAnswers.add(true);
        ProcessInstance pi = start(10);
        execute(jobAt(pi, "ServiceTask_MakeRoom"));
        execute(jobAt(pi, "ServiceTask_CreateKey"));
        execute(jobAt(pi, "ServiceTask_Revealed"));
        assertThat(pi).isWaitingAt("ReceiveTask_NewKeyRevealed").hasNotPassed("ServiceTask_CheckCutOver");
        assertThat(jobAt(pi, "BoundaryEvent_RevealWindowPassed")).as("the reveal window runs").isNotNull();
        revealed(10);
        execute(jobAt(pi, "ServiceTask_Revealed"));
        assertThat(pi).isWaitingAt("ServiceTask_CheckCutOver");
        assertThat(calls.stream().filter("rotationRevealedDelegate"::equals)).hasSize(2);
    }

    @Test
    void aCheckThatIsNotDueWaitsForTheNextOneThenCutsOver() {
        dueAnswers.addAll(List.of(false, true));
        ProcessInstance pi = createdKey(2);
        revealed(2);
        execute(jobAt(pi, "ServiceTask_Revealed"));
        execute(jobAt(pi, "ServiceTask_CheckCutOver"));
        execute(jobAt(pi, "Event_NextCheck"));
        execute(jobAt(pi, "ServiceTask_CheckCutOver"));
        assertThat(pi).isWaitingAt("ServiceTask_DisableOldKey").hasNotPassed("Event_OwnerSwitched");
        execute(jobAt(pi, "ServiceTask_DisableOldKey"));
        execute(jobAt(pi, "Event_DeleteAfter"));
        execute(jobAt(pi, "ServiceTask_DeleteOldKey"));
        assertThat(pi).isEnded().hasPassed("EndEvent_Rotated");
        assertThat(calls.stream().filter("rotationCheckCutOverDelegate"::equals)).hasSize(2);
    }

    @Test
    void anUnrevealedNewKeyIsRevokedAndTheOldKeyIsNeverTouched() {
        ProcessInstance pi = createdKey(3);
        execute(jobAt(pi, "BoundaryEvent_RevealWindowPassed"));
        execute(jobAt(pi, "ServiceTask_RevokeUnrevealedKey"));
        assertThat(pi).isEnded().hasPassed("EndEvent_RevealExpired").hasNotPassed("ServiceTask_Revealed");
        assertThat(calls).doesNotContain("rotationDisableOldDelegate", "rotationDeleteOldDelegate")
                .contains("rotationRevealExpiredDelegate");
    }

    @Test
    void withoutAnOldKeyToReplaceTheRevealEndsTheRotation() {
        overlap = false;
        ProcessInstance pi = createdKey(4);
        revealed(4);
        execute(jobAt(pi, "ServiceTask_Revealed"));
        assertThat(pi).isEnded().hasPassed("EndEvent_NoOverlap").hasNotPassed("ServiceTask_CheckCutOver");
        assertThat(calls).doesNotContain("rotationDisableOldDelegate");
    }

    @ParameterizedTest
    @ValueSource(strings = { "rotationMakeRoomDelegate", "rotationCreateKeyDelegate", "rotationRevealedDelegate",
            "rotationCheckCutOverDelegate", "rotationDisableOldDelegate", "rotationDeleteOldDelegate" })
    void aBusinessFailureAtAStepEndsTheRotationFailedAndNothingAfterItRuns(String bean) {
        failures.put(bean, "business");
        ProcessInstance pi = start(10 + BEANS.indexOf(bean));
        for (String step : List.of("ServiceTask_MakeRoom", "ServiceTask_CreateKey", "ServiceTask_Revealed",
                "ServiceTask_CheckCutOver", "ServiceTask_DisableOldKey", "Event_DeleteAfter",
                "ServiceTask_DeleteOldKey")) {
            if (runtimeService().createProcessInstanceQuery().processInstanceId(pi.getId()).count() == 0) {
                break;
            }
            if (step.equals("ServiceTask_Revealed")) {
                revealed(10 + BEANS.indexOf(bean));
            }
            execute(jobAt(pi, step));
        }
        assertThat(pi).isEnded().hasPassed("EndEvent_RotationFailed").hasNotPassed("EndEvent_Rotated");
        int failedAt = List.of("rotationMakeRoomDelegate", "rotationCreateKeyDelegate", "rotationRevealedDelegate",
                "rotationCheckCutOverDelegate", "rotationDisableOldDelegate", "rotationDeleteOldDelegate")
                .indexOf(bean);
        assertThat(calls).hasSize(failedAt).doesNotContain(bean);
    }

    @Test
    void aTechnicalFailureIsRetriedThenAnIncidentThatARetryResolvesAndTheOldKeyIsNotTouchedMeanwhile() {
        failures.put("rotationCreateKeyDelegate", "technical");
        ProcessInstance pi = start(30);
        execute(jobAt(pi, "ServiceTask_MakeRoom"));
        Job job = jobAt(pi, "ServiceTask_CreateKey");
        int attempts = 0;
        while (jobAt(pi, "ServiceTask_CreateKey").getRetries() > 0 && attempts++ < 5) {
            try {
                managementService().executeJob(job.getId());
            } catch (RuntimeException expected) {
                // the engine records the failure and counts the retry down
            }
        }
        assertThat(attempts).isEqualTo(3);
        assertThat(runtimeService().createIncidentQuery().processInstanceId(pi.getId())
                .activityId("ServiceTask_CreateKey").count()).isEqualTo(1);
        assertThat(calls).containsExactly("rotationMakeRoomDelegate");
        failures.clear();
        managementService().setJobRetries(job.getId(), 1);
        execute(jobAt(pi, "ServiceTask_CreateKey"));
        assertThat(pi).isWaitingAt("ReceiveTask_NewKeyRevealed");
        assertThat(calls).containsExactly("rotationMakeRoomDelegate", "rotationCreateKeyDelegate");
    }

    private static Job jobAt(ProcessInstance pi, String activityId) {
        return managementService().createJobQuery().processInstanceId(pi.getId()).activityId(activityId)
                .singleResult();
    }
}
