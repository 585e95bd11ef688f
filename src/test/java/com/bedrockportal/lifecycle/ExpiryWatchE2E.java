package com.bedrockportal.lifecycle;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
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
 * Expiry watch in the browser: alice turns scheduled rotation off for her application on its page; its key expires in
 * three days, and the check (called as the schedule calls it) puts the reminder in her notifications. Its link opens
 * the application page with Renew; she renews, and mike approves the renewal in his inbox, marked manager only — no
 * security stage — and provisioning issues the new key. Past its expiry the old key reads Expired on the application
 * page and on its key page.
 */
class ExpiryWatchE2E extends E2ESupport {

    @Autowired
    ExpiryWatch watch;
    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aliceTurnsRotationOffIsRemindedRenewsAndMikeAloneApproves() {
        BusinessUnit unit = Fixtures.unit(units, "expiry");
        AccessRequest created = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(created.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(created.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "PROVISIONED".equals(status(created.id())));
        long app = jdbc.queryForObject("select application_id from access_request where id = ?", Long.class,
                created.id());
        String appName = created.applicationName();
        long oldKey = jdbc.queryForObject("select id from api_key where request_id = ?", Long.class, created.id());
        String prefix = jdbc.queryForObject("select key_prefix from api_key where id = ?", String.class, oldKey);
        // Revealed eleven days ago, a 14-day key: it expires in three days.
        Instant now = Instant.now();
        jdbc.update("update api_key set status = 'ACTIVE', revealed_at = ?, revealed_by = 'alice', sealed_secret = null,"
                + " wrapped_key = null, created_at = ?, expires_at = ? where id = ?",
                now.minus(Duration.ofDays(11)).atOffset(ZoneOffset.UTC),
                now.minus(Duration.ofDays(11)).atOffset(ZoneOffset.UTC),
                now.plus(Duration.ofDays(3)).atOffset(ZoneOffset.UTC), oldKey);

        // The application follows the unit: rotated every 30 days. alice turns it off for this application.
        loginAs("alice");
        page.navigate(BASE + "/applications/" + app);
        assertThat(page.locator("#application-rotation")).containsText("Rotates every 30 days (unit default)");
        page.locator("#application-rotation-change").click();
        page.locator("#rotation-choice").click();
        page.locator("vaadin-select-item").filter(new Locator.FilterOptions().setHasText("Off (no scheduled rotation)"))
                .click();
        screenshot("expiry-rotation-dialog");
        page.locator("#rotation-confirm").click();
        assertThat(page.locator("#rotation-dialog")).hasCount(0);
        assertThat(page.locator("#application-rotation"))
                .containsText("No scheduled rotation (turned off for this application; unit default: Every 30 days)");
        assertThat(jdbc.queryForObject("select rotate_every from application where id = ?", String.class, app))
                .isEqualTo("OFF");

        // The scheduled check runs: without scheduled rotation, the owner is reminded, with Renew.
        watch.check();
        page.navigate(BASE + "/");
        page.locator("#notification-bell").click();
        Locator reminder = page.locator("#notification-list a").filter(new Locator.FilterOptions()
                .setHasText("Renew your Bedrock API key " + prefix + "… (" + appName + "): it expires in 3 days"));
        assertThat(reminder).hasCount(1);
        assertThat(page.locator("#notification-list")).containsText("Renew it on the application page");
        screenshot("expiry-reminder-notification");
        reminder.click();
        page.waitForURL(Pattern.compile(".*/applications/" + app + "$"));
        assertThat(page.locator("#application-renewal")).containsText("Key " + prefix + "… expires on");
        assertThat(page.locator("#application-renewal")).containsText("The manager of your unit approves it");
        screenshot("expiry-renew-banner");
        page.locator("#application-renew").click();
        page.waitForURL(Pattern.compile(".*/requests/\\d+$"));
        long renewal = Long.parseLong(page.url().replaceAll(".*/requests/(\\d+)$", "$1"));
        assertThat(page.locator("#detail-path")).hasAttribute("data-path", "manager");
        assertThat(page.locator("#detail-path")).containsText("a renewal");
        assertThat(page.locator("#detail-diff")).containsText("renewal of a key that runs out, same access");

        // The application page now says a renewal waits; no second one can be asked.
        page.navigate(BASE + "/applications/" + app);
        assertThat(page.locator("#application-renewal-open")).containsText("#" + renewal);
        assertThat(page.locator("#application-renew")).hasCount(0);

        try (BrowserContext mikes = Browsers.context()) {
            Page mike = loginAs(mikes.newPage(), "mike");
            mike.navigate(BASE + "/approvals");
            assertThat(mike.locator("#approvals-grid")).containsText("Renewal: " + appName + " (manager only)");
            mike.locator("#open-" + renewal).click();
            assertThat(mike.locator("#detail-path")).containsText("Your manager only: a renewal");
            mike.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                    .setPath(Path.of("target/screenshots", "expiry-renewal-manager.png")));
            mike.locator("#decision-approve").click();
            // Straight on to provisioning: no "Waiting for security review".
            assertThat(mike.locator("#request-status"))
                    .hasText(Pattern.compile("Approved.*|Provisioning.*|Provisioned.*"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "PROVISIONED".equals(status(renewal)));
        assertThat(jdbc.queryForList("select stage from request_decision where request_id = ?", String.class,
                renewal)).as("no security stage").containsExactly("MANAGER");
        assertThat(jdbc.queryForObject("select count(*) from api_key where request_id = ? and application_id = ?",
                Integer.class, renewal, app)).isEqualTo(1);

        // Past its expiry the old key reads Expired on the application page and on its key page.
        jdbc.update("update api_key set expires_at = ? where id = ?",
                Instant.now().minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC), oldKey);
        page.navigate(BASE + "/applications/" + app);
        assertThat(visibleCells("application-keys", "expired")).hasCount(1);
        page.navigate(BASE + "/keys/" + oldKey);
        assertThat(page.locator("#key-status")).hasText("expired");
        assertThat(page.locator("#key-expiry-timeline [data-event=REMIND_P7D]")).containsText("Reminder P7D");
        screenshot("expiry-key-page");
    }

    private String status(long requestId) {
        return jdbc.queryForObject("select status from access_request where id = ?", String.class, requestId);
    }
}
