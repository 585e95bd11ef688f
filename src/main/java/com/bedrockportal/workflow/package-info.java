/**
 * The workflow module: the {@code bedrock-access-request} process (manager approval,
 * then security review, reminder and expiry timers, withdrawal, provisioning sub-process, reveal window), the rules
 * of deciding ({@link com.bedrockportal.workflow.ApprovalService}), the delegates of every service task, the check
 * every AWS-touching step makes first ({@link com.bedrockportal.workflow.DecisionGuard}), the beans models may name
 * ({@link com.bedrockportal.workflow.ProcessBeans}), provisioning progress and incidents. Future processes
 * (rotation, compromise, decommission, access review) go here the same way: model in {@code bpmn/}, names in a
 * constants class, delegates calling the feature services, beans listed in {@code ProcessBeans}.
 */
package com.bedrockportal.workflow;
