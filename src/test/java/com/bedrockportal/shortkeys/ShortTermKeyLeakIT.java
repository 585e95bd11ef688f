package com.bedrockportal.shortkeys;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.identity.Reauthentication;
import com.bedrockportal.provisioning.Decommissioner;
import com.bedrockportal.provisioning.Provisioner;
import com.bedrockportal.provisioning.ProvisioningStep;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;

import org.awaitility.Awaitility;
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

/**
 * 12-hour keys on PostgreSQL with the simulated account: a short-term-only request is approved and provisioned as an
 * IAM role (no user, no long-term key, no reveal), its steps replayed create nothing twice; its owner gets a key after
 * a fresh login; the key is in no column of any table (Camunda's included) and no log line, and its audit entry names
 * the session's access key id prefix only; others are refused; decommissioning deletes the role.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShortTermKeyLeakIT extends PostgresSupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    ApplicationService applications;
    @Autowired
    ShortTermKeys keys;
    @Autowired
    Provisioner provisioner;
    @Autowired
    Decommissioner decommissioner;
    @Autowired
    ModelCatalog catalog;
    @Autowired
    RuntimeService runtime;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    com.bedrockportal.sandbox.SimulatedAccount account;
    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;

    @Test
    void aShortTermApplicationGetsARoleAndItsOwnerAKeyThatIsStoredNowhere(CapturedOutput output) {
        BusinessUnit unit = Fixtures.unit(units, "sk");
        RequestDraft draft = Fixtures.request(unit.id());
        draft.setShortTermOnly(true);
        AccessRequest r = RunAs.user("alice", () -> requests.submit(draft), "REQUESTER");
        assertThat(r.shortTermOnly()).isTrue();
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(Long.toString(r.id())).count() == 0);

        AccessRequest done = RunAs.user("alice", () -> requests.find(r.id()).orElseThrow(), "REQUESTER");
        assertThat(done.status()).isEqualTo(RequestStatus.PROVISIONED);
        Application app = applications.load(done.applicationId());
        String role = app.names().iamUser();
        assertThat(app.shortTermOnly()).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from sandbox_iam_role where role_name = ?", Integer.class,
                role)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select max_session_seconds from sandbox_iam_role where role_name = ?",
                Integer.class, role)).isEqualTo(43_200);
        assertThat(jdbc.queryForObject("select trust_policy from sandbox_iam_role where role_name = ?", String.class,
                role)).contains(provisioner.portalPrincipal()).contains("sts:AssumeRole");
        assertThat(jdbc.queryForObject("select document from sandbox_role_policy where role_name = ?", String.class,
                role)).contains("bedrock:CallWithBearerToken").contains("amazon.nova-lite-v1:0");
        assertThat(jdbc.queryForList("select tag_key from sandbox_iam_role_tag where role_name = ?", String.class,
                role)).contains("business-unit", "application");
        assertThat(jdbc.queryForObject("select count(*) from sandbox_iam_user where user_name = ?", Integer.class,
                role)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from api_key where request_id = ?", Integer.class, r.id()))
                .isZero();

        // A replayed step finds the role and creates nothing twice.
        Provisioner.Order order = new Provisioner.Order(r.id(), "alice", unit.id(), unit.slug(), app.id(), app.slug(),
                role, app.names().budgetName(), app.names().secretName(), unit.costCenter(), "alice@example.com",
                "internal", catalog.find(r.models()), r.regions(), r.sourceCidrs(), r.lifetimeDays(),
                r.monthlyBudget(), r.alertThreshold(), r.alertEmails(), false, false, true, null);
        assertThat(provisioner.run(ProvisioningStep.IAM_USER, order)).contains("exists");
        assertThat(provisioner.run(ProvisioningStep.POLICY, order)).contains("role " + role);
        assertThat(jdbc.queryForObject("select count(*) from sandbox_iam_role where role_name = ?", Integer.class,
                role)).isEqualTo(1);
        // The applied policy is kept once per request (the evidence pack's copy), as the role holds it.
        assertThat(jdbc.queryForObject("select policy_json from applied_policy where request_id = ? and "
                + "principal_kind = 'ROLE'", String.class, r.id())).isEqualTo(jdbc.queryForObject(
                        "select document from sandbox_role_policy where role_name = ?", String.class, role));

        // Not logged in again: sent to the login first, nothing issued.
        assertThat(as("alice", null, () -> keys.issue(app.id(), null))).isInstanceOf(ShortTermKeys.LoginAgain.class);
        // Not the owner: the unit's manager and another unit's requester are refused.
        assertThat(as("mike", Instant.now(), () -> keys.issue(app.id(), null)))
                .isInstanceOf(ShortTermKeys.NotAvailable.class);
        assertThat(as("bob", Instant.now(), () -> keys.issue(app.id(), null)))
                .isInstanceOf(ShortTermKeys.NotAvailable.class);

        ShortTermKeys.Result result = as("alice", Instant.now(), () -> keys.issue(app.id(), null));
        assertThat(result).isInstanceOf(ShortTermKeys.Issued.class);
        ShortTermKeys.Issued issued = (ShortTermKeys.Issued) result;
        String key = new String(issued.key());
        assertThat(key).startsWith("bedrock-api-key-");
        String url = URLDecoder.decode(new String(Base64.getDecoder().decode(key.substring(16)),
                StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(url).startsWith("bedrock.amazonaws.com/?").contains("Action=CallWithBearerToken")
                .contains("X-Amz-Credential=" + issued.sessionKeyPrefix()).contains("/us-east-1/bedrock/aws4_request")
                .contains("X-Amz-Security-Token=").contains("X-Amz-Expires=43200").endsWith("&Version=1");
        assertThat(issued.expiresAt()).isAfter(Instant.now().plus(Duration.ofHours(11)));
        assertThat(issued.toString()).doesNotContain(key.substring(16, 40));

        String signature = url.replaceAll("(?s).*X-Amz-Signature=([0-9a-f]{64}).*", "$1");
        String token = url.replaceAll("(?s).*X-Amz-Security-Token=([^&]+).*", "$1");
        String tail = key.substring(40, 90);
        List<String> hits = new ArrayList<>();
        for (Map<String, Object> column : jdbc.queryForList("""
                select table_name, column_name, data_type from information_schema.columns
                where table_schema = current_schema()
                  and data_type in ('character varying', 'text', 'character', 'bytea')""")) {
            String table = (String) column.get("table_name");
            String name = (String) column.get("column_name");
            for (String secret : List.of(tail, signature, token.substring(0, 40))) {
                String expression = "bytea".equals(column.get("data_type"))
                        ? "position(convert_to(?, 'UTF8') in \"" + name + "\") > 0"
                        : "position(? in \"" + name + "\") > 0";
                Integer count = jdbc.queryForObject("select count(*) from \"" + table + "\" where " + expression,
                        Integer.class, secret);
                if (count != null && count > 0) {
                    hits.add(table + "." + name);
                }
            }
        }
        assertThat(hits).as("columns holding the 12-hour key or its session").isEmpty();
        assertThat(output.getAll()).doesNotContain(tail).doesNotContain(signature)
                .doesNotContain(token.substring(0, 40));

        List<Map<String, Object>> audit = jdbc.queryForList("select actor, details from audit_event where action = ? "
                + "and target = ?", ShortTermKeys.AUDIT_ISSUED, "application:" + app.id());
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0)).containsEntry("actor", "alice");
        assertThat((String) audit.get(0).get("details")).contains("session access key id "
                + issued.sessionKeyPrefix() + "…").contains("expires ").contains("us-east-1");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = ? and target = ?",
                Integer.class, ShortTermKeys.AUDIT_REFUSED, "application:" + app.id())).isEqualTo(2);

        // AWS refuses the role: alice is told which call and why, with a log reference, never AWS's own words (they
        // can name the portal's role and account); nothing is issued.
        com.bedrockportal.sandbox.SandboxFaults.fail(account, "AssumeRole", "ACCESS_DENIED");
        try {
            assertThat(as("alice", Instant.now(), () -> keys.issue(app.id(), null))).isInstanceOfSatisfying(
                    ShortTermKeys.NotAvailable.class, n -> assertThat(n.reason())
                            .contains("AssumeRole: access denied (log reference ").doesNotContain("injected"));
        } finally {
            com.bedrockportal.sandbox.SandboxFaults.clear(account);
        }
        // AWS does not answer (or this node's pages already wait on it, PageCallGate): try again; until 6 December
        // the page showed Vaadin's error view.
        for (String operation : java.util.List.of("GetRole", "AssumeRole")) {
            com.bedrockportal.sandbox.SandboxFaults.fail(account, operation, "TRANSIENT");
            try {
                assertThat(as("alice", Instant.now(), () -> keys.issue(app.id(), null))).as(operation)
                        .isInstanceOfSatisfying(ShortTermKeys.NotAvailable.class, n -> assertThat(n.reason())
                                .isEqualTo("AWS did not answer in time; no key was issued. Try again in a minute."));
            } finally {
                com.bedrockportal.sandbox.SandboxFaults.clear(account);
            }
        }

        // A decommission that commits while the issue waits for the application's row: nothing is issued.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<ShortTermKeys.Result> waiting = transactions.execute(tx -> {
                applications.lock(app.id());
                java.util.concurrent.Future<ShortTermKeys.Result> f = pool.submit(() -> as("alice", Instant.now(),
                        () -> keys.issue(app.id(), null)));
                Fixtures.awaitApplicationLockWaiters(jdbc, 1);
                jdbc.update("update application set status = 'DECOMMISSIONING' where id = ?", app.id());
                return f;
            });
            assertThat(waiting.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOfSatisfying(
                    ShortTermKeys.NotAvailable.class, n -> assertThat(n.reason()).contains("decommissioning"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
            jdbc.update("update application set status = 'ACTIVE' where id = ?", app.id());
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = ? and target = ?",
                Integer.class, ShortTermKeys.AUDIT_ISSUED, "application:" + app.id())).isEqualTo(1);

        // Decommissioning deletes the role's policy, then the role (each again: nothing to do).
        Decommissioner.Target target = new Decommissioner.Target(app.id(), role, app.names().budgetName(), null);
        assertThat(decommissioner.deletePolicy(target).detail()).isEqualTo("deleted inline policy");
        assertThat(decommissioner.deleteUser(target).detail()).contains("deleted IAM role");
        assertThat(decommissioner.deleteUser(target).detail()).isEqualTo("already gone");
        assertThat(jdbc.queryForObject("select count(*) from sandbox_iam_role where role_name = ?", Integer.class,
                role)).isZero();
    }

    private static <T> T as(String user, Instant reauthenticatedAt, Supplier<T> action) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        if (reauthenticatedAt != null) {
            request.getSession(true).setAttribute(Reauthentication.SESSION_ATTRIBUTE, reauthenticatedAt);
        }
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        try {
            return RunAs.user(user, action::get, "REQUESTER");
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
    }
}
