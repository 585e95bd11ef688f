package com.bedrockportal.sandbox;

import java.time.Duration;
import java.util.regex.Pattern;

import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.workflow.ProcessVariables;
import com.bedrockportal.workflow.ProvisioningProgress;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** A step that keeps failing becomes an incident security sees; after the cause is fixed, "Retry" finishes the job. */
class ProvisioningIncidentE2E extends E2ESupport {

    @Autowired
    SimulatedAccount account;

    @AfterEach
    void healthyAgain() {
        account.rehearse(new SandboxProperties(Duration.ZERO, 0, "", "TRANSIENT"));
    }

    @Autowired
    com.bedrockportal.businessunit.BusinessUnitService units;
    @Autowired
    org.camunda.bpm.engine.RuntimeService runtime;

    @Test
    void aFailingBudgetStepBecomesAnIncidentThatSecurityRetries() {
        // A unit of its own: AWS allows two keys per IAM user, and the units' users outlive a test.
        var unit = Fixtures.unit(units, "inc");
        account.rehearse(new SandboxProperties(Duration.ZERO, 0, "CreateBudget", "TRANSIENT"));
        loginAs("alice");
        page.navigate(BASE + "/requests/new");
        fillRequest(page, unit.displayName(), "Incident rehearsal: summarise the weekly sales notes.", "Nova Micro");
        String id = String.valueOf(submitRequest(page));
        approveAs("mike", id);
        approveAs("sara", id);

        assertThat(page.locator("#provisioning-steps [data-step=BUDGET]")).hasAttribute("data-state", "FAILED");
        assertThat(page.locator("#provisioning-steps [data-step=API_KEY]")).hasAttribute("data-state", "DONE");
        // The requester reads that it is delayed and that the platform team knows, not AWS's error.
        assertThat(page.locator("#request-status")).hasText("Delayed — the platform team is on it");
        assertThat(page.locator("#provisioning-delayed")).containsText("The platform team has been told");
        assertThat(page.locator("#provisioning-steps [data-step=BUDGET]")).containsText("delayed");
        assertThat(page.locator("#request-detail")).not().containsText("injected failure");
        screenshot("request-delayed-alice");
        page.setViewportSize(390, 844);
        screenshot("request-delayed-alice-390");
        page.setViewportSize(1366, 900);
        page.navigate(BASE + "/requests");
        assertThat(page.locator("#my-requests-grid .portal-status[data-status=DELAYED]").first()).isVisible();
        page.navigate(BASE + "/requests/" + id);

        try (BrowserContext saras = Browsers.context()) {
            Page sara = loginAs(saras.newPage(), "sara");
            // Security still reads the technical detail on the request page and the incidents page.
            sara.navigate(BASE + "/requests/" + id);
            assertThat(sara.locator("#provisioning-steps [data-step=BUDGET]")).containsText("injected failure");
            sara.navigate(BASE + "/incidents");
            assertThat(sara.locator("#incidents-grid")).containsText("injected failure");
            assertThat(sara.locator("#incidents-grid")).containsText("Monthly budget with alerts");
            sara.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots",
                    "incidents-sara.png")));
            assertThat(sara.locator("#incidents-more")).isHidden();

            // An outage leaves more stuck steps than the page lists: it lists the oldest and says how many there are
            // (counted from what the browser tests before this one left, if anything).
            long before = runtime.createIncidentQuery().processDefinitionKeyIn(ProcessVariables.PROCESS_KEY).count();
            org.camunda.bpm.engine.runtime.Incident stuck = runtime.createIncidentQuery().processInstanceId(runtime
                    .createProcessInstanceQuery().processDefinitionKey(ProcessVariables.PROCESS_KEY)
                    .processInstanceBusinessKey(id).singleResult().getId()).singleResult();
            try {
                for (int i = 0; i < ProvisioningProgress.MAX_LISTED; i++) {
                    runtime.createIncident("outageRehearsal", stuck.getExecutionId(), "outage-rehearsal",
                            "injected failure " + i);
                }
                sara.locator("#incidents vaadin-button:has-text('Reload')").click();
                assertThat(sara.locator("#incidents-more")).hasText((before + ProvisioningProgress.MAX_LISTED)
                        + " incidents in all; the oldest 500 at most are listed. Once the cause is fixed, retry these "
                        + "and reload for the rest.");
            } finally {
                // Resolving one resolves every incident of its configuration: looked up afresh each time (the real
                // one has another, its job's id, and stays).
                for (var open = firstRehearsed(); open != null; open = firstRehearsed()) {
                    runtime.resolveIncident(open.getId());
                }
            }
            assertThat(runtime.createIncidentQuery().incidentType("outageRehearsal").count()).isZero();
            sara.locator("#incidents vaadin-button:has-text('Reload')").click();
            assertThat(sara.locator("#incidents-more")).isHidden();
            // The grid keeps the cells it drew for the 501 rows, hidden: one row shows, with one Retry.
            assertThat(sara.locator("#retry-" + id + ":visible")).hasCount(1);

            account.rehearse(new SandboxProperties(Duration.ZERO, 0, "", "TRANSIENT"));
            sara.locator("#retry-" + id + ":visible").click();
            assertThat(sara.getByText("Retrying the step of request #" + id)).isVisible();
            assertThat(sara.locator("#retry-" + id + ":visible")).hasCount(0);
        }
        assertThat(page.locator("#request-status")).hasText("Provisioned — key ready");
        assertThat(page.locator("#provisioning-steps [data-step=BUDGET]")).hasAttribute("data-state", "DONE");
    }

    private org.camunda.bpm.engine.runtime.Incident firstRehearsed() {
        return runtime.createIncidentQuery().incidentType("outageRehearsal").listPage(0, 1).stream().findFirst()
                .orElse(null);
    }

    private void approveAs(String user, String id) {
        try (BrowserContext ctx = Browsers.context()) {
            Page p = loginAs(ctx.newPage(), user);
            p.navigate(BASE + "/requests/" + id);
            p.locator("#decision-approve").click();
            assertThat(p.locator("#request-status")).not().hasText(Pattern.compile("Waiting for "
                    + (user.equals("mike") ? "manager" : "security")));
        }
    }
}
