package com.bedrockportal.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditEntry;
import com.bedrockportal.audit.AuditFilter;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine as the assessment found it, closed: a process pushed past its approvals outside the portal stops before
 * AWS with an audited alert; expressions reach only the models' beans and no reflection; no scripts; no deployments
 * after start; Camunda users are read-only and whatever they do is copied into the audit log; the sealed key opens
 * for nobody but the copy step.
 */
class ProcessLockdownIT extends PostgresSupport {

    @Autowired
    RequestService requests;
    @Autowired
    RequestLifecycle lifecycle;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    TaskService tasks;
    @Autowired
    RuntimeService runtime;
    @Autowired
    RepositoryService repository;
    @Autowired
    IdentityService identity;
    @Autowired
    AuthorizationService authorizations;
    @Autowired
    ProcessEngine engine;
    @Autowired
    AuditLog audit;
    @Autowired
    ApiKeys keys;
    @Autowired
    DecisionRepository decisions;
    @Autowired
    DecisionGuard guard;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aProcessPushedPastItsApprovalsOutsideThePortalStopsBeforeAnythingIsCreatedInAws() {
        BusinessUnit unit = Fixtures.unit(units, "forced");
        AccessRequest r = submit(unit);
        Instant since = Instant.now();
        // What an engine-level path (Tasklist, REST, a changed variable) would do: complete both tasks, no decisions.
        tasks.complete(openTask(r).getId(), Map.of("managerApproved", true));
        tasks.complete(openTask(r).getId(), Map.of("securityApproved", true));

        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> lifecycle.get(r.id()).orElseThrow().status() == RequestStatus.PROVISIONING_FAILED);
        assertThat(lifecycle.timelineOf(r.id())).anySatisfy(e -> assertThat(e.comment())
                .contains("Stopped by the portal's checks").contains("no manager approval recorded by the portal"));
        assertThat(rows(null, AuditActions.SECURITY_ALERT, since)).anySatisfy(e -> assertThat(e.target())
                .isEqualTo("request:" + r.id()));
        assertThat(jdbc.queryForObject("select count(*) from sandbox_iam_user where user_name = ?", Integer.class,
                unit.slug() + "-" + r.applicationSlug() + "-bedrock")).isZero();
        assertThat(jdbc.queryForObject("select count(*) from application where business_unit_id = ?", Integer.class,
                unit.id())).isZero();
        assertThat(keys.forRequest(r.id())).isEmpty();
        // Security and the requester were told: by the next job (asyncBefore), which commits after the status.
        Awaitility.await("sara told").atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "select count(*) from notification where recipient = 'sara' and title = ?", Integer.class,
                "Provisioning of request #" + r.id() + " failed") > 0);
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'sara' and title = ?",
                Integer.class, "Provisioning of request #" + r.id() + " failed")).isEqualTo(1);
    }

    @Test
    void theGuardAcceptsOnlyTwoDistinctEligibleApprovalsInOrder() {
        BusinessUnit unit = Fixtures.unit(units, "guard", java.util.Set.of("mike", "mia"), java.util.Set.of("alice"));
        AccessRequest r = submit(unit);
        java.util.Set<RequestStatus> pending = java.util.Set.of(RequestStatus.PENDING_MANAGER);
        assertThat(guard.violation(r, java.util.Set.of(RequestStatus.APPROVED))).get().asString()
                .contains("request is PENDING_MANAGER");
        assertThat(guard.violation(r, pending)).get().asString().contains("no manager approval");

        Instant t = Instant.now();
        decisions.insert(new Decision(r.id(), Stage.MANAGER, "mike", true, null, t, "MANAGER"));
        assertThat(guard.violation(r, pending)).get().asString().contains("no security approval");

        decisions.insert(new Decision(r.id(), Stage.SECURITY, "mike", true, null, t.plusSeconds(1), "SECURITY"));
        assertThat(guard.violation(r, pending)).get().asString().contains("one person (mike) approved both stages");

        jdbc.update("update request_decision set decided_by = 'sara', decided_at = ? where request_id = ? and stage = "
                + "'SECURITY'", java.sql.Timestamp.from(t.minusSeconds(5)), r.id());
        assertThat(guard.violation(r, pending)).get().asString().contains("before the manager's");

        jdbc.update("update request_decision set decided_at = ? where request_id = ? and stage = 'SECURITY'",
                java.sql.Timestamp.from(t.plusSeconds(5)), r.id());
        assertThat(guard.violation(r, pending)).isEmpty();

        jdbc.update("update request_decision set decided_by = 'bob' where request_id = ? and stage = 'MANAGER'", r.id());
        assertThat(guard.violation(r, pending)).get().asString().contains("bob, who is not a manager of the unit");

        jdbc.update("update request_decision set decided_by = 'alice' where request_id = ? and stage = 'SECURITY'",
                r.id());
        jdbc.update("update request_decision set decided_by = 'mia' where request_id = ? and stage = 'MANAGER'", r.id());
        assertThat(guard.violation(r, pending)).get().asString().contains("the requester approved");

        jdbc.update("update request_decision set decided_by = 'sara', decided_as = 'MANAGER' where request_id = ? "
                + "and stage = 'SECURITY'", r.id());
        assertThat(guard.violation(r, pending)).get().asString().contains("did not decide as security");
    }

    @Test
    void expressionsReachOnlyTheBeansTheModelsNameAndNoReflection() {
        AccessRequest r = submit(Fixtures.unit(units, "expr"));
        String executionId = openTask(r).getExecutionId();
        assertThat(evaluate(executionId, "${approvers}")).isNotNull();
        assertThat(evaluate(executionId, "${requestId}")).isEqualTo(r.id());
        assertThatThrownBy(() -> evaluate(executionId, "${apiKeys}")).hasMessageContaining("apiKeys");
        assertThatThrownBy(() -> evaluate(executionId, "${approvalService}")).hasMessageContaining("approvalService");
        assertThatThrownBy(() -> evaluate(executionId, "${requestId.getClass().forName('java.lang.Runtime')}"))
                .hasStackTraceContaining("Reflection is not allowed");
        assertThatThrownBy(() -> evaluate(executionId, "${approvers['class']}"))
                .hasStackTraceContaining("Reflection is not allowed");
    }

    @Test
    void noScriptEngineAndNoDeploymentAfterStart() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine
                .getProcessEngineConfiguration();
        for (String language : List.of("javascript", "groovy", "juel", "python")) {
            assertThatThrownBy(() -> configuration.getScriptingEngines().getScriptEngineForLanguage(language))
                    .isInstanceOf(ProcessEngineException.class).hasMessageContaining("Scripts are disabled");
        }
        long before = repository.createDeploymentQuery().count();
        Instant since = Instant.now();
        assertThatThrownBy(() -> repository.createDeployment().addString("late.bpmn", LATE_MODEL).deploy())
                .isInstanceOf(AuthorizationException.class).hasMessageContaining("Deployments are closed");
        assertThat(repository.createDeploymentQuery().count()).isEqualTo(before);
        assertThat(rows("system", AuditActions.CAMUNDA_REFUSED, since)).isNotEmpty();
    }

    @Test
    void camundaUsersOfThePortalAreReadOnlyAndWhatAnyCamundaUserDoesIsAudited() {
        AccessRequest r = submit(Fixtures.unit(units, "oplog"));
        Task task = openTask(r);
        identity.setAuthentication("adam", List.of("portal-camunda-viewers"));
        try {
            assertThat(runtime.createProcessInstanceQuery().processInstanceId(task.getProcessInstanceId()).count())
                    .isEqualTo(1);
            assertThatThrownBy(() -> tasks.complete(task.getId(), Map.of("managerApproved", true)))
                    .isInstanceOf(AuthorizationException.class);
            assertThatThrownBy(() -> runtime.setVariable(task.getProcessInstanceId(), "managerApproved", true))
                    .isInstanceOf(AuthorizationException.class);
        } finally {
            identity.clearAuthentication();
        }

        // Were a Camunda user ever granted a write (by hand, by a future change), the operation lands in the audit.
        Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        grant.setUserId("op-tester");
        grant.setResource(Resources.PROCESS_INSTANCE);
        grant.setResourceId(task.getProcessInstanceId());
        grant.addPermission(Permissions.UPDATE);
        authorizations.saveAuthorization(grant);
        Instant since = Instant.now();
        identity.setAuthentication("op-tester", List.of());
        try {
            runtime.setVariable(task.getProcessInstanceId(), "note", "changed in Cockpit");
        } finally {
            identity.clearAuthentication();
            authorizations.deleteAuthorization(grant.getId());
        }
        assertThat(rows("op-tester", AuditActions.CAMUNDA_OPERATION, since)).singleElement().satisfies(e -> {
            assertThat(e.target()).contains("instance:" + task.getProcessInstanceId());
            assertThat(e.details()).contains("SetVariable");
        });
    }

    /**
     * Camunda's default grants a task's candidates the right to work it; here the engine grants nobody anything, so a
     * portal ADMIN who manages the unit (a candidate of its approval task) is as read-only in Camunda as any ADMIN.
     */
    @Test
    void aCandidateOfATaskGetsNoRightToWorkItInCamunda() {
        AccessRequest r = submit(Fixtures.unit(units, "candidate", Set.of("adam"), Set.of("alice")));
        Task task = openTask(r);
        assertThat(tasks.createTaskQuery().taskId(task.getId()).taskCandidateUser("adam").count()).isEqualTo(1);
        assertThat(authorizations.createAuthorizationQuery().userIdIn("adam").count()).isZero();
        assertThat(authorizations.createAuthorizationQuery().list()).allSatisfy(a -> assertThat(a.getGroupId())
                .isEqualTo("portal-camunda-viewers"));
        identity.setAuthentication("adam", List.of("portal-camunda-viewers"));
        try {
            assertThatThrownBy(() -> tasks.claim(task.getId(), "adam")).isInstanceOf(AuthorizationException.class);
            assertThatThrownBy(() -> tasks.complete(task.getId(), Map.of("managerApproved", true)))
                    .isInstanceOf(AuthorizationException.class);
            assertThatThrownBy(() -> tasks.setVariable(task.getId(), "requestId", 1L))
                    .isInstanceOf(AuthorizationException.class);
        } finally {
            identity.clearAuthentication();
        }
        assertThat(openTask(r).getId()).isEqualTo(task.getId());
        assertThat(openTask(r).getAssignee()).isNull();
    }

    @Test
    void aSealedKeyOpensForNobodyLoggedIn() {
        assertThatThrownBy(() -> RunAs.user("adam", () -> keys.openForCopy(1), "ADMIN"))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> RunAs.user("alice", () -> keys.openForCopy(1), "REQUESTER"))
                .isInstanceOf(AccessDeniedException.class);
    }

    private static final String LATE_MODEL = """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
              <process id="late" isExecutable="true" camunda:historyTimeToLive="P1D">
                <startEvent id="s"/>
              </process>
            </definitions>
            """;

    private Object evaluate(String executionId, String expression) {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine
                .getProcessEngineConfiguration();
        return configuration.getCommandExecutorTxRequired().execute(context -> {
            ExecutionEntity execution = context.getExecutionManager().findExecutionById(executionId);
            return configuration.getExpressionManager().createExpression(expression).getValue(execution);
        });
    }

    private AccessRequest submit(BusinessUnit unit) {
        return RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
    }

    private Task openTask(AccessRequest r) {
        return tasks.createTaskQuery().processInstanceBusinessKey(Long.toString(r.id())).singleResult();
    }

    private List<AuditEntry> rows(String actor, String action, Instant since) {
        return RunAs.user("sara", () -> audit.find(new AuditFilter(actor, action, null, since, null), 0, 200),
                "SECURITY");
    }
}
