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
        try (BrowserContext alices = Browsers.context()) {
            Page alice = loginAs(alices.newPage(), "alice");
            alice.navigate(BASE + "/requests/new");
            fillRequest(alice, "Marketing", "Draft product descriptions for the web shop.", "Nova Micro");
            submitRequest(alice);
        }
        loginAs("adam");
        page.navigate(BASE + "/admin/outbox");
        assertThat(page.locator("#outbox-grid")).containsText("mike@example.com");
        assertThat(page.locator("#outbox-grid")).containsText("awaits your approval");
        screenshot("outbox-adam");
    }
}
