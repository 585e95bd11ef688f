package com.bedrockportal.identity;

import java.util.List;

import com.bedrockportal.testsupport.E2ESupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

class LoginE2E extends E2ESupport {

    @ParameterizedTest(name = "{0} sees {1}")
    @CsvSource(delimiter = ';', value = {
            "alice;Home|Dashboard|Request access|My requests|Applications|Keys",
            "bob;Home|Dashboard|Request access|My requests|Applications|Keys",
            "mike;Home|Dashboard|Request access|My requests|Applications|Keys|All requests|Approvals|Access reviews|Security alerts|Chat notifications",
            "sara;Home|Dashboard|Applications|Keys|All requests|Approvals|Access reviews|Incidents|Security alerts|AWS drift|Compromise cases|Report a leaked key|Graduation|Audit log|Evidence packs|Account posture",
            "adam;Home|Dashboard|Applications|Keys|All requests|Incidents|Security alerts|AWS drift|Graduation|Audit log|Evidence packs|Account posture|Business units|Model catalog|AWS connection|Simulated account|Mail outbox|Chat notifications" })
    void eachDemoUserSeesExactlyTheNavigationOfTheirRole(String user, String expectedNav) {
        loginAs(user);
        List<String> labels = page.locator("#main-nav vaadin-side-nav-item").evaluateAll(
                "items => items.map(i => i.getAttribute('data-label'))") instanceof List<?> l
                        ? l.stream().map(String::valueOf).toList() : List.of();
        org.assertj.core.api.Assertions.assertThat(labels).containsExactly(expectedNav.split("\\|"));
        screenshot("home-" + user);
    }

    @Test
    void wrongPasswordIsRefusedAtTheLoginPage() {
        page.navigate(BASE + "/");
        page.locator("#username").fill("alice");
        page.locator("#password").fill("not-her-password");
        page.locator("button[type=submit]").click();
        assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT)).hasText("Invalid username or password.");
        assertThat(page.locator("#main-nav")).hasCount(0);
    }
}
