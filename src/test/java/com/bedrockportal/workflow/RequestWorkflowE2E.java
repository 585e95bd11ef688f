package com.bedrockportal.workflow;

import java.util.regex.Pattern;

import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class RequestWorkflowE2E extends E2ESupport {

    @Test
    void aliceRequestsMikeApprovesSaraApprovesAndAliceWatchesProvisioningLive() {
        loginAs("alice");
        page.navigate(BASE + "/requests/new");
        assertThat(page.locator("#policy-json")).containsText("bedrock:CallWithBearerToken");
        fillRequest(page, "Marketing copy assistant for the spring campaign, used by the CMS.", "Nova Lite");
        assertThat(page.locator("#policy-json")).containsText("foundation-model/amazon.nova-lite-v1:0");
        assertThat(page.locator("#policy-json")).containsText("aws:SourceIp");
        assertThat(page.locator("#policy-tags")).containsText("business-unit = marketing");
        screenshot("request-form-alice");
        long id = submit(page);
        assertThat(page.locator("#request-status")).hasText("Waiting for manager");

        try (BrowserContext mikes = Browsers.context()) {
            Page mike = loginAs(mikes.newPage(), "mike");
            mike.navigate(BASE + "/approvals");
            assertThat(mike.locator("#open-" + id)).isVisible();
            mike.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots",
                    "approvals-mike.png")));
            mike.locator("#open-" + id).click();
            assertThat(mike.locator("#risk-flags")).containsText("First approved access for this unit");
            assertThat(mike.locator("#request-policy-json")).containsText("amazon.nova-lite-v1:0");
            mike.locator("#decision-approve").click();
            assertThat(mike.locator("#request-status")).hasText("Waiting for security review");
        }
        try (BrowserContext saras = Browsers.context()) {
            Page sara = loginAs(saras.newPage(), "sara");
            sara.navigate(BASE + "/approvals");
            assertThat(sara.locator("#approvals-grid")).containsText("Security review");
            sara.locator("#open-" + id).click();
            assertThat(sara.locator("#decision-panel")).containsText("Your security review");
            sara.locator("#decision-approve").click();
            assertThat(sara.locator("#request-status")).hasText(Pattern.compile("Approved|Provisioning|Provisioned"));
        }
        // No reload: the steps are pushed to alice's open page as they complete.
        assertThat(page.locator("#request-status")).hasText("Provisioned — key ready");
        for (String step : new String[] { "IAM_USER", "POLICY", "API_KEY", "BUDGET", "NOTIFY" }) {
            assertThat(page.locator("#provisioning-steps [data-step=" + step + "]")).hasAttribute("data-state", "DONE");
        }
        // No copy in Secrets Manager was asked for, so that step is not listed.
        assertThat(page.locator("#provisioning-steps [data-step=SECRET]")).hasCount(0);
        Locator timeline = page.locator("#request-timeline");
        assertThat(timeline.locator("[data-event=SUBMITTED]")).containsText("alice");
        assertThat(timeline.locator("[data-event=MANAGER_APPROVED]")).containsText("mike");
        assertThat(timeline.locator("[data-event=SECURITY_APPROVED]")).containsText("sara");
        assertThat(timeline.locator("[data-event=PROVISIONED]")).containsText("system");
        page.reload();
        assertThat(page.locator("#notification-count")).isVisible();
        page.locator("#notification-bell").click();
        assertThat(page.locator("#notification-list")).containsText("Request #" + id + " was approved");
        assertThat(page.locator("#notification-list")).containsText("Your Bedrock API key for Marketing is ready");
        screenshot("request-approved-alice");
    }

    @Test
    void mikeRejectsWithACommentAndAliceSeesIt() {
        loginAs("alice");
        page.navigate(BASE + "/requests/new");
        fillRequest(page, "<b>Summarise</b> customer feedback <script>alert(1)</script> for the quarterly report.",
                "Nova Micro");
        long id = submit(page);
        // Markup is kept as text and shown escaped, never interpreted.
        assertThat(page.locator("#request-purpose-text")).containsText("<b>Summarise</b> customer feedback <script>");
        assertThat(page.locator("#request-purpose-text b")).hasCount(0);
        try (BrowserContext mikes = Browsers.context()) {
            Page mike = loginAs(mikes.newPage(), "mike");
            mike.navigate(BASE + "/requests/" + id);
            mike.locator("#decision-reject").click();
            assertThat(mike.locator("#decision-comment")).hasAttribute("invalid", "");
            assertThat(mike.locator("#decision-comment [slot=error-message]")).containsText("Say why you reject");
            assertThat(mike.locator("#request-status")).hasText("Waiting for manager");
            mike.locator("#decision-comment textarea").fill("Use the shared analytics key instead.");
            mike.locator("#decision-reject").click();
            assertThat(mike.locator("#request-status")).hasText("Rejected");
        }
        page.reload();
        assertThat(page.locator("#request-status")).hasText("Rejected");
        assertThat(page.locator("#request-timeline [data-event=MANAGER_REJECTED]"))
                .containsText("Use the shared analytics key instead.");
    }

    @Test
    void mikeCannotDecideOnARequestHeSubmittedHimself() {
        loginAs("mike");
        page.navigate(BASE + "/requests/new");
        fillRequest(page, "Prototype of an internal FAQ bot for the marketing team.", "Nova Lite");
        long id = submit(page);
        assertThat(page.locator("#decision-not-allowed")).containsText("You submitted this request");
        assertThat(page.locator("#decision-approve")).hasCount(0);
        page.navigate(BASE + "/approvals");
        assertThat(page.locator("#approvals-grid")).isVisible();
        assertThat(page.locator("#open-" + id)).hasCount(0);
    }

    @Test
    void aRequesterOfAnotherUnitCannotOpenTheRequest() {
        loginAs("alice");
        page.navigate(BASE + "/requests/new");
        fillRequest(page, "Classify inbound marketing leads by product interest.", "Nova Micro");
        long id = submit(page);
        try (BrowserContext bobs = Browsers.context()) {
            Page bob = loginAs(bobs.newPage(), "bob");
            bob.navigate(BASE + "/requests/" + id);
            assertThat(bob.locator("#request-not-found")).containsText("no access");
            assertThat(bob.locator("#request-details")).hasCount(0);
            assertThat(bob.locator("body")).not().containsText("Classify inbound marketing leads");
        }
    }

    @Test
    void aliceWithdrawsAPendingRequest() {
        loginAs("alice");
        page.navigate(BASE + "/requests/new");
        fillRequest(page, "Evaluate Nova models for subject-line generation.", "Nova Lite");
        long id = submit(page);
        page.locator("#request-withdraw").click();
        page.locator("vaadin-confirm-dialog-overlay").getByText("Withdraw request").click();
        assertThat(page.locator("#request-status")).hasText("Withdrawn");
        assertThat(page.locator("#request-timeline [data-event=WITHDRAWN]")).containsText("alice");
        try (BrowserContext mikes = Browsers.context()) {
            Page mike = loginAs(mikes.newPage(), "mike");
            mike.navigate(BASE + "/approvals");
            assertThat(mike.locator("#approvals-grid")).isVisible();
            assertThat(mike.locator("#open-" + id)).hasCount(0);
        }
    }

    @Test
    void invalidInputIsShownNextToTheFieldsAndNothingIsSaved() {
        loginAs("alice");
        page.navigate(BASE + "/requests/new");
        page.locator("#request-purpose textarea").fill("too short");
        page.locator("#request-cidrs textarea").fill("10.0.0.0/8, 10.1.0.0/16");
        page.locator("#request-lifetime input").fill("91");
        page.locator("#request-submit").click();
        assertThat(page.locator("#request-purpose [slot=error-message]")).containsText("at least 20 characters");
        assertThat(page.locator("#request-models [slot=error-message]")).containsText("at least one model");
        assertThat(page.locator("#request-cidrs [slot=error-message]")).containsText("overlaps");
        assertThat(page.locator("#request-lifetime [slot=error-message]")).containsText("1 to 90 days");
        assertThat(page).hasURL(BASE + "/requests/new");
        screenshot("request-form-errors");
        page.navigate(BASE + "/requests");
        assertThat(page.locator("#my-requests-grid")).not().containsText("too short");
    }

    /** Other tests add units to alice: pick Marketing explicitly. */
    static void fillRequest(Page page, String purpose, String model) {
        fillRequest(page, "Marketing", purpose, model);
    }

    static long submit(Page page) {
        return submitRequest(page);
    }
}
