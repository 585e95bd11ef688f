package com.bedrockportal.workflow;

import java.util.Map;
import java.util.function.LongFunction;

import com.bedrockportal.key.KeyEvents;
import com.bedrockportal.lifecycle.Rotations;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The process {@code bedrock-key-rotation} (bpmn/bedrock-key-rotation.bpmn): started by {@link Rotations}' events in
 * the transaction that records the rotation, moved on by the reveal of the new key and the owner's confirmation, and
 * its steps, each in its own job. A step's business failure ({@link Rotations.StepFailed}: the rotation is already
 * recorded FAILED) becomes the BPMN error that ends the process; anything else is retried by the engine (an incident
 * when the retries run out, listed on the incidents page).
 */
@Configuration(proxyBeanMethods = false)
class RotationDelegates {

    static final String PROCESS_KEY = ProcessVariables.ROTATION_PROCESS_KEY;
    static final String ROTATION_ID = ProcessVariables.ROTATION_ID;
    static final String OVERLAP = ProcessVariables.ROTATION_OVERLAP;
    static final String CUT_OVER_DUE = ProcessVariables.ROTATION_CUT_OVER_DUE;
    static final String DELIVERED = ProcessVariables.ROTATION_DELIVERED;
    static final String AWAIT_REVEAL = ProcessVariables.ROTATION_AWAIT_REVEAL;
    /** The way back to the reveal when a hand-over to Secrets Manager falls back to it; earlier models have none. */
    static final String FLOW_REVEAL_INSTEAD = ProcessVariables.FLOW_ROTATION_REVEAL_INSTEAD;
    static final String MESSAGE_REVEALED = ProcessVariables.MESSAGE_ROTATION_KEY_REVEALED;
    static final String MESSAGE_SWITCHED = ProcessVariables.MESSAGE_ROTATION_SWITCHED;

    private static final Logger log = LoggerFactory.getLogger(RotationDelegates.class);

    /** Starts the process for a new rotation; correlates the reveal and the owner's confirmation. */
    @Component
    static class RotationWorkflow {
        private final RuntimeService runtime;
        private final Rotations rotations;

        RotationWorkflow(RuntimeService runtime, Rotations rotations) {
            this.runtime = runtime;
            this.rotations = rotations;
        }

        @EventListener
        void on(Rotations.Started event) {
            runtime.startProcessInstanceByKey(PROCESS_KEY, Long.toString(event.rotationId()),
                    Map.of(ROTATION_ID, event.rotationId(), OVERLAP, event.overlap()));
        }

        /** In the reveal's transaction: the process leaves its receive task (before its timer revokes the key). */
        @EventListener
        void on(KeyEvents.RotatedKeyRevealed event) {
            rotations.ofNewKey(event.keyId()).ifPresent(id -> runtime.createMessageCorrelation(MESSAGE_REVEALED)
                    .processInstanceBusinessKey(Long.toString(id)).correlateAll());
        }

        @EventListener
        void on(Rotations.Switched event) {
            runtime.createMessageCorrelation(MESSAGE_SWITCHED)
                    .processInstanceBusinessKey(Long.toString(event.rotationId())).correlateAll();
        }
    }

    static long rotationId(DelegateExecution execution) {
        return ((Number) execution.getVariable(ROTATION_ID)).longValue();
    }

    /** A step: runs it, logs what it did, and turns a business failure into the process's BPMN error. */
    private static JavaDelegate step(String name, LongFunction<String> run) {
        return execution -> {
            long id = rotationId(execution);
            try {
                log.info("Rotation {}: {}: {}", id, name, run.apply(id));
            } catch (Rotations.StepFailed e) {
                throw new BpmnError(Rotations.ERROR_CODE, e.getMessage());
            }
        };
    }

    @Bean
    JavaDelegate rotationMakeRoomDelegate(Rotations rotations) {
        return step("make room", rotations::makeRoom);
    }

    /** Sets {@code delivered}: the new key goes straight into Secrets Manager, so no reveal is waited for. */
    @Bean
    JavaDelegate rotationCreateKeyDelegate(Rotations rotations) {
        JavaDelegate create = step("create the new key", rotations::createKey);
        return execution -> {
            create.execute(execution);
            boolean straight = rotations.goesStraightToSecretsManager(rotationId(execution));
            if (straight && execution.getBpmnModelInstance().getModelElementById(FLOW_REVEAL_INSTEAD) == null) {
                // A rotation on an earlier model: the one of 2 December always waits for the reveal; on 01d658e of
                // 5 December (on main for 19 minutes, in no landed release) a hand-over that fell back to the reveal
                // would end the process with the rotation still waiting for it. Either way the owner is asked now.
                rotations.revealInstead(rotationId(execution));
                straight = false;
            }
            execution.setVariable(DELIVERED, straight);
        };
    }

    /**
     * Sets {@code overlap}: whether an old key is still there to replace (else the rotation is done); and
     * {@code awaitReveal}: the hand-over to Secrets Manager fell back to the owner's reveal.
     */
    @Bean
    JavaDelegate rotationRevealedDelegate(Rotations rotations) {
        JavaDelegate revealed = step("revealed", rotations::revealed);
        return execution -> {
            revealed.execute(execution);
            execution.setVariable(OVERLAP, rotations.find(rotationId(execution))
                    .filter(r -> r.status() == Rotations.Status.OVERLAP).isPresent());
            execution.setVariable(AWAIT_REVEAL, rotations.awaitsReveal(rotationId(execution)));
        };
    }

    @Bean
    JavaDelegate rotationRevealExpiredDelegate(Rotations rotations) {
        return step("reveal window passed", rotations::revealWindowPassed);
    }

    @Bean
    JavaDelegate rotationCheckCutOverDelegate(Rotations rotations) {
        return execution -> {
            long id = rotationId(execution);
            try {
                execution.setVariable(CUT_OVER_DUE, rotations.cutOverDue(id));
            } catch (Rotations.StepFailed e) {
                throw new BpmnError(Rotations.ERROR_CODE, e.getMessage());
            }
        };
    }

    @Bean
    JavaDelegate rotationDisableOldDelegate(Rotations rotations) {
        return step("disable the old key", rotations::disableOld);
    }

    @Bean
    JavaDelegate rotationDeleteOldDelegate(Rotations rotations) {
        return step("delete the old key", rotations::deleteOld);
    }
}
