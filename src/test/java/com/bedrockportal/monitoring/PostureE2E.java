package com.bedrockportal.monitoring;

import java.nio.file.Path;

import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/** The account posture page as security (and the sandbox console's toggle as an admin), and as a manager. */
class PostureE2E extends E2ESupport {

    @Autowired
    SimulatedAccount account;

    @AfterEach
    void loggingOffAgain() {
        account.invocationLogging(false);
    }

    @Test
    void securitySeesTheRedLineWithItsFixAndCheckAgainTurnsItGreenOnceLoggingIsOn() {
        loginAs("sara");
        page.navigate(BASE + "/admin/posture");
        assertThat(page.locator("#posture-line-INVOCATION_LOGGING")).hasAttribute("data-status", "RED");
        assertThat(page.locator("#posture-status-INVOCATION_LOGGING")).hasText("Fix needed");
        assertThat(page.locator("#posture-line-INVOCATION_LOGGING")).containsText("Model invocation logging is off in "
                + "us-east-1");
        assertThat(page.locator("#posture-fix-INVOCATION_LOGGING")).containsText(
                "aws bedrock put-model-invocation-logging-configuration --region us-east-1 --logging-config "
                        + "'{\"cloudWatchConfig\"");
        assertThat(page.locator("#posture-fix-INVOCATION_LOGGING")).containsText("Amazon Bedrock → Settings → Model "
                + "invocation logging");
        // The simulated account's other lines: a logging multi-region trail, active tags, no credentials, all allowed.
        assertThat(page.locator("#posture-line-CLOUDTRAIL")).hasAttribute("data-status", "GREEN");
        assertThat(page.locator("#posture-status-CLOUDTRAIL")).hasText("OK");
        assertThat(page.locator("#posture-line-CLOUDTRAIL")).containsText("bedrock-portal-sandbox-trail");
        assertThat(page.locator("#posture-line-COST_TAGS")).hasAttribute("data-status", "GREEN");
        assertThat(page.locator("#posture-tags-finding")).containsText("business-unit and application");
        assertThat(page.locator("#posture-line-CREDENTIALS")).hasAttribute("data-status", "GREEN");
        assertThat(page.locator("#posture-line-PERMISSIONS")).hasAttribute("data-status", "GREEN");
        assertThat(page.locator("#posture-fix-CLOUDTRAIL")).hasCount(0);
        assertThat(page.locator("#posture-checked-at")).containsText("by sara");
        shoot("posture-sara");

        // An admin turns model invocation logging on in the simulated account's console.
        try (BrowserContext adminContext = Browsers.context(new Browser.NewContextOptions()
                .setViewportSize(1280, 900))) {
            Page admin = adminContext.newPage();
            loginAs(admin, "adam");
            admin.navigate(BASE + "/admin/sandbox");
            admin.locator("#sandbox-invocation-logging input").check();
            assertThat(admin.locator("vaadin-notification-card")).containsText("Model invocation logging is on.");
        }

        page.locator("#posture-check").click();
        assertThat(page.locator("#posture-line-INVOCATION_LOGGING")).hasAttribute("data-status", "GREEN");
        assertThat(page.locator("#posture-status-INVOCATION_LOGGING")).hasText("OK");
        assertThat(page.locator("#posture-line-INVOCATION_LOGGING")).containsText(
                "/aws/bedrock/model-invocations");
        assertThat(page.locator("#posture-fix-INVOCATION_LOGGING")).hasCount(0);
    }

    @Test
    void aManagerIsRefused() {
        loginAs("mike");
        page.navigate(BASE + "/admin/posture");
        assertThat(page.locator("#access-denied")).isVisible();
        assertThat(page.locator("#posture")).hasCount(0);
    }

    private void shoot(String name) {
        page.setViewportSize(1366, 900);
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots", name + "-1366.png"))
                .setFullPage(true));
        page.setViewportSize(390, 844);
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots", name + "-390.png"))
                .setFullPage(true));
        // The app layout scrolls inside itself: the whole checklist as an element picture too.
        page.locator("#posture-lines").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(Path.of("target/screenshots", name + "-390-lines.png")));
        page.setViewportSize(1366, 900);
        page.locator("#posture-lines").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(Path.of("target/screenshots", name + "-1366-lines.png")));
        page.setViewportSize(1280, 900);
    }
}
