package com.bedrockportal.workflow;

import java.time.Duration;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyReveal;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.sandbox.Faults;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key is handed over only when its request is provisioned: AWS refuses the budget step after the key was made, the
 * request fails, and the key is deleted in AWS, its sealed copy gone, never shown; the requester is told so.
 */
class ProvisioningFailureIT extends PostgresSupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    SimulatedAccount account;
    @Autowired
    ApiKeys keys;
    @Autowired
    KeyReveal reveal;
    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void noFaults() {
        Faults.none(account);
    }

    @Test
    void aKeyMadeBeforeAFailedStepIsDisabledAndNeverShown() {
        BusinessUnit unit = Fixtures.unit(units, "pf", Set.of("mike"), Set.of("alice"));
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        Faults.failing(account, "CreateBudget", "ACCESS_DENIED");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "PROVISIONING_FAILED".equals(jdbc.queryForObject(
                "select status from access_request where id = ?", String.class, r.id())));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from notification where recipient = 'alice' and title = ?", Integer.class,
                "Provisioning of request #" + r.id() + " failed") == 1);

        ApiKey key = keys.forRequest(r.id()).orElseThrow();
        assertThat(key.status().name()).isEqualTo("DELETED");
        assertThat(key.sealedCopy()).isFalse();
        assertThat(key.statusReason()).contains("failed before the key was handed over");
        // Deleted in AWS, not only disabled: its slot is free for the application's next key.
        assertThat(jdbc.queryForObject("select count(*) from sandbox_credential where id = ?", Integer.class,
                key.credentialId())).isZero();
        assertThat(jdbc.queryForObject("select body from notification where recipient = 'alice' and title = ?",
                String.class, "Provisioning of request #" + r.id() + " failed"))
                .contains("deleted in AWS and will not be shown")
                // AWS's own words (which can name the portal's role and account) stay in the log.
                .contains("Monthly budget with alerts failed: CreateBudget: access denied (log reference ")
                .doesNotContain("injected");
        assertThat(jdbc.queryForObject("select comment from request_event where request_id = ? and type = ?",
                String.class, r.id(), "PROVISIONING_FAILED")).doesNotContain("injected");
        // Even right after a fresh login.
        assertThat(RunAs.afterFreshLogin("alice", () -> reveal.reveal(r.id()), "REQUESTER"))
                .isInstanceOf(KeyReveal.NotAvailable.class);

        // The application exists in part (its name is taken): the notice says how to finish it, and finishing it
        // with a change that also issues a key works once AWS answers.
        assertThat(jdbc.queryForObject("select body from notification where recipient = 'alice' and title = ?",
                String.class, "Provisioning of request #" + r.id() + " failed"))
                .contains(r.applicationName() + " exists in part").contains("Also issue a new API key")
                .doesNotContain("submit a new request");
        Faults.none(account);
        long app = jdbc.queryForObject("select application_id from access_request where id = ?", Long.class, r.id());
        com.bedrockportal.request.RequestDraft finish = Fixtures.request(unit.id());
        finish.setKind(AccessRequest.Kind.CHANGE);
        finish.setApplicationId(app);
        finish.setNewKey(true);
        AccessRequest finishing = RunAs.user("alice", () -> requests.submit(finish), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(finishing.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(finishing.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "PROVISIONED".equals(jdbc.queryForObject(
                "select status from access_request where id = ?", String.class, finishing.id())));
        assertThat(jdbc.queryForObject("select count(*) from sandbox_budget where budget_name = (select budget_name "
                + "from application where id = ?)", Integer.class, app)).isEqualTo(1);
        assertThat(keys.forRequest(finishing.id()).orElseThrow().status().name()).isEqualTo("PENDING_REVEAL");
    }
}
