package com.bedrockportal.shortkeys;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
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
 * 12-hour keys through the browser: alice requests an application with short-term keys only, mike and sara approve
 * it, alice gets a 12-hour key after logging in again and sees it once with its expiry; mike (not a member) is
 * refused until alice lists him as a member, then gets his own key, and is refused again once removed; sara's
 * graduation list shows it beside an older application that still uses a long-term key.
 */
class ShortTermKeyE2E extends E2ESupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aliceGetsA12HourKeyOnceMikeIsRefusedAndSaraSeesTheGraduation() {
        long olderApp = longTermApplication();

        record Seen(String url, String body) {
        }
        List<Seen> responses = new CopyOnWriteArrayList<>();
        List<String> urls = new CopyOnWriteArrayList<>();
        // Read once the body has arrived: a body still streaming (push's long-polling fallback) would hold the handler.
        page.onRequestFinished(q -> E2ESupport.finished(q, r -> responses.add(new Seen(r.url(), body(r)))));
        page.onRequest(r -> urls.add(r.url()));
        context.grantPermissions(List.of("clipboard-read", "clipboard-write"));

        loginAs("alice");
        page.navigate(BASE + "/requests/new");
        String name = "Short keys " + java.util.UUID.randomUUID().toString().substring(0, 6);
        fillRequest(page, "Marketing", name, "Drafts social posts from the campaign calendar, run by hand.",
                "Nova Lite");
        assertThat(page.locator("#request-key-kind-tradeoff")).containsText("must be stored safely and rotated");
        page.locator("#request-key-kind-choice vaadin-radio-button")
                .filter(new Locator.FilterOptions().setHasText("Short-term keys only")).click();
        assertThat(page.locator("#request-key-kind-tradeoff")).containsText("each key expires within 12 hours");
        page.setViewportSize(1366, 900);
        page.locator("#request-key-kind").scrollIntoViewIfNeeded();
        screenshot("shortkeys-form-1366");
        page.setViewportSize(390, 844);
        page.locator("#request-key-kind").scrollIntoViewIfNeeded();
        screenshot("shortkeys-form-390");
        page.setViewportSize(1366, 900);
        long id = submitRequest(page);

        try (BrowserContext mikes = Browsers.context()) {
            Page mike = loginAs(mikes.newPage(), "mike");
            mike.navigate(BASE + "/requests/" + id);
            assertThat(mike.locator("#request-status")).hasText("Waiting for manager");
            assertThat(mike.locator("#decision-approve")).isEnabled();
            mike.locator("#decision-approve").click();
            assertThat(mike.locator("#request-status")).hasText("Waiting for security review");
        }
        try (BrowserContext saras = Browsers.context()) {
            Page sara = loginAs(saras.newPage(), "sara");
            sara.navigate(BASE + "/requests/" + id);
            assertThat(sara.locator("#decision-panel")).containsText("Your security review");
            assertThat(sara.locator("#decision-approve")).isEnabled();
            sara.locator("#decision-approve").click();
            assertThat(sara.locator("#request-status")).hasText(Pattern.compile("Approved|Provisioning|Provisioned"));
        }
        assertThat(page.locator("#request-status")).hasText("Provisioned — 12-hour keys");
        assertThat(page.locator("#reveal-key")).hasCount(0);
        // The steps say what was made: a role, and no long-term key.
        assertThat(page.locator("#provisioning-steps [data-step=IAM_USER]")).containsText("IAM role with tags");
        assertThat(page.locator("#provisioning-steps [data-step=API_KEY]")).containsText("No long-term key");
        Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> jdbc.queryForObject("select application_id from access_request where id = ?",
                Long.class, id) != null);
        long app = jdbc.queryForObject("select application_id from access_request where id = ?", Long.class, id);

        page.navigate(BASE + "/applications/" + app);
        assertThat(page.locator("#short-term-keys-card")).containsText("uses short-term keys only");
        // Nothing to rotate: its keys live 12 hours and are never stored.
        assertThat(page.locator("#rotation-card")).hasCount(0);
        getKeyLoggingInAgain(page, "alice");

        Locator key = page.locator("#short-term-key");
        assertThat(key).hasText(Pattern.compile("^bedrock-api-key-[A-Za-z0-9+/]+=*$"));
        assertThat(page.locator("#short-term-key-expiry")).containsText("Valid until");
        assertThat(page.locator("#short-term-key-expiry")).containsText("us-east-1");
        String shown = key.textContent();
        page.locator("#copy-short-term-key").click();
        assertThat(page.locator("#copy-short-term-key")).hasText("Copied");
        assertThat((String) page.evaluate("navigator.clipboard.readText()")).isEqualTo(shown);
        screenshot("shortkeys-dialog-1366");
        page.setViewportSize(390, 844);
        screenshot("shortkeys-dialog-390");
        page.setViewportSize(1366, 900);
        assertThat(page.url()).doesNotContain(shown.substring(16, 40));
        page.locator("#short-term-key-close").click();
        assertThat(page).hasURL(BASE + "/applications/" + app);
        assertThat(page.locator("#short-term-keys-card")).isVisible();

        // Exactly one response carried the key (the page that built it); no URL ever did.
        assertThat(responses.stream().filter(r -> r.body().contains(shown.substring(16))).toList()).hasSize(1);
        assertThat(urls).noneMatch(u -> u.contains(shown.substring(16, 40)));
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'SHORT_TERM_KEY_ISSUED' "
                + "and target = ? and actor = 'alice'", Integer.class, "application:" + app)).isEqualTo(1);

        try (BrowserContext mikes = Browsers.context()) {
            Page mike = loginAs(mikes.newPage(), "mike");
            mike.navigate(BASE + "/applications/" + app);
            assertThat(mike.locator("#short-term-keys-owner-only")).containsText("Only the application's owner");
            assertThat(mike.locator("#get-short-term-key")).hasCount(0);
            mike.navigate(BASE + "/applications/" + app + "/short-term-key");
            assertThat(mike.locator("#short-term-key-unavailable")).containsText("Only the application's owner");
            assertThat(mike.locator("#short-term-key")).hasCount(0);
        }

        // alice lists mike (a member of marketing) as a member of the application: an empty choice is refused
        // next to the field, then mike may get keys too.
        assertThat(page.locator("#short-term-members-list")).containsText("(owner)");
        page.locator("#short-term-member-add").click();
        assertThat(page.locator("#short-term-member-pick")).hasAttribute("invalid", "");
        assertThat(page.locator("#short-term-member-pick")).containsText("Choose a member of the unit.");
        choose("short-term-member-pick", "Mike Manager");
        page.locator("#short-term-member-add").click();
        assertThat(page.locator("#short-term-members-list")).containsText("Mike Manager (mike)");
        assertThat(page.locator("#short-term-members-list")).containsText("added by alice");
        page.locator("#short-term-keys-card").scrollIntoViewIfNeeded();
        screenshot("shortkeys-members-1366");
        page.setViewportSize(390, 844);
        page.locator("#short-term-keys-card").scrollIntoViewIfNeeded();
        screenshot("shortkeys-members-390");
        page.setViewportSize(1366, 900);

        try (BrowserContext mikes = Browsers.context()) {
            Page mike = loginAs(mikes.newPage(), "mike");
            mike.navigate(BASE + "/applications/" + app);
            assertThat(mike.locator("#short-term-keys-owner-only")).hasCount(0);
            getKeyLoggingInAgain(mike, "mike");
            assertThat(mike.locator("#short-term-key")).hasText(Pattern.compile("^bedrock-api-key-[A-Za-z0-9+/]+=*$"));
            assertThat(mike.locator("#short-term-key")).not().hasText(shown);
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'SHORT_TERM_KEY_ISSUED' "
                + "and target = ? and actor = 'mike'", Integer.class, "application:" + app)).isEqualTo(1);

        // Removed again, mike is refused again.
        page.reload();
        page.locator("#short-term-member-remove-mike").click();
        assertThat(page.locator("#short-term-members-list")).not().containsText("Mike Manager");
        try (BrowserContext mikes = Browsers.context()) {
            Page mike = loginAs(mikes.newPage(), "mike");
            mike.navigate(BASE + "/applications/" + app + "/short-term-key");
            assertThat(mike.locator("#short-term-key-unavailable")).containsText("Only the application's owner");
        }

        try (BrowserContext saras = Browsers.context(
                new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1366, 900))) {
            Page sara = loginAs(saras.newPage(), "sara");
            assertThat(sara.locator("#home-graduation-summary")).containsText("still use long-term keys");
            sara.navigate(BASE + "/graduation");
            assertThat(sara.locator("#graduation-summary")).containsText("use 12-hour keys only");
            assertThat(sara.locator("#graduation-grid [data-app='" + app + "'][data-keys=short-term]")
                    .filter(new Locator.FilterOptions().setVisible(true))).hasCount(1);
            assertThat(sara.locator("#graduation-grid [data-app='" + olderApp + "'][data-keys=long-term]")
                    .filter(new Locator.FilterOptions().setVisible(true))).hasCount(1);
            sara.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots",
                    "shortkeys-graduation-1366.png")).setFullPage(true));
            sara.setViewportSize(390, 844);
            assertThat(sara.locator("#graduation-grid [data-app='" + app + "'][data-keys=short-term]")
                    .filter(new Locator.FilterOptions().setVisible(true))).hasCount(1);
            sara.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots",
                    "shortkeys-graduation-390.png")).setFullPage(true));
        }
    }

    /** An application with a long-term key, requested and approved through the services (older than alice's). */
    @Autowired
    com.bedrockportal.application.ShortTermSuspensions suspensions;

    /**
     * An access review revoked alice's short-term application: her page says so and offers no key; sara resumes it on
     * the same page (a reason is required, said next to the field), and alice can get keys again.
     */
    @Test
    void suspended12HourKeysAreShownAndSecurityResumesThem() {
        long app = application(true);
        suspensions.suspend(app, "mike", "Access review 7: team disbanded");

        loginAs("alice");
        page.navigate(BASE + "/applications/" + app);
        assertThat(page.locator("#short-term-suspended")).containsText("suspended since");
        assertThat(page.locator("#short-term-suspended")).containsText("by mike: Access review 7: team disbanded");
        assertThat(page.locator("#get-short-term-key")).hasCount(0);
        assertThat(page.locator("#short-term-resume")).hasCount(0);

        try (BrowserContext saras = Browsers.context()) {
            Page sara = loginAs(saras.newPage(), "sara");
            sara.navigate(BASE + "/applications/" + app);
            sara.locator("#short-term-resume").click();
            assertThat(sara.locator("#short-term-resume-reason")).hasAttribute("invalid", "");
            sara.locator("#short-term-keys-card").scrollIntoViewIfNeeded();
            sara.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots",
                    "shortkeys-suspended-security.png")));
            assertThat(sara.locator("#short-term-resume-reason")).containsText("Say why");
            sara.locator("#short-term-resume-reason input").fill("The unit kept the application; owner confirmed.");
            sara.locator("#short-term-resume").click();
            assertThat(sara.locator("#short-term-suspended")).hasCount(0);
            assertThat(sara.locator("vaadin-notification-card").filter(new Locator.FilterOptions()
                    .setHasText("are issued again"))).isVisible();
        }
        page.reload();
        assertThat(page.locator("#get-short-term-key")).isVisible();
        assertThat(page.locator("#short-term-suspended")).hasCount(0);
    }

    private long longTermApplication() {
        return application(false);
    }

    private long application(boolean shortTerm) {
        RequestDraft d = Fixtures.request(Fixtures.unit(units, shortTerm ? "st" : "lt").id());
        if (shortTerm) {
            d.setShortTermOnly(true);
            d.setStoreSecret(false);
        }
        AccessRequest r = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> "PROVISIONED".equals(jdbc
                .queryForObject("select status from access_request where id = ?", String.class, r.id())));
        return jdbc.queryForObject("select application_id from access_request where id = ?", Long.class, r.id());
    }

    /** Clicks "Get a 12-hour key" on the application page and logs in again (demo password: user + "-demo"). */
    private static void getKeyLoggingInAgain(Page p, String user) {
        p.locator("#get-short-term-key").click();
        assertThat(p.locator("#reauth-why")).containsText("only after you log in again");
        assertThat(p.locator("#username")).isVisible();
        p.locator("#username").fill(user);
        p.locator("#password").fill(user + "-demo");
        p.locator("button[type=submit]").click();
    }
}
