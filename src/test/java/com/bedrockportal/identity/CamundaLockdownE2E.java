package com.bedrockportal.identity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditEntry;
import com.bedrockportal.audit.AuditFilter;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The assessment's path around the portal, replayed as adam through the real HTTP endpoints: deploying a model
 * whose expression reads a key, completing approval tasks with forged variables, changing variables. Each is refused,
 * nothing changes, and each refusal is in the portal's audit log.
 */
class CamundaLockdownE2E extends E2ESupport {

    /** A model whose service task would read alice's sealed key through a Spring bean. */
    private static final String EVIL_MODEL = """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
              <process id="evil" isExecutable="true" camunda:historyTimeToLive="P1D">
                <startEvent id="s"/>
                <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
                <serviceTask id="t" camunda:expression="${apiKeys.openForCopy(1)}" camunda:resultVariable="k"/>
                <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
                <endEvent id="e"/>
              </process>
            </definitions>
            """;

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
    RepositoryService repository;
    @Autowired
    AuditLog audit;

    @Test
    void adamCannotDeployAModelThroughTheRestApiOrCockpitsApi() {
        long deployments = repository.createDeploymentQuery().count();
        Instant since = Instant.now();
        loginAs("adam");
        APIRequestContext http = page.context().request();

        APIResponse rest = http.post(BASE + "/engine-rest/deployment/create", RequestOptions.create()
                .setMultipart(deployment()));
        assertThat(rest.status()).isEqualTo(403);

        String xsrf = openCockpit();
        APIResponse cockpit = http.post(BASE + "/camunda/api/engine/engine/default/deployment/create",
                RequestOptions.create().setHeader("X-XSRF-TOKEN", xsrf).setMultipart(deployment()));
        assertThat(cockpit.status()).isEqualTo(403);

        assertThat(repository.createDeploymentQuery().count()).isEqualTo(deployments);
        assertThat(rows("adam", AuditActions.ACCESS_DENIED, since))
                .anySatisfy(e -> assertThat(e.target()).isEqualTo("POST /engine-rest/deployment/create"));
        assertThat(rows("adam", AuditActions.CAMUNDA_REFUSED, since)).anySatisfy(e -> assertThat(e.target())
                .isEqualTo("POST /camunda/api/engine/engine/default/deployment/create"));
    }

    @Test
    void adamCannotApproveAloneByCompletingTasksOrWritingVariables() {
        BusinessUnit unit = Fixtures.unit(units, "lock");
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        Task managerTask = tasks.createTaskQuery().processInstanceBusinessKey(Long.toString(r.id())).singleResult();
        Instant since = Instant.now();
        loginAs("adam");
        APIRequestContext http = page.context().request();
        String approve = "{\"variables\":{\"managerApproved\":{\"value\":true,\"type\":\"Boolean\"}}}";

        APIResponse rest = http.post(BASE + "/engine-rest/task/" + managerTask.getId() + "/complete", json(approve));
        assertThat(rest.status()).isEqualTo(403);
        APIResponse restVars = http.post(BASE + "/engine-rest/process-instance/" + managerTask.getProcessInstanceId()
                + "/variables", json("{\"modifications\":{\"managerApproved\":{\"value\":true,\"type\":\"Boolean\"}}}"));
        assertThat(restVars.status()).isEqualTo(403);

        String xsrf = openCockpit();
        String api = BASE + "/camunda/api/engine/engine/default";
        APIResponse complete = http.post(api + "/task/" + managerTask.getId() + "/complete",
                json(approve).setHeader("X-XSRF-TOKEN", xsrf));
        assertThat(complete.status()).isEqualTo(403);
        APIResponse vars = http.post(api + "/process-instance/" + managerTask.getProcessInstanceId() + "/variables",
                json("{\"modifications\":{\"managerApproved\":{\"value\":true,\"type\":\"Boolean\"}}}")
                        .setHeader("X-XSRF-TOKEN", xsrf));
        assertThat(vars.status()).isEqualTo(403);
        APIResponse put = http.put(api + "/process-instance/" + managerTask.getProcessInstanceId()
                + "/variables/managerApproved", json("{\"value\":true,\"type\":\"Boolean\"}")
                .setHeader("X-XSRF-TOKEN", xsrf));
        assertThat(put.status()).isEqualTo(403);

        // Nothing moved: the manager task is still open, the request still waits for its manager, no decision.
        assertThat(tasks.createTaskQuery().taskId(managerTask.getId()).count()).isEqualTo(1);
        assertThat(lifecycle.get(r.id()).orElseThrow().status()).isEqualTo(RequestStatus.PENDING_MANAGER);
        assertThat(RunAs.user("sara", () -> approvals.decisions(r.id()), "SECURITY")).isEmpty();
        assertThat(rows("adam", AuditActions.ACCESS_DENIED, since)).extracting(AuditEntry::target)
                .contains("POST /engine-rest/task/" + managerTask.getId() + "/complete");
        assertThat(rows("adam", AuditActions.ACCESS_DENIED, since)).extracting(AuditEntry::target)
                .contains("POST /camunda/api/engine/engine/default/task/" + managerTask.getId() + "/complete");
        assertThat(rows("adam", AuditActions.CAMUNDA_REFUSED, since)).extracting(AuditEntry::target)
                .contains("POST /camunda/api/engine/engine/default/process-instance/"
                        + managerTask.getProcessInstanceId() + "/variables");
    }

    /**
     * adam manages the unit himself, so he is a candidate of its approval task, which by Camunda's default gives him
     * the right to work it. Neither completing it, nor naming himself assignee, nor commenting or attaching (which
     * the engine checks no permission for) goes through Camunda's API; in the portal he would be its manager.
     */
    @Test
    void adamAsTheUnitsOwnManagerStillCannotWorkItsTaskThroughCamunda() {
        BusinessUnit unit = Fixtures.unit(units, "lockmgr", Set.of("adam"), Set.of("alice"));
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        Task managerTask = tasks.createTaskQuery().processInstanceBusinessKey(Long.toString(r.id())).singleResult();
        assertThat(tasks.createTaskQuery().taskId(managerTask.getId()).taskCandidateUser("adam").count())
                .isEqualTo(1);
        Instant since = Instant.now();
        loginAs("adam");
        APIRequestContext http = page.context().request();
        String xsrf = openCockpit();
        String task = BASE + "/camunda/api/engine/engine/default/task/" + managerTask.getId();

        APIResponse complete = http.post(task + "/complete", json(
                "{\"variables\":{\"managerApproved\":{\"value\":true,\"type\":\"Boolean\"}}}")
                .setHeader("X-XSRF-TOKEN", xsrf));
        assertThat(complete.status()).isEqualTo(403);
        APIResponse claim = http.post(task + "/claim", json("{\"userId\":\"adam\"}").setHeader("X-XSRF-TOKEN", xsrf));
        assertThat(claim.status()).isEqualTo(403);
        APIResponse comment = http.post(task + "/comment/create", json("{\"message\":\"approved in Cockpit\"}")
                .setHeader("X-XSRF-TOKEN", xsrf));
        assertThat(comment.status()).isEqualTo(403);
        APIResponse attachment = http.post(task + "/attachment/create", RequestOptions.create()
                .setHeader("X-XSRF-TOKEN", xsrf).setMultipart(FormData.create().set("attachment-name", "x")
                        .set("url", "https://example.org/approval")));
        assertThat(attachment.status()).isEqualTo(403);
        // The path spelled with an escape (%61 is a), without the XSRF header: refused before Camunda sees it (Spring
        // cannot place the escaped path under Camunda's servlet), and adam's session is kept.
        APIResponse escaped = http.post(BASE + "/camunda/%61pi/engine/engine/default/task/" + managerTask.getId()
                + "/complete", json("{}"));
        assertThat(escaped.status()).isGreaterThanOrEqualTo(400);
        assertThat(http.get(BASE + "/keys", RequestOptions.create().setMaxRedirects(0)).status()).as("still logged in")
                .isEqualTo(200);

        assertThat(tasks.createTaskQuery().taskId(managerTask.getId()).taskUnassigned().count()).isEqualTo(1);
        assertThat(tasks.getTaskComments(managerTask.getId())).isEmpty();
        assertThat(tasks.getTaskAttachments(managerTask.getId())).isEmpty();
        assertThat(lifecycle.get(r.id()).orElseThrow().status()).isEqualTo(RequestStatus.PENDING_MANAGER);
        // Refused at the door (the engine, which now grants candidates nothing, would refuse too: ProcessLockdownIT).
        assertThat(rows("adam", AuditActions.ACCESS_DENIED, since)).extracting(AuditEntry::target)
                .contains("POST /camunda/api/engine/engine/default/task/" + managerTask.getId() + "/complete",
                        "POST /camunda/api/engine/engine/default/task/" + managerTask.getId() + "/claim",
                        "POST /camunda/api/engine/engine/default/task/" + managerTask.getId() + "/comment/create");
    }

    @Test
    void adamStillWatchesProcessesInCockpitAndReadsTheRestApi() {
        BusinessUnit unit = Fixtures.unit(units, "watch");
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        loginAs("adam");
        openCockpit();
        APIResponse instances = page.context().request().get(BASE
                + "/engine-rest/process-instance?businessKey=" + r.id());
        assertThat(instances.status()).isEqualTo(200);
        assertThat(instances.text()).contains("\"businessKey\":\"" + r.id() + "\"");
        APIResponse history = page.context().request().get(BASE + "/engine-rest/history/task?processInstanceBusinessKey="
                + r.id());
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.text()).contains("Task_ManagerApproval");
        // Tasklist and Admin (task work, authorizations) are not among adam's Camunda apps.
        APIResponse auth = page.context().request().get(BASE + "/camunda/api/admin/auth/user/default");
        assertThat(auth.text()).contains("cockpit").doesNotContain("tasklist").doesNotContain("\"admin\"");
    }

    @Test
    void aCamundaCallWithoutItsCsrfHeaderIsRefusedWithoutLoggingTheAdminOut() {
        Instant since = Instant.now();
        loginAs("adam");
        openCockpit();
        APIResponse forged = page.context().request().post(BASE + "/camunda/api/engine/engine/default/process-instance",
                json("{}"));
        assertThat(forged.status()).isEqualTo(403);
        // The session survived: the portal and Camunda still know adam.
        APIResponse auth = page.context().request().get(BASE + "/camunda/api/admin/auth/user/default");
        assertThat(auth.status()).isEqualTo(200);
        assertThat(auth.text()).contains("\"userId\":\"adam\"");
        page.navigate(BASE + "/");
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("vaadin-app-layout"))
                .isVisible();
        assertThat(rows("adam", AuditActions.CAMUNDA_REFUSED, since)).anySatisfy(e -> assertThat(e.details())
                .contains("X-XSRF-TOKEN"));
    }

    /** Opens Cockpit (which sets Camunda's XSRF-TOKEN cookie) and returns the token. */
    private String openCockpit() {
        page.navigate(BASE + "/camunda/app/cockpit/default/");
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.getByText("Running Process Instances"))
                .isVisible();
        return page.context().cookies(BASE + "/camunda/").stream().filter(c -> c.name.equals("XSRF-TOKEN"))
                .findFirst().orElseThrow().value;
    }

    private static FormData deployment() {
        return FormData.create().set("deployment-name", "evil")
                .set("data", new FilePayload("evil.bpmn", "text/xml", EVIL_MODEL.getBytes(StandardCharsets.UTF_8)));
    }

    private static RequestOptions json(String body) {
        return RequestOptions.create().setHeader("Content-Type", "application/json").setData(body);
    }

    private List<AuditEntry> rows(String actor, String action, Instant since) {
        return RunAs.user("sara", () -> audit.find(new AuditFilter(actor, action, null, since, null), 0, 200),
                "SECURITY");
    }
}
