package com.bedrockportal.layout;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.dashboard.HomeCounts;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.bedrockportal.workflow.Stage;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each role's home counts what waits for the user and names the next thing to do, each count linking to the page
 * where it is dealt with. The database is shared with other browser tests: counts are compared with what the
 * services say, and the fixture's own rows must move them by exactly one.
 */
class HomeE2E extends E2ESupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    HomeCounts counts;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    private long shown(String figure) {
        String v = page.locator("#home-fig-" + figure + " .portal-tile-value").getAttribute("data-value");
        return Long.parseLong(v);
    }

    private void home() {
        page.navigate(BASE + "/");
        assertThat(page.locator("#home")).isVisible();
    }

    @Test
    void aliceSeesHerPendingRequestsKeysToRevealExpiringKeysAndAlerts() {
        BusinessUnit unit = Fixtures.unit(units, "home");
        loginAs("alice");
        page.setViewportSize(1366, 900);
        home();
        long pending = shown("pending");
        long reveal = shown("reveal");
        long expiring7 = shown("expiring7");
        long expiring30 = shown("expiring30");
        long alerts = shown("my-alerts");

        RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        String slug = "home-" + UUID.randomUUID().toString().substring(0, 6);
        long app = Fixtures.application(jdbc, unit, slug);
        Instant now = Instant.now();
        String credential = "HOME" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        jdbc.update("""
                insert into api_key (business_unit_id, application_id, iam_user, credential_id, key_prefix, status,
                    created_at, expires_at, reveal_deadline, sealed_secret, requester)
                values (?, ?, ?, ?, 'ABSKhome0000', 'PENDING_REVEAL', ?, ?, ?, 'sealed', 'alice')""", unit.id(), app,
                unit.slug() + "-" + slug + "-bedrock", credential, Timestamp.from(now),
                Timestamp.from(now.plus(Duration.ofDays(5))), Timestamp.from(now.plus(Duration.ofDays(2))));
        jdbc.update("""
                insert into alert (rule, severity, status, fingerprint, open_fingerprint, application_id,
                    business_unit_id, title, evidence, measure, first_seen_at, last_seen_at, occurrences, created_at)
                values ('DENIED_BURST', 'HIGH', 'OPEN', ?, ?, ?, ?, 'Refused calls', 'test', 12, ?, ?, 1, ?)""",
                "home:" + credential, "home:" + credential, app, unit.id(), Timestamp.from(now),
                Timestamp.from(now), Timestamp.from(now));
        try {
            home();
            assertThat(page.locator("#home-fig-pending .portal-tile-value")).hasAttribute("data-value",
                    Long.toString(pending + 1));
            assertThat(page.locator("#home-fig-reveal .portal-tile-value")).hasAttribute("data-value",
                    Long.toString(reveal + 1));
            assertThat(page.locator("#home-fig-expiring7 .portal-tile-value")).hasAttribute("data-value",
                    Long.toString(expiring7 + 1));
            assertThat(page.locator("#home-fig-expiring30 .portal-tile-value")).hasAttribute("data-value",
                    Long.toString(expiring30 + 1));
            assertThat(page.locator("#home-fig-my-alerts .portal-tile-value")).hasAttribute("data-value",
                    Long.toString(alerts + 1));
            assertThat(page.locator("#home-fig-reveal")).containsText("ready to reveal");
            assertThat(page.locator("#home-fig-expiring7")).hasAttribute("href", "applications?expiring=7&q=alice");
            assertThat(page.locator("#home-fig-pending")).hasAttribute("href", "requests");
            // A key to reveal comes first.
            assertThat(page.locator("#home-requester-next")).containsText("Reveal your key");
            screenshot("home-alice-1366");
            page.setViewportSize(390, 844);
            home();
            page.waitForFunction("() => document.documentElement.scrollWidth <= window.innerWidth");
            screenshot("home-alice-390");
            page.locator("#home-fig-expiring7").click();
            assertThat(page).hasURL(BASE + "/applications?expiring=7&q=alice");
        } finally {
            jdbc.update("delete from alert where fingerprint = ?", "home:" + credential);
            jdbc.update("delete from api_key where credential_id = ?", credential);
            jdbc.update("update application set status = 'DECOMMISSIONED' where id = ?", app);
        }
    }

    @Test
    void mikeSeesTheApprovalsWaitingForHimWithTheOldestAndHisOwnRequests() {
        BusinessUnit unit = Fixtures.unit(units, "homem");
        RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        long waiting = RunAs.user("mike", () -> approvals.waiting().stream().filter(w -> w.stage() == Stage.MANAGER)
                .findFirst().orElseThrow().count(), "MANAGER", "REQUESTER");
        assertThat(waiting).isPositive();
        loginAs("mike");
        page.setViewportSize(1366, 900);
        home();
        assertThat(page.locator("#home-fig-approvals .portal-tile-value")).hasAttribute("data-value",
                Long.toString(waiting));
        assertThat(page.locator("#home-fig-approvals")).containsText("oldest waits");
        assertThat(page.locator("#home-fig-approvals")).hasAttribute("href", "approvals");
        assertThat(page.locator("#home-manager-next")).containsText("Decide the approvals waiting for you (" + waiting);
        // His own requests, as a requester.
        assertThat(page.locator("#home-requester #home-fig-pending")).isVisible();
        screenshot("home-mike-1366");

        RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        home();
        assertThat(page.locator("#home-fig-approvals .portal-tile-value")).hasAttribute("data-value",
                Long.toString(waiting + 1));
        page.setViewportSize(390, 844);
        home();
        page.waitForFunction("() => document.documentElement.scrollWidth <= window.innerWidth");
        screenshot("home-mike-390");
        page.locator("#home-manager-next-link").click();
        assertThat(page.locator("#approvals-grid")).isVisible();
    }

    @Test
    void saraSeesReviewsIncidentsAlertsCompromiseCasesAndDrift() {
        BusinessUnit unit = Fixtures.unit(units, "homes");
        long id = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER").id();
        RunAs.user("mike", () -> approvals.decide(id, true, null), "MANAGER");
        long reviews = RunAs.user("sara", () -> approvals.waiting().stream()
                .filter(w -> w.stage() == Stage.SECURITY).findFirst().orElseThrow().count(), "SECURITY");
        HomeCounts.Watch watch = RunAs.user("sara", () -> counts.watch(), "SECURITY");
        loginAs("sara");
        page.setViewportSize(1366, 900);
        home();
        assertThat(page.locator("#home-fig-security-reviews .portal-tile-value")).hasAttribute("data-value",
                Long.toString(reviews));
        assertThat(page.locator("#home-fig-incidents .portal-tile-value")).hasAttribute("data-value",
                Long.toString(watch.incidents()));
        assertThat(page.locator("#home-fig-compromise .portal-tile-value")).hasAttribute("data-value",
                Long.toString(watch.compromiseCases()));
        assertThat(page.locator("#home-fig-alerts .portal-tile-value")).hasAttribute("data-value",
                Long.toString(watch.openAlerts()));
        assertThat(page.locator("#home-fig-drift .portal-tile-value")).hasAttribute("data-value",
                Long.toString(watch.driftFindings()));
        assertThat(page.locator("#home-fig-alerts")).hasAttribute("href", "alerts?status=OPEN");
        assertThat(page.locator("#home-security-next")).containsText("Review the requests waiting for security ("
                + reviews);
        assertThat(page.locator("#home-security")).not().containsText("Use the audit log");
        screenshot("home-sara-1366");
        page.setViewportSize(390, 844);
        home();
        page.waitForFunction("() => document.documentElement.scrollWidth <= window.innerWidth");
        screenshot("home-sara-390");
        page.locator("#home-fig-security-reviews").click();
        assertThat(page.locator("#inbox-step-" + id)).hasText("Security review");
    }

    @Test
    void adamSeesIncidentsPostureAndUnitsWithoutAManager() {
        loginAs("adam");
        page.setViewportSize(1366, 900);
        home();
        long unmanaged = shown("unmanaged");
        // A unit whose only manager left (units are created with a manager).
        BusinessUnit unit = Fixtures.unit(units, "homea");
        jdbc.update("delete from business_unit_manager where business_unit_id = ?", unit.id());
        home();
        HomeCounts.Watch watch = RunAs.user("adam", () -> counts.watch(), "ADMIN");
        assertThat(watch.unitsWithoutManager()).isEqualTo(unmanaged + 1);
        assertThat(page.locator("#home-fig-unmanaged .portal-tile-value")).hasAttribute("data-value",
                Long.toString(unmanaged + 1));
        assertThat(page.locator("#home-fig-admin-incidents .portal-tile-value")).hasAttribute("data-value",
                Long.toString(watch.incidents()));
        assertThat(page.locator("#home-fig-posture")).hasAttribute("href", "admin/posture");
        assertThat(page.locator("#home-fig-unmanaged")).hasAttribute("href", "admin/business-units");
        assertThat(page.locator("#open-cockpit")).isVisible();
        screenshot("home-adam-1366");
        page.setViewportSize(390, 844);
        home();
        page.waitForFunction("() => document.documentElement.scrollWidth <= window.innerWidth");
        screenshot("home-adam-390");
    }
}
