package com.bedrockportal.key;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.Reauthentication;
import com.bedrockportal.notification.ChatWebhooks;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.DataClassification;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole journey on PostgreSQL — request, approvals, provisioning with a Secrets Manager copy, reveal — then a
 * search of every column of every table (the portal's and Camunda's ACT_* tables, history and byte arrays
 * included) and of every log line the run wrote, for the key: zero hits. And the reveal window: an unrevealed key
 * is disabled in the account and its sealed copy deleted.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeyLeakIT extends PostgresSupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    KeyReveal reveal;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ChatWebhooks chat;

    @Test
    void theKeyIsInNoTableAndNoLogLineAfterTheFullJourney(CapturedOutput output) {
        AccessRequest r = provisioned(true);
        String key = revealAsRequester(r);
        assertThat(key).startsWith("ABSK").hasSizeGreaterThan(60);
        // The reveal reaches the process after its commit (an @ApplicationModuleListener): the process goes on and
        // the stored publication is completed (and removed).
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                .processInstanceBusinessKey(Long.toString(r.id())).activityId("ReceiveTask_KeyRevealed").count() == 0);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from event_publication where serialized_event = ?", Integer.class,
                "{\"requestId\":" + r.id() + "}") == 0);

        String tail = key.substring(12); // everything but the prefix the portal may show
        List<String> hits = new ArrayList<>();
        for (Map<String, Object> column : jdbc.queryForList("""
                select table_name, column_name, data_type from information_schema.columns
                where table_schema = current_schema()
                  and data_type in ('character varying', 'text', 'character', 'bytea')""")) {
            String table = (String) column.get("table_name");
            String name = (String) column.get("column_name");
            String expression = "bytea".equals(column.get("data_type"))
                    ? "position(convert_to(?, 'UTF8') in \"" + name + "\") > 0"
                    : "position(? in \"" + name + "\") > 0";
            Integer count = jdbc.queryForObject("select count(*) from \"" + table + "\" where " + expression,
                    Integer.class, tail);
            if (count != null && count > 0) {
                hits.add(table + "." + name);
            }
        }
        assertThat(jdbc.queryForObject("select count(*) from information_schema.tables where table_schema = "
                + "current_schema() and lower(table_name) like 'act_%'", Integer.class)).isGreaterThan(40);
        assertThat(hits).as("columns holding the key").isEmpty();
        assertThat(jdbc.queryForList("select subject from mail_outbox where channel = 'SLACK' and body like ?",
                String.class, "%requests/" + r.id() + "%")).as("the unit's Slack posts, searched above")
                .anyMatch(t -> t.contains("is ready")).anyMatch(t -> t.contains("awaits security review"));
        assertThat(output.getAll()).doesNotContain(tail).doesNotContain(key.substring(4, 30));
        assertThat(jdbc.queryForObject("select secret_arn from api_key where request_id = ?", String.class, r.id()))
                .contains("/bedrock/api-key");
    }

    @Test
    void aKeyNotRevealedInTimeIsDisabledInTheAccountAndItsSealedCopyDeleted() {
        AccessRequest r = provisioned(false);
        String credential = jdbc.queryForObject("select credential_id from api_key where request_id = ?",
                String.class, r.id());
        String instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(Long.toString(r.id()))
                .singleResult().getId();
        var job = management.createJobQuery().processInstanceId(instance)
                .activityId("BoundaryEvent_RevealWindowPassed").singleResult();
        assertThat(job.getDuedate().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3)).minusSeconds(600));
        // Fired before the window's end, the step refuses and the key stays as it was.
        assertThatThrownBy(() -> management.executeJob(job.getId())).hasMessageContaining("may be revealed until");
        assertThat(jdbc.queryForObject("select status from sandbox_credential where id = ?", String.class, credential))
                .isEqualTo("Active");
        assertThat(jdbc.queryForObject("select status from api_key where request_id = ?", String.class, r.id()))
                .isEqualTo("PENDING_REVEAL");

        // The window's end, now.
        jdbc.update("update api_key set reveal_deadline = ? where request_id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(60)), r.id());
        management.executeJob(job.getId());

        assertThat(jdbc.queryForObject("select status from sandbox_credential where id = ?", String.class, credential))
                .isEqualTo("Inactive");
        assertThat(jdbc.queryForMap("select status, sealed_secret from api_key where request_id = ?", r.id()))
                .containsEntry("status", "INACTIVE").containsEntry("sealed_secret", null);
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and title = ?",
                Integer.class, "Your key for request #" + r.id() + " was disabled")).isEqualTo(1);
        assertThat(jdbc.queryForList("select type from request_event where request_id = ?", String.class, r.id()))
                .contains("KEY_DISABLED_UNREVEALED");
        assertThat(revealAs(r)).isInstanceOf(KeyReveal.NotAvailable.class);
    }

    private AccessRequest provisioned(boolean storeSecret) {
        BusinessUnit unit = Fixtures.unit(units, "lk");
        // The unit's Slack channel gets the journey's news too (queued in the outbox, never sent from tests).
        RunAs.user("mike", () -> chat.set(unit.id(), ChatWebhooks.Channel.SLACK,
                "https://hooks.slack.com/services/T0LEAK/B0LEAK/leakcheck"), "MANAGER");
        RequestDraft draft = Fixtures.request(unit.id());
        draft.setStoreSecret(storeSecret);
        draft.setDataClassification(DataClassification.CONFIDENTIAL);
        AccessRequest r = RunAs.user("alice", () -> requests.submit(draft), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> runtime.createExecutionQuery()
                .processInstanceBusinessKey(Long.toString(r.id())).activityId("ReceiveTask_KeyRevealed").count() == 1);
        return r;
    }

    private KeyReveal.Result revealAs(AccessRequest r) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.getSession(true).setAttribute(Reauthentication.SESSION_ATTRIBUTE, Instant.now());
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        try {
            return RunAs.user("alice", () -> reveal.reveal(r.id()), "REQUESTER");
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
    }

    private String revealAsRequester(AccessRequest r) {
        KeyReveal.Result result = revealAs(r);
        assertThat(result).isInstanceOf(KeyReveal.Revealed.class);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runtime
                .createProcessInstanceQuery().processInstanceBusinessKey(Long.toString(r.id())).count() == 0);
        return new String(((KeyReveal.Revealed) result).key());
    }
}
