package com.bedrockportal.drift;

import java.time.Duration;
import java.util.List;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AWS drift in the browser: adam makes drift on the simulated account's page (a key added outside the portal, the
 * policy edited, fault injection), sara checks now, sees the findings, disables the foreign key, re-applies the
 * policy and adopts a second foreign key — and the simulated account shows each change.
 */
class DriftE2E extends E2ESupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    ModelCatalog catalog;
    @Autowired
    JdbcTemplate jdbc;

    /** An application provisioned through the workflow: alice asks, mike and sara approve. @return its IAM user */
    private String provisionedApplication() {
        BusinessUnit unit = Fixtures.unit(units, "df");
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "PROVISIONED".equals(jdbc.queryForObject(
                "select status from access_request where id = ?", String.class, r.id())));
        return jdbc.queryForObject("select a.iam_user from application a join access_request r on r.application_id "
                + "= a.id where r.id = ?", String.class, r.id());
    }

    private String foreignKey(String iamUser) {
        return jdbc.queryForObject("select id from sandbox_credential where user_name = ? and id not in "
                + "(select credential_id from api_key) order by created_at desc limit 1", String.class, iamUser);
    }

    private long openFinding(String iamUser, String kind) {
        return jdbc.queryForObject("select id from drift_finding where iam_user = ? and kind = ? and resolved_at "
                + "is null", Long.class, iamUser, kind);
    }

    private String awsStatus(String credential) {
        return jdbc.queryForObject("select status from sandbox_credential where id = ?", String.class, credential);
    }

    private void act(Page page, String button, String reason) {
        page.locator("#" + button).click();
        page.locator("#drift-action-confirm").click();
        assertThat(page.locator("#drift-action-reason")).containsText("Give a reason.");
        correct(page.locator("#drift-action-reason"), reason);
        page.locator("#drift-action-confirm").click();
        assertThat(page.locator("#drift-action-dialog")).hasCount(0);
    }

    private Locator cells(Page page, String text) {
        return page.locator("#drift-grid vaadin-grid-cell-content")
                .filter(new Locator.FilterOptions().setHasText(text).setVisible(true));
    }

    @Test
    void adamMakesDriftSaraFindsItDisablesReappliesAndAdoptsAndTheAccountShowsIt() {
        String user = provisionedApplication();

        loginAs("adam");
        page.navigate(BASE + "/admin/sandbox");
        choose("sandbox-app", user);
        page.locator("#sandbox-add-key").click();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from sandbox_credential where user_name = ?", Integer.class, user) == 2);
        String foreign = foreignKey(user);
        assertThat(page.locator("#sandbox-key-disable-" + foreign)).isVisible();
        page.locator("#sandbox-edit-policy").click();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select document from sandbox_user_policy where user_name = ?", String.class, user)
                .contains("AddedInConsole"));
        screenshot("drift-sandbox-adam");
        // Until adam sets it back, every ListUsers call of the simulated account fails.
        page.locator("#sandbox-fail-operation input").fill("ListUsers");
        page.locator("#sandbox-faults-save").click();
        assertThat(page.getByText("failing ListUsers")).isVisible();

        try (BrowserContext saras = Browsers.context(new Browser.NewContextOptions()
                .setViewportSize(1400, 900))) {
            Page sara = saras.newPage();
            loginAs(sara, "sara");
            sara.navigate(BASE + "/drift");
            sara.locator("#drift-check").click();
            assertThat(sara.getByText("injected failure")).isVisible();

            page.locator("#sandbox-fail-operation input").fill("");
            page.locator("#sandbox-faults-save").click();
            assertThat(page.getByText("failing —")).isVisible();

            sara.locator("#drift-check").click();
            assertThat(sara.locator("#drift-last-run")).containsText("by sara");
            assertThat(cells(sara, "Key created outside the portal")).hasCount(1);
            assertThat(cells(sara, "Policy edited in AWS")).hasCount(1);
            assertThat(cells(sara, user + " · " + foreign)).hasCount(1);
            screenshot(sara, "drift-findings-sara");

            long keyFinding = openFinding(user, "KEY_OUTSIDE_PORTAL");
            act(sara, "drift-disable-" + keyFinding, "Nobody asked for this key; stop it now.");
            assertThat(cells(sara, "Key created outside the portal")).hasCount(0);
            assertThat(awsStatus(foreign)).isEqualTo("Inactive");

            long policyFinding = openFinding(user, "POLICY_EDITED");
            act(sara, "drift-reapply_policy-" + policyFinding, "Hand edit widened access.");
            assertThat(cells(sara, user)).hasCount(0);
            String applied = jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?",
                    String.class, user);
            assertThat(applied).doesNotContain("AddedInConsole");
            assertThat(PolicyJson.same(applied, PolicyBuilder.build(new PolicyBuilder.PolicyInput(
                    catalog.find(List.of("amazon.nova-lite-v1:0")), List.of("us-east-1"),
                    List.of(), "123456789012")))).as("the portal's policy is back").isTrue();

            // The account shows the disabled key; adam deletes it, adds another, and sara adopts that one.
            page.reload();
            choose("sandbox-app", user);
            assertThat(page.locator("#sandbox-key-enable-" + foreign)).isVisible();
            page.locator("#sandbox-key-delete-" + foreign).click();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                    "select count(*) from sandbox_credential where id = ?", Integer.class, foreign) == 0);
            assertThat(page.locator("#sandbox-keys vaadin-grid-cell-content").filter(new Locator.FilterOptions()
                    .setHasText(foreign).setVisible(true))).hasCount(0);
            page.locator("#sandbox-add-key").click();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                    "select count(*) from sandbox_credential where user_name = ?", Integer.class, user) == 2);
            String second = foreignKey(user);

            sara.locator("#drift-check").click();
            assertThat(cells(sara, user + " · " + second)).hasCount(1);
            act(sara, "drift-adopt-" + openFinding(user, "KEY_OUTSIDE_PORTAL"), "Created by the platform team.");
            assertThat(cells(sara, user)).hasCount(0);
            assertThat(jdbc.queryForObject("select adopted_by from api_key where credential_id = ?", String.class,
                    second)).isEqualTo("sara");
            assertThat(jdbc.queryForObject("select count(*) from api_key where credential_id = ? and sealed_secret "
                    + "is null and request_id is null", Integer.class, second)).isEqualTo(1);
            assertThat(awsStatus(second)).isEqualTo("Active");
            sara.locator("#drift-check").click();
            assertThat(cells(sara, user)).hasCount(0);
            screenshot(sara, "drift-resolved-sara");
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'DRIFT_ACTION' and actor = "
                + "'sara'", Integer.class)).isGreaterThanOrEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'SANDBOX_FAULTS_CHANGED' and "
                + "actor = 'adam'", Integer.class)).isEqualTo(2);
    }

    @Test
    void adamSeesTheFindingsReadOnly() {
        loginAs("adam");
        page.navigate(BASE + "/drift");
        assertThat(page.locator("#drift-read-only")).isVisible();
        assertThat(page.locator("#drift-check")).hasCount(0);
        screenshot("drift-adam");
    }

    private static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots",
                name + ".png")).setFullPage(true));
    }
}
