package com.bedrockportal.audit;

import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class AuditLogE2E extends E2ESupport {

    @Test
    void securitySeesTheLoginsThatJustHappenedAndTheChainVerifies() throws Exception {
        try (BrowserContext other = Browsers.context()) {
            loginAs(other.newPage(), "alice");
        }
        loginAs("sara");
        page.navigate(BASE + "/audit");
        choose("audit-filter-action", "LOGIN_SUCCESS");
        assertThat(page.locator("#audit-grid")).containsText("alice");
        assertThat(page.locator("#audit-grid")).containsText("sara");

        page.locator("#audit-verify").click();
        assertThat(page.locator("#audit-chain-status")).containsText("Chain intact");
        screenshot("audit-log-sara");

        Download download = page.waitForDownload(() -> page.locator("#audit-export").click());
        String csv = java.nio.file.Files.readString(download.path());
        assertThat(csv).startsWith("seq,occurred_at,actor,action,target,details,prev_hash,hash");
        assertThat(csv).contains("LOGIN_SUCCESS").contains("\"alice\"");
        assertThat(csv).doesNotContain("BU_CREATED");
    }

    @Test
    void failedLoginsAndRefusalsAreAudited() {
        page.navigate(BASE + "/");
        page.locator("#username").fill("mike");
        page.locator("#password").fill("wrong");
        page.locator("button[type=submit]").click();
        assertThat(page.getByText("Invalid username or password.")).isVisible();
        try (BrowserContext other = Browsers.context()) {
            Page alice = loginAs(other.newPage(), "alice");
            alice.navigate(BASE + "/audit");
            assertThat(alice.locator("#access-denied")).isVisible();
        }
        loginAs("adam");
        page.navigate(BASE + "/audit");
        assertThat(page.locator("#audit-grid")).containsText("LOGIN_FAILURE");
        page.locator("#audit-filter-actor input").fill("alice");
        choose("audit-filter-action", "ACCESS_DENIED");
        assertThat(page.locator("#audit-grid")).containsText("view /audit");
    }
}
