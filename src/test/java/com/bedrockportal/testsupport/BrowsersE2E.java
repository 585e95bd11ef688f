package com.bedrockportal.testsupport;

import java.util.List;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A context that a test closed is handed to the next one empty: no pages, no cookies (no session at the portal or the
 * login provider), no stored data, no permissions; only its HTTP cache is kept.
 */
class BrowsersE2E extends E2ESupport {

    @Test
    void aContextGivenBackKeepsNothingOfTheTestThatUsedIt() {
        BrowserContext used = Browsers.context();
        Page before = used.newPage();
        loginAs(before, "alice");
        before.evaluate("() => { localStorage.setItem('portal-test', 'left behind'); }");
        used.grantPermissions(List.of("clipboard-read"));
        assertThat(used.cookies()).isNotEmpty();
        used.close();

        BrowserContext next = Browsers.context();
        try {
            assertThat(next.pages()).isEmpty();
            assertThat(next.cookies()).isEmpty();
            Page after = next.newPage();
            assertThat(after.viewportSize().width).isEqualTo(1280);
            after.navigate(BASE + "/");
            // No session: the portal sends the browser to the login page again.
            after.locator("#username").waitFor();
            after.navigate(BASE + "/actuator/health");
            assertThat(after.evaluate("() => localStorage.getItem('portal-test')")).isNull();
            assertThat(after.evaluate("() => navigator.permissions.query({ name: 'clipboard-read' })"
                    + ".then(p => p.state)")).isNotEqualTo("granted");
        } finally {
            next.close();
        }
    }
}
