package com.bedrockportal.notification;

import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

class OutboxE2E extends E2ESupport {

    @Test
    void adminSeesTheMailThatWouldHaveGoneToTheManager() {
        try (BrowserContext alices = Browsers.chromium().newContext()) {
            Page alice = loginAs(alices.newPage(), "alice");
            alice.navigate(BASE + "/requests/new");
            alice.locator("#request-unit input").fill("Marketing");
            alice.locator("vaadin-combo-box-item").filter(
                    new com.microsoft.playwright.Locator.FilterOptions().setHasText("Marketing")).first().click();
            alice.locator("#request-purpose textarea").fill("Draft product descriptions for the web shop.");
            alice.locator("#request-models input").fill("Nova Micro");
            alice.locator("vaadin-multi-select-combo-box-item").filter(
                    new com.microsoft.playwright.Locator.FilterOptions().setHasText("Nova Micro")).first().click();
            alice.keyboard().press("Escape");
            alice.locator("#request-submit").click();
            alice.waitForURL(java.util.regex.Pattern.compile(".*/requests/\\d+$"));
        }
        loginAs("adam");
        page.navigate(BASE + "/admin/outbox");
        assertThat(page.locator("#outbox-grid")).containsText("mike@example.com");
        assertThat(page.locator("#outbox-grid")).containsText("awaits your approval");
        screenshot("outbox-adam");
    }
}
