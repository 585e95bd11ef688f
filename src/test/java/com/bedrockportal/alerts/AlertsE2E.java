package com.bedrockportal.alerts;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.microsoft.playwright.Locator;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security inbox in the browser, as sara: refused calls and a call from outside the ranges, written into the
 * usage table as the usage collection would, become two alerts on "Evaluate now"; she dismisses the burst with a
 * reason (refused without one) and disables the key from the other alert — and the simulated account shows the key
 * Inactive.
 */
class AlertsE2E extends E2ESupport {

    @Autowired
    SimulatedAccount aws;
    @Autowired
    ApiKeys keys;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    private record Seeded(long app, String appName, ApiKey key) {
    }

    private Seeded anApplicationWithAnActiveKey() {
        BusinessUnit unit = Fixtures.unit(units, "ae", Set.of("mike"), Set.of("alice"));
        String slug = "inbox" + UUID.randomUUID().toString().substring(0, 4);
        long app = Fixtures.application(jdbc, unit, slug);
        return new Seeded(app, "Application " + slug, AlertFixtures.activeKey(jdbc, aws, keys, unit, app));
    }

    private void event(Seeded s, String kind, Instant at, String ip, String error) {
        AlertFixtures.event(jdbc, s.app(), s.key(), kind, at, ip, error);
    }

    private Locator alertLink(String text) {
        return page.locator("#alerts-grid vaadin-grid-cell-content a")
                .filter(new Locator.FilterOptions().setHasText(text).setVisible(true));
    }

    private void shots(String name) {
        page.setViewportSize(1366, 900);
        screenshot(name + "-1366");
        page.setViewportSize(390, 844);
        screenshot(name + "-390");
        page.setViewportSize(1366, 900);
    }

    private void act(String button, String reason) {
        page.locator("#" + button).click();
        page.locator("#alert-confirm").click();
        assertThat(page.locator("#alert-reason")).containsText("Give a reason.");
        correct(page.locator("#alert-reason"), reason);
        page.locator("#alert-confirm").click();
        assertThat(page.locator("#alert-dialog")).hasCount(0);
    }

    @Test
    void saraEvaluatesSeesBothAlertsDismissesOneAndDisablesTheKeyFromTheOther() {
        Seeded s = anApplicationWithAnActiveKey();
        Instant start = Instant.now().minus(Duration.ofMinutes(40));
        for (int i = 0; i < 12; i++) {
            event(s, "DENIED", start.plusSeconds(10L * i), "198.51.100.23", "AccessDeniedException");
        }
        event(s, "OUTSIDE_RANGE", Instant.now().minus(Duration.ofMinutes(15)), "203.0.113.77", null);

        loginAs("sara");
        page.navigate(BASE + "/alerts?status=OPEN");
        assertThat(page.locator("#alerts-grid")).isVisible();
        page.locator("#alerts-evaluate").click();
        assertThat(page.locator("vaadin-notification-card").filter(new Locator.FilterOptions().setHasText(
                "Evaluated:"))).isVisible();
        Locator burst = alertLink(s.appName() + ": 12 calls refused (AccessDenied) within 5 minutes");
        Locator outside = alertLink(s.appName() + ": 1 call(s) from 1 address(es) outside its IP ranges");
        assertThat(burst).isVisible();
        assertThat(outside).isVisible();
        shots("alerts-inbox");

        // The burst: looked at, dismissed with a reason.
        burst.click();
        assertThat(page.locator("#alert-evidence")).containsText("12 calls refused within 5 minutes");
        assertThat(page.locator("#alert-evidence")).containsText("198.51.100.23");
        assertThat(page.locator("#alert-key")).containsText(s.key().prefix());
        shots("alert-detail");
        act("alert-dismiss", "Partner load test, agreed with the owner");
        assertThat(page.locator("#alert-status")).hasText("Dismissed");
        assertThat(page.locator("#alert-reason-shown")).containsText("Partner load test, agreed with the owner");
        assertThat(page.locator("#alert-actions vaadin-button")).hasCount(0);

        // The open list no longer shows it; the call from outside the ranges is still there.
        page.navigate(BASE + "/alerts?status=OPEN");
        assertThat(outside).isVisible();
        assertThat(burst).hasCount(0);

        outside.click();
        assertThat(page.locator("#alert-evidence")).containsText("203.0.113.77");
        act("alert-disable", "Calls from an address nobody knows");
        assertThat(page.locator("#alert-status")).hasText("Acted on");
        assertThat(page.locator("#alert-closed")).containsText("Key disabled");
        assertThat(page.locator("#alert-key")).containsText("inactive");
        assertThat(jdbc.queryForObject("select status from sandbox_credential where id = ?", String.class,
                s.key().credentialId())).isEqualTo("Inactive");

        // Every status: both, with what happened to them.
        page.navigate(BASE + "/alerts?status=ALL&rule=OUTSIDE_IP_RANGE");
        assertThat(outside).isVisible();
        assertThat(burst).hasCount(0);
        page.navigate(BASE + "/alerts?status=DISMISSED");
        assertThat(burst).isVisible();
        shots("alerts-dismissed");
        assertThat(Path.of("target/screenshots/alert-detail-390.png")).exists();
    }
}
