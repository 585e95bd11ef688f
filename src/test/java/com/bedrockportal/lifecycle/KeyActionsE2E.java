package com.bedrockportal.lifecycle;

import java.time.Duration;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key actions in the browser: security revokes and the slot is free again; a manager disables, security re-enables. */
class KeyActionsE2E extends E2ESupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    /** A request of alice's for the unit, approved by mike and sara through the services; waits for its outcome. */
    private long approvedRequest(BusinessUnit unit, String expectedStatus) {
        return approvedRequest(unit, expectedStatus, null);
    }

    /** The same, for a change to an existing application asking for a new key, when {@code application} is set. */
    private long approvedRequest(BusinessUnit unit, String expectedStatus, Long application) {
        AccessRequest r = submit(unit, application);
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> expectedStatus.equals(jdbc.queryForObject(
                "select status from access_request where id = ?", String.class, r.id())));
        return r.id();
    }

    private AccessRequest submit(BusinessUnit unit, Long application) {
        RequestDraft d = Fixtures.request(unit.id());
        if (application != null) {
            d.setKind(AccessRequest.Kind.CHANGE);
            d.setApplicationId(application);
            d.setNewKey(true);
        }
        return RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
    }

    private long keyOf(long requestId) {
        return jdbc.queryForObject("select id from api_key where request_id = ?", Long.class, requestId);
    }

    private long applicationOf(long requestId) {
        return jdbc.queryForObject("select application_id from access_request where id = ?", Long.class, requestId);
    }

    private int credentialsInTheAccount(long application) {
        return jdbc.queryForObject("select count(*) from sandbox_credential where user_name = "
                + "(select iam_user from application where id = ?)", Integer.class, application);
    }

    @Test
    void saraRevokesAKeyAndTheUnitsNextRequestIsProvisionedInItsFreedSlot() {
        BusinessUnit unit = Fixtures.unit(units, "kr");
        long first = approvedRequest(unit, "PROVISIONED");
        long app = applicationOf(first);
        approvedRequest(unit, "PROVISIONED", app);
        // AWS allows two keys per IAM user: a third key for the application cannot be approved.
        long third = submit(unit, app).id();
        assertThatThrownBy(() -> RunAs.user("mike", () -> approvals.decide(third, true, null), "MANAGER"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors().get("form"))
                        .contains("2 of 2 key slots in use"));
        assertThat(jdbc.queryForObject("select status from access_request where id = ?", String.class, third))
                .isEqualTo("PENDING_MANAGER");
        long keyId = keyOf(first);
        String credential = jdbc.queryForObject("select credential_id from api_key where id = ?", String.class,
                keyId);
        String prefix = jdbc.queryForObject("select key_prefix from api_key where id = ?", String.class, keyId);

        loginAs("sara");
        page.navigate(BASE + "/requests/" + third);
        assertThat(page.locator("#preflight-verdict")).hasAttribute("data-ready", "false");
        assertThat(page.locator("#preflight [data-check=keySlot]")).hasAttribute("data-passed", "false");
        assertThat(page.locator("#preflight [data-check=keySlot]")).containsText("2 of 2 key slots in use");
        screenshot("preflight-blocked");
        page.navigate(BASE + "/keys");
        page.locator("#keys-search input").fill(unit.slug());
        page.locator("#keys-grid a[data-key='" + prefix + "']").click();
        page.waitForURL(BASE + "/keys/" + keyId);
        assertThat(page.locator("#key-status")).hasText("pending reveal");
        assertThat(page.locator("#key-reenable")).hasCount(0);

        page.locator("#key-revoke").click();
        page.locator("#key-action-confirm").click();
        assertThat(page.locator("#key-action-reason")).containsText("Give a reason.");
        correct(page.locator("#key-action-reason"), "Key pasted into a public chat channel.");
        screenshot("key-revoke-dialog");
        page.locator("#key-action-confirm").click();

        assertThat(page.locator("#key-status")).hasText("revoked");
        assertThat(page.locator("#key-last-change")).containsText("by sara");
        assertThat(page.locator("#key-last-change")).containsText("Key pasted into a public chat channel.");
        assertThat(page.locator("#key-revoke")).hasCount(0);
        screenshot("key-revoked-sara");

        page.navigate(BASE + "/keys");
        page.locator("#keys-search input").fill(unit.slug());
        assertThat(visibleCells("keys-grid", "revoked")).hasCount(1);
        screenshot("keys-after-revoke-sara");

        // The simulated account no longer holds it: the slot is free, and the unit's next request is provisioned.
        assertThat(jdbc.queryForObject("select count(*) from sandbox_credential where id = ?", Integer.class,
                credential)).isZero();
        assertThat(credentialsInTheAccount(app)).isEqualTo(1);
        page.navigate(BASE + "/requests/" + third);
        assertThat(page.locator("#preflight [data-check=keySlot]")).hasAttribute("data-passed", "true");
        assertThat(page.locator("#preflight-verdict")).hasAttribute("data-ready", "true");
        // The request that could not be approved now can, and is provisioned in the freed slot.
        RunAs.user("mike", () -> approvals.decide(third, true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(third, true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "PROVISIONED".equals(jdbc.queryForObject(
                "select status from access_request where id = ?", String.class, third)));
        assertThat(credentialsInTheAccount(app)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'KEY_REVOKED' and actor = "
                + "'sara' and target = ?", Integer.class, "key:" + keyId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and title like ?",
                Integer.class, "%" + prefix + "%was revoked")).isEqualTo(1);
    }

    @Test
    void mikeDisablesAKeyOfHisUnitAndSaraReEnablesIt() {
        BusinessUnit unit = Fixtures.unit(units, "kd");
        long keyId = keyOf(approvedRequest(unit, "PROVISIONED"));
        String credential = jdbc.queryForObject("select credential_id from api_key where id = ?", String.class,
                keyId);

        loginAs("mike");
        page.navigate(BASE + "/keys/" + keyId);
        assertThat(page.locator("#key-status")).hasText("pending reveal");
        assertThat(page.locator("#key-reenable")).hasCount(0);
        page.locator("#key-disable").click();
        page.locator("#key-action-reason textarea").fill("Team lead on leave; pause until she is back.");
        page.locator("#key-action-confirm").click();
        assertThat(page.locator("#key-status")).hasText("inactive");
        assertThat(page.locator("#key-last-change")).containsText("by mike");
        // Re-enabling is security's alone: mike has no button for it.
        assertThat(page.locator("#key-reenable")).hasCount(0);
        assertThat(page.locator("#key-revoke")).isVisible();
        screenshot("key-disabled-mike");
        assertThat(jdbc.queryForObject("select status from sandbox_credential where id = ?", String.class,
                credential)).isEqualTo("Inactive");

        try (BrowserContext other = Browsers.context(new Browser.NewContextOptions()
                .setViewportSize(1280, 900))) {
            Page sara = loginAs(other.newPage(), "sara");
            sara.navigate(BASE + "/keys/" + keyId);
            sara.locator("#key-reenable").click();
            sara.locator("#key-action-reason textarea").fill("Checked with the team lead: pause no longer needed.");
            sara.locator("#key-action-confirm").click();
            assertThat(sara.locator("#key-status")).hasText("pending reveal");
            assertThat(sara.locator("#key-last-change")).containsText("by sara");
            sara.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots",
                    "key-reenabled-sara.png")).setFullPage(true));
        }
        assertThat(jdbc.queryForObject("select status from sandbox_credential where id = ?", String.class,
                credential)).isEqualTo("Active");

        // The owner sees the change and may disable her key herself, but not re-enable it; she was told both times.
        try (BrowserContext other = Browsers.context(new Browser.NewContextOptions())) {
            Page alice = loginAs(other.newPage(), "alice");
            alice.navigate(BASE + "/keys/" + keyId);
            assertThat(alice.locator("#key-status")).hasText("pending reveal");
            assertThat(alice.locator("#key-disable")).isVisible();
            assertThat(alice.locator("#key-reenable")).hasCount(0);
        }
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and link = ?",
                Integer.class, "keys/" + keyId)).isEqualTo(2);
    }
}
