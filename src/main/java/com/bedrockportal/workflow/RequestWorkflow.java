package com.bedrockportal.workflow;

import java.util.Map;

import com.bedrockportal.key.KeyEvents;
import com.bedrockportal.request.RequestEvents;

import org.camunda.bpm.engine.RuntimeService;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts and stops the access-request process in the transaction of the submission or withdrawal: if the engine
 * refuses, the request is not saved either.
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
    @EventListener
    void on(KeyEvents.Revealed event) {
        runtime.createMessageCorrelation(ProcessVariables.MESSAGE_KEY_REVEALED)
                .processInstanceBusinessKey(businessKey(event.requestId())).correlateAll();
    }

    static String businessKey(long requestId) {
        return Long.toString(requestId);
    }
}
