package com.bedrockportal.workflow;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/** When a stage opens, its approvers are told: the unit's managers first, then security. */
@Component("approvalTaskCreatedListener")
class ApprovalTaskCreatedListener implements TaskListener {

    private final Approvers approvers;
    private final RequestMessages messages;

    ApprovalTaskCreatedListener(Approvers approvers, RequestMessages messages) {
        this.approvers = approvers;
        this.messages = messages;
    }

    @Override
    public void notify(DelegateTask task) {
        long requestId = ((Number) task.getVariable(ProcessVariables.REQUEST_ID)).longValue();
        Stage stage = Stage.ofTask(task.getTaskDefinitionKey());
        messages.toApprovers(stage, requestId, approvers.of(stage, requestId), false);
    }
}
