package com.bedrockportal.workflow;

import java.util.Map;

import com.bedrockportal.key.KeyEvents;
import com.bedrockportal.request.RequestEvents;

import org.camunda.bpm.engine.RuntimeService;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Starts and stops the access-request process in the transaction of the submission or withdrawal (plain
 * {@code @EventListener}s on purpose: the engine writes to the same database in the same transaction, so a request is
 * saved with its process or not at all, which an after-commit listener could not promise). The reveal is passed on
 * after its commit, as an {@code @ApplicationModuleListener}: the registry stores the event with the reveal, and
 * {@code EventRedelivery} sends it again if the message could not be correlated.
 */
@Component
class RequestWorkflow {

    private final RuntimeService runtime;

    RequestWorkflow(RuntimeService runtime) {
        this.runtime = runtime;
    }

    @EventListener
    void on(RequestEvents.Submitted event) {
        runtime.startProcessInstanceByKey(ProcessVariables.PROCESS_KEY, businessKey(event.requestId()),
                Map.of(ProcessVariables.REQUEST_ID, event.requestId()));
    }

    @EventListener
    void on(RequestEvents.Withdrawn event) {
        runtime.createMessageCorrelation(ProcessVariables.MESSAGE_WITHDRAWN)
                .processInstanceBusinessKey(businessKey(event.requestId())).correlate();
    }

    /** The reveal lets the process leave ReceiveTask_KeyRevealed (before its timer disables the key). */
    @ApplicationModuleListener
    void on(KeyEvents.Revealed event) {
        runtime.createMessageCorrelation(ProcessVariables.MESSAGE_KEY_REVEALED)
                .processInstanceBusinessKey(businessKey(event.requestId())).correlateAll();
    }

    static String businessKey(long requestId) {
        return Long.toString(requestId);
    }
}
