package com.bedrockportal.identity.camunda;

import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.Tenant;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.auth.ResourceAuthorizationProvider;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationEntity;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.repository.DecisionRequirementsDefinition;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;

/**
 * The engine creates no authorization of its own. Camunda's default provider grants every candidate user or group,
 * assignee and owner of a task READ and UPDATE on it: a portal ADMIN who is also a unit's manager (or an application's
 * owner, a review's reviewer) could then complete that task, claim it, add candidates or rewrite its variables through
 * the Camunda webapp's API, around the portal's decisions. People's tasks are worked in the portal, whose services
 * call the engine without a Camunda user, so no check applies to them; the only grants are the read-only ones of
 * {@link SsoAdminPlugin}.
 */
final class NoAutomaticGrants implements ResourceAuthorizationProvider {

    @Override
    public AuthorizationEntity[] newUser(User user) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newGroup(Group group) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newTenant(Tenant tenant) {
        return none();
    }

    @Override
    public AuthorizationEntity[] groupMembershipCreated(String groupId, String userId) {
        return none();
    }

    @Override
    public AuthorizationEntity[] tenantMembershipCreated(Tenant tenant, User user) {
        return none();
    }

    @Override
    public AuthorizationEntity[] tenantMembershipCreated(Tenant tenant, Group group) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newFilter(Filter filter) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newDeployment(Deployment deployment) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newProcessDefinition(ProcessDefinition processDefinition) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newProcessInstance(ProcessInstance processInstance) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newTask(Task task) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newTaskAssignee(Task task, String oldAssignee, String newAssignee) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newTaskOwner(Task task, String oldOwner, String newOwner) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newTaskUserIdentityLink(Task task, String userId, String type) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newTaskGroupIdentityLink(Task task, String groupId, String type) {
        return none();
    }

    @Override
    public AuthorizationEntity[] deleteTaskUserIdentityLink(Task task, String userId, String type) {
        return none();
    }

    @Override
    public AuthorizationEntity[] deleteTaskGroupIdentityLink(Task task, String groupId, String type) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newDecisionDefinition(DecisionDefinition decisionDefinition) {
        return none();
    }

    @Override
    public AuthorizationEntity[] newDecisionRequirementsDefinition(DecisionRequirementsDefinition definition) {
        return none();
    }

    /** No grant (the engine saves none when the array is empty). */
    private static AuthorizationEntity[] none() {
        return new AuthorizationEntity[0];
    }
}
