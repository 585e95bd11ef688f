package com.bedrockportal.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyReveal;
import com.bedrockportal.lifecycle.CompromiseCase;
import com.bedrockportal.lifecycle.Compromises;
import com.bedrockportal.lifecycle.Rotations;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a node: requests that wait on a model an earlier release deployed keep that model (Camunda runs an
 * instance on the definition it started on), and this release's code must carry them to their end. For every earlier
 * released version of the access-request model ({@code model-history/}, one file per version, named by the day and
 * commit that deployed it): the node of that release has deployed it and a request was submitted on it; the upgraded
 * node then deploys this release's model (as it does at start) and the request's approvals, its provisioning and its
 * one-time reveal happen on this code. Both deployments come from another engine on the same database, as from
 * another node: this node refuses deployments once started ({@code EngineLockdownPlugin}).
 */
class ModelUpgradeIT extends PostgresSupport {

    static final String HISTORY = "model-history/";

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    KeyReveal reveal;
    @Autowired
    Compromises compromises;
    @Autowired
    Rotations rotations;
    @Autowired
    ApiKeys keys;
    @Autowired
    ManagementService management;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    JdbcTemplate jdbc;

    static ProcessEngine otherNode;

    @BeforeAll
    static void otherNode(@Autowired DataSource dataSource) {
        StandaloneProcessEngineConfiguration c = new StandaloneProcessEngineConfiguration();
        c.setProcessEngineName("other-node-" + UUID.randomUUID());
        c.setDataSource(dataSource);
        c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_FALSE);
        c.setJobExecutorActivate(false);
        c.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
        c.setHistoryTimeToLive("P180D");
        c.setIdGenerator(new StrongUuidGenerator());
        c.setMetricsEnabled(false);
        c.setDbMetricsReporterActivate(false);
        otherNode = c.buildProcessEngine();
    }

    @AfterAll
    static void stopOtherNode() {
        if (otherNode != null) {
            otherNode.close();
        }
    }

    static Stream<String> earlierRequestModels() throws IOException {
        return earlier(ProcessVariables.PROCESS_KEY, 6);
    }

    static Stream<String> earlierRotationModels() throws IOException {
        return earlier(ProcessVariables.ROTATION_PROCESS_KEY, 2);
    }

    static Stream<String> earlierCompromiseModels() throws IOException {
        return earlier(ProcessVariables.COMPROMISE_PROCESS_KEY, 2);
    }

    /** The files of a process's earlier models, oldest first. */
    private static Stream<String> earlier(String processKey, int atLeast) throws IOException {
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath:" + HISTORY + processKey
                + "/*.bpmn");
        List<String> names = Arrays.stream(files).map(f -> processKey + "/" + f.getFilename()).sorted().toList();
        assertThat(names).as("earlier models of " + processKey).hasSizeGreaterThanOrEqualTo(atLeast);
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("earlierRequestModels")
    void aRequestWaitingOnAnEarlierModelIsApprovedProvisionedAndRevealedOnThisRelease(String file) throws Exception {
        String earlier = deploy(ProcessVariables.PROCESS_KEY, HISTORY + file);
        BusinessUnit unit = Fixtures.unit(units, "upg");
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        ProcessInstance instance = runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(RequestWorkflow.businessKey(r.id())).singleResult();
        assertThat(instance.getProcessDefinitionId()).as("the request waits on the earlier model").isEqualTo(earlier);

        // The upgraded node starts and deploys this release's model; the request keeps the one it started on.
        String current = deploy(ProcessVariables.PROCESS_KEY, "bpmn/" + ProcessVariables.PROCESS_KEY + ".bpmn");
        assertThat(current).isNotEqualTo(earlier);

        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, "upgrade test"), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            assertThat(incidents(instance.getId())).as("incidents on the earlier model").isEmpty();
            return RequestStatus.valueOf(jdbc.queryForObject("select status from access_request where id = ?",
                    String.class, r.id())) == RequestStatus.PROVISIONED;
        });
        assertThat(jdbc.queryForObject("select count(*) from api_key where request_id = ? and status = "
                + "'PENDING_REVEAL'", Integer.class, r.id())).isEqualTo(1);

        KeyReveal.Result revealed = RunAs.afterFreshLogin("alice", () -> reveal.reveal(r.id()), "REQUESTER");
        assertThat(revealed).isInstanceOf(KeyReveal.Revealed.class);
        Arrays.fill(((KeyReveal.Revealed) revealed).key(), '\0');
        endedWithoutFailure(instance.getId(), earlier, "ReceiveTask_KeyRevealed");
        assertThat(jdbc.queryForObject("select status from api_key where request_id = ?", String.class, r.id()))
                .isEqualTo("ACTIVE");
    }

    /**
     * A compromise case waiting for security's triage on an earlier model: the triage is made on this release, and
     * the case ends as decided (a false alarm turns the key on again; a confirmed one rotates and deletes it, then
     * waits for the owner's report).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("earlierCompromiseModels")
    void aCompromiseCaseWaitingForTriageOnAnEarlierModelIsDecidedOnThisRelease(String file) throws Exception {
        for (boolean confirmed : new boolean[] { false, true }) {
            ApiKey key = revealedKey();
            String earlier = deploy(ProcessVariables.COMPROMISE_PROCESS_KEY, HISTORY + file);
            long caseId = RunAs.user("alice", () -> compromises.report(key.id(), "Pasted in a public channel"),
                    "REQUESTER").id();
            ProcessInstance instance = runtime.createProcessInstanceQuery().processDefinitionKey(
                    ProcessVariables.COMPROMISE_PROCESS_KEY).processInstanceBusinessKey(Long.toString(caseId))
                    .singleResult();
            assertThat(instance.getProcessDefinitionId()).isEqualTo(earlier);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                    .processInstanceId(instance.getId()).activityId("UserTask_SecurityTriage").count() == 1);
            deploy(ProcessVariables.COMPROMISE_PROCESS_KEY, "bpmn/" + ProcessVariables.COMPROMISE_PROCESS_KEY
                    + ".bpmn");

            RunAs.user("sara", () -> compromises.triage(caseId, confirmed, "Decided after the upgrade."), "SECURITY");
            CompromiseCase.Status expected = confirmed ? CompromiseCase.Status.REPORT_DUE
                    : CompromiseCase.Status.FALSE_ALARM;
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                assertThat(incidents(instance.getId())).as("incidents on the earlier model").isEmpty();
                return expected.name().equals(jdbc.queryForObject("select status from compromise_case where id = ?",
                        String.class, caseId));
            });
            if (confirmed) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                        .processInstanceId(instance.getId()).activityId("UserTask_PostIncidentReport").count() == 1);
                RunAs.user("alice", () -> compromises.submitReport(caseId, "Pasted in a public channel.",
                        "A key in a chat message.", "Rotated; the channel is private now."), "REQUESTER");
                endedWithoutFailure(instance.getId(), earlier, "EndEvent_CaseClosed");
                assertThat(jdbc.queryForObject("select status from api_key where id = ?", String.class, key.id()))
                        .isNotEqualTo("ACTIVE");
            } else {
                endedWithoutFailure(instance.getId(), earlier, "EndEvent_FalseAlarm");
                assertThat(jdbc.queryForObject("select status from api_key where id = ?", String.class, key.id()))
                        .isEqualTo("ACTIVE");
            }
        }
    }

    /**
     * A rotation waiting for its new key's reveal on an earlier model: the reveal, the owner's switch and the old
     * key's deletion happen on this release.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("earlierRotationModels")
    void aRotationWaitingForItsRevealOnAnEarlierModelEndsOnThisRelease(String file) throws Exception {
        ApiKey old = revealedKey();
        long app = jdbc.queryForObject("select application_id from api_key where id = ?", Long.class, old.id());
        String earlier = deploy(ProcessVariables.ROTATION_PROCESS_KEY, HISTORY + file);
        long rotation = RunAs.user("alice", () -> rotations.rotate(app, "Rotated across the upgrade"), "REQUESTER");
        ProcessInstance instance = runtime.createProcessInstanceQuery().processDefinitionKey(
                ProcessVariables.ROTATION_PROCESS_KEY).processInstanceBusinessKey(Long.toString(rotation))
                .singleResult();
        assertThat(instance.getProcessDefinitionId()).isEqualTo(earlier);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                .processInstanceId(instance.getId()).activityId("ReceiveTask_NewKeyRevealed").count() == 1);
        deploy(ProcessVariables.ROTATION_PROCESS_KEY, "bpmn/" + ProcessVariables.ROTATION_PROCESS_KEY + ".bpmn");

        ApiKey fresh = keys.forRotation(rotation).orElseThrow();
        KeyReveal.Result revealed = RunAs.afterFreshLogin("alice", () -> reveal.revealKey(fresh.id()), "REQUESTER");
        Arrays.fill(((KeyReveal.Revealed) revealed).key(), '\0');
        awaitRotation(instance.getId(), rotation, "OVERLAP");
        RunAs.user("alice", () -> rotations.confirmSwitched(rotation), "REQUESTER");
        awaitRotation(instance.getId(), rotation, "CUT_OVER");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery().processInstanceId(
                instance.getId()).timers().activityId("Event_DeleteAfter").count() == 1);
        management.executeJob(management.createJobQuery().processInstanceId(instance.getId()).timers()
                .activityId("Event_DeleteAfter").singleResult().getId());
        awaitRotation(instance.getId(), rotation, "COMPLETED");
        endedWithoutFailure(instance.getId(), earlier, "EndEvent_Rotated");
        assertThat(jdbc.queryForObject("select status from api_key where id = ?", String.class, old.id()))
                .isEqualTo("DELETED");
        assertThat(jdbc.queryForObject("select status from api_key where id = ?", String.class, fresh.id()))
                .isEqualTo("ACTIVE");
    }

    private void awaitRotation(String processInstanceId, long rotation, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            assertThat(incidents(processInstanceId)).as("incidents on the earlier model").isEmpty();
            return status.equals(jdbc.queryForObject("select status from key_rotation where id = ?", String.class,
                    rotation));
        });
    }

    /** A key of a new request of alice's, provisioned on this release's model and revealed. */
    private ApiKey revealedKey() {
        BusinessUnit unit = Fixtures.unit(units, "upc");
        AccessRequest r = Fixtures.submitAndApprove(requests, approvals, unit.id());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "PROVISIONED".equals(jdbc.queryForObject(
                "select status from access_request where id = ?", String.class, r.id())));
        KeyReveal.Result revealed = RunAs.afterFreshLogin("alice", () -> reveal.reveal(r.id()), "REQUESTER");
        Arrays.fill(((KeyReveal.Revealed) revealed).key(), '\0');
        return ((KeyReveal.Revealed) revealed).meta();
    }

    private void endedWithoutFailure(String processInstanceId, String definition, String lastActivity) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> history.createHistoricProcessInstanceQuery()
                .processInstanceId(processInstanceId).singleResult().getEndTime() != null);
        HistoricProcessInstance ended = history.createHistoricProcessInstanceQuery().processInstanceId(
                processInstanceId).singleResult();
        assertThat(ended.getProcessDefinitionId()).isEqualTo(definition);
        assertThat(ended.getState()).isEqualTo(HistoricProcessInstance.STATE_COMPLETED);
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId)
                .activityId(lastActivity).finished().count()).isEqualTo(1);
        assertThat(history.createHistoricJobLogQuery().processInstanceId(processInstanceId).failureLog().count())
                .as("failed attempts of the process's steps").isZero();
    }

    private List<Incident> incidents(String processInstanceId) {
        return runtime.createIncidentQuery().processInstanceId(processInstanceId).list();
    }

    /** Deploys the model as the other node did (or does at its start); its definition's id. */
    private static String deploy(String processKey, String resource) throws IOException {
        String xml;
        try (InputStream in = ModelUpgradeIT.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String deployment = otherNode.getRepositoryService().createDeployment().name("upgrade test")
                .addString(processKey + ".bpmn", xml).deploy().getId();
        return otherNode.getRepositoryService().createProcessDefinitionQuery().deploymentId(deployment)
                .singleResult().getId();
    }
}
