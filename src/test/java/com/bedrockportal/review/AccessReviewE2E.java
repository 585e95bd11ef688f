package com.bedrockportal.review;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access reviews in the browser: sara starts a campaign; mike opens "Access reviews", keeps one application, is told
 * next to the field that a revoke needs a reason, revokes another (its key is gone from the account) and reduces a
 * third (the change-request form opens on it); sara sees the unit done, the decisions, and downloads the CSV. A
 * missed deadline (its timer fired through the engine) disables the key of what nobody decided: its owner sees the
 * key inactive, the manager sees the review over.
 */
class AccessReviewE2E extends E2ESupport {

    @Autowired
    BusinessUnitService units;
    @Autowired
    ApiKeys keys;
    @Autowired
    IamUsers users;
    @Autowired
    ServiceCredentials credentials;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ManagementService management;
    @Autowired
    RuntimeService runtime;
    @Autowired
    AccessReviews reviews;

    ReviewKeys fixtures;
    BusinessUnit unit;

    @BeforeEach
    void aUnitOfMikesWithApplications() {
        fixtures = new ReviewKeys(jdbc, keys, users, credentials);
        // Other browser tests share this database: only one campaign is open at a time.
        fixtures.closeOpenCampaigns();
        unit = Fixtures.unit(units, "rve", Set.of("mike"), Set.of("alice", "mike"));
    }

    /** Leaves no campaign open for the other browser tests (a manager's home would count its reviews). */
    @AfterEach
    void closeCampaigns() {
        fixtures.closeOpenCampaigns();
    }

    private Locator card(Page p, String slug) {
        return p.locator("[data-application='" + slug + "']");
    }

    private void shoot(Page p, String name) {
        for (int width : new int[] { 1366, 390 }) {
            p.setViewportSize(width, 900);
            // lists switch between columns and cards after the browser reports the new width
            String layout = width < 700 ? "cards" : "columns";
            p.waitForFunction("l => [...document.querySelectorAll('.portal-responsive-grid')]"
                    + ".every(g => g.getAttribute('data-layout') === l)", layout);
            p.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                    .setPath(Path.of("target/screenshots", name + "-" + width + ".png")));
        }
        p.setViewportSize(1280, 900);
    }

    @Test
    void saraStartsACampaignMikeKeepsRevokesAndReducesAndSaraDownloadsTheDecisions() throws Exception {
        ApiKey kept = fixtures.application(unit, "kept", "alice");
        ApiKey revoked = fixtures.application(unit, "revoked", "alice");
        ApiKey reduced = fixtures.application(unit, "reduced", "alice");

        loginAs("sara");
        page.navigate(BASE + "/reviews/campaigns");
        page.locator("#review-start").click();
        assertThat(page.locator("#review-start-message")).containsText("started");
        assertThat(page.locator("#review-campaign-status")).containsText("0 of");
        assertThat(visibleCells("review-units-grid", unit.displayName())).hasCount(1);
        shoot(page, "review-campaign-started");

        try (BrowserContext mikes = Browsers.context(new Browser.NewContextOptions()
                .setViewportSize(1280, 900))) {
            Page mike = mikes.newPage();
            loginAs(mike, "mike");
            // his home counts the reviews waiting for him (this unit's among them)
            assertThat(mike.locator("#home-fig-access-reviews")).isVisible();
            mike.locator("#main-nav vaadin-side-nav-item").filter(new Locator.FilterOptions()
                    .setHasText("Access reviews")).click();
            mike.locator("#review-grid a").filter(new Locator.FilterOptions().setHasText(unit.displayName()))
                    .first().click();
            assertThat(mike.locator("#review-summary")).containsText("0 of 3 applications decided");
            assertThat(card(mike, "kept")).containsText("Nova Lite");
            assertThat(card(mike, "kept")).containsText("us-east-1");
            assertThat(card(mike, "kept")).containsText(kept.prefix());
            shoot(mike, "review-unit-mike");

            card(mike, "kept").locator("textarea").fill("Still used by the campaign team.");
            card(mike, "kept").locator(".review-keep").click();
            assertThat(card(mike, "kept")).containsText("Kept by mike");

            card(mike, "revoked").locator(".review-revoke").click();
            assertThat(card(mike, "revoked").locator("vaadin-text-area")).hasAttribute("invalid", "");
            assertThat(card(mike, "revoked").locator("vaadin-text-area")).containsText(
                    "Say why the access is revoked.");
            assertThat(card(mike, "revoked")).not().containsText("Revoked by");
            shoot(mike, "review-revoke-reason-missing");
            card(mike, "revoked").locator("textarea").fill("The project ended in June.");
            card(mike, "revoked").locator(".review-revoke").click();
            assertThat(card(mike, "revoked")).containsText("Revoked by mike");
            assertThat(card(mike, "revoked")).containsText("The project ended in June.");
            assertThat(fixtures.status(revoked)).isEqualTo("REVOKED");
            assertThat(fixtures.inAws(revoked)).isNull();

            // nina is revoking "reduced" at this moment (her Revoke marks the item while its keys go): mike's card
            // says so after a reload, and his Reduce is refused with her name; once hers has stopped, his goes.
            long reducedItem = jdbc.queryForObject("select id from access_review_item where application_id = ?",
                    Long.class, fixtures.applicationOf(reduced));
            jdbc.update("update access_review_item set revoking_by = 'nina', revoking_since = now(), "
                    + "revoking_token = 'e2e' where id = ?",
                    reducedItem);
            mike.reload();
            assertThat(card(mike, "reduced").locator(".review-revoking")).containsText(
                    "nina is revoking this application's keys (last progress");
            card(mike, "reduced").locator(".review-reduce").click();
            assertThat(card(mike, "reduced")).containsText("nina is revoking this application's keys: wait for it");
            assertThat(card(mike, "reduced")).not().containsText("Reduced by");
            shoot(mike, "review-revoking-elsewhere");
            jdbc.update("update access_review_item set revoking_by = null, revoking_since = null, "
                    + "revoking_token = null where id = ?",
                    reducedItem);
            card(mike, "reduced").locator(".review-reduce").click();
            mike.waitForURL(u -> u.contains("/requests/new?change="));
            assertThat(mike.locator("#request-application input")).hasValue(Pattern.compile(
                    "Application reduced.*"));
        }

        page.reload();
        assertThat(page.locator("#review-campaign-status")).containsText("3 of");
        assertThat(visibleCells("review-units-grid", "Done")).not().hasCount(0);
        assertThat(visibleCells("review-decisions-grid", "The project ended in June.")).hasCount(1);
        shoot(page, "review-campaign-decided");
        Download download = page.waitForDownload(() -> page.locator("#review-export").click());
        String csv = Files.readString(download.path(), StandardCharsets.UTF_8);
        assertThat(csv).contains("Application kept,alice,KEEP,Still used by the campaign team.,mike")
                .contains("Application revoked,alice,REVOKE,The project ended in June.,mike")
                .contains("Application reduced,alice,REDUCE");
        assertThat(fixtures.inAws(kept)).isEqualTo("Active");
    }

    @Test
    void aMissedDeadlineDisablesTheKeyOfWhatNobodyDecided() {
        ApiKey forgotten = fixtures.application(unit, "forgotten", "alice");
        long campaign = RunAs.user("sara", () -> reviews.start(), "SECURITY");
        long unitReview = jdbc.queryForObject("select id from access_review_unit where campaign_id = ? "
                + "and business_unit_id = ?", Long.class, campaign, unit.id());

        // The deadline, now: its timer job runs through the engine; the job executor then runs the missed step.
        String instance = runtime.createProcessInstanceQuery().processDefinitionKey("bedrock-access-review")
                .processInstanceBusinessKey(Long.toString(campaign))
                .singleResult().getId();
        Job deadline = management.createJobQuery().timers().processInstanceId(instance)
                .activityId("BoundaryEvent_Deadline").list().stream()
                .filter(j -> ((Number) runtime.getVariable(j.getExecutionId(), "unitReviewId")).longValue()
                        == unitReview)
                .findFirst().orElseThrow();
        jdbc.update("update access_review_campaign set deadline = ? where id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(60)), campaign);
        management.executeJob(deadline.getId());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "INACTIVE".equals(fixtures.status(forgotten)));

        loginAs("alice");
        page.navigate(BASE + "/keys/" + forgotten.id());
        assertThat(page.locator("#key-status")).hasText("inactive");
        assertThat(page.locator("#key-last-change")).containsText("Not attested in access review " + campaign);
        screenshot("review-missed-key-alice");

        try (BrowserContext mikes = Browsers.context(new Browser.NewContextOptions()
                .setViewportSize(1280, 900))) {
            Page mike = mikes.newPage();
            loginAs(mike, "mike");
            mike.navigate(BASE + "/reviews/" + unitReview);
            assertThat(mike.locator("#review-over")).containsText("The deadline passed");
            assertThat(card(mike, "forgotten")).containsText("Not decided by the deadline");
            assertThat(card(mike, "forgotten").locator(".review-keep")).hasCount(0);
            shoot(mike, "review-missed-mike");
        }
    }
}
