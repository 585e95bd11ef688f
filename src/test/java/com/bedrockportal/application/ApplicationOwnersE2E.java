package com.bedrockportal.application;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitDraft;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.microsoft.playwright.Browser;
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
 * Ownership in the browser: mike hands an application of alice's over to another member of Marketing and the IAM
 * user's owner tag in the simulated account follows; adam removes a member who owns an application and mike finds it
 * on his home page, with the day its keys will be disabled and a link to hand it over; when the member rejoins, the
 * card is gone and mike's notifications say the application has its owner back.
 */
class ApplicationOwnersE2E extends E2ESupport {

    @Autowired
    BusinessUnitService units;
    @Autowired
    IamUsers users;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void mikeHandsAlicesApplicationOverAndTheIamUsersOwnerTagChanges() {
        long marketing = jdbc.queryForObject("select id from business_unit where slug = 'marketing'", Long.class);
        BusinessUnit unit = units.find(marketing).orElseThrow();
        String slug = "handover-" + UUID.randomUUID().toString().substring(0, 6);
        long app = application(unit, slug, "alice");
        String iamUser = ApplicationNames.iamUser(unit.slug(), slug);
        assertThat(ownerTag(iamUser)).isEqualTo("alice@example.com");

        loginAs("mike");
        page.navigate(BASE + "/applications/" + app);
        assertThat(page.locator("#application-owner")).containsText("alice");
        page.locator("#application-handover").click();
        choose("handover-owner", "Mike Manager");
        assertThat(page.locator("#handover-email input")).hasValue("mike@example.com");
        page.locator("#handover-reason textarea").fill("Alice moves to the brand team; I run the campaign tools now.");
        screenshot("application-handover-dialog");
        page.locator("#handover-confirm").click();

        assertThat(page.locator("#handover-dialog")).hasCount(0);
        assertThat(page.locator("#application-owner")).containsText("mike · mike@example.com");
        assertThat(ownerTag(iamUser)).isEqualTo("mike@example.com");
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and link = ?",
                Integer.class, "applications/" + app)).isEqualTo(1);
        screenshot("application-handed-over");
    }

    @Test
    void adamRemovesAMemberWhoOwnsAnApplicationAndMikeSeesItOnHisHomePage() {
        BusinessUnit unit = Fixtures.unit(units, "leave", Set.of("mike"), Set.of("alice", "bob"));
        String slug = "reports-" + UUID.randomUUID().toString().substring(0, 6);
        long app = application(unit, slug, "bob");

        // Tall enough that the members' list opens clear of the dev-mode notice at the bottom of the window.
        page.setViewportSize(1280, 1400);
        loginAs("adam");
        page.navigate(BASE + "/admin/business-units");
        visibleCells("bu-grid", unit.displayName()).first().click();
        // The chip's remove button (typing "bob" would add it back as a custom value when the field is left).
        page.locator("#bu-members vaadin-multi-select-combo-box-chip").filter(new Locator.FilterOptions()
                .setHasText("bob")).locator("[part='remove-button']").click();
        assertThat(page.locator("#bu-members vaadin-multi-select-combo-box-chip").filter(new Locator.FilterOptions()
                .setHasText("bob"))).hasCount(0);
        screenshot("business-unit-member-removed");
        page.locator("#bu-save").click();
        assertThat(page.locator("#bu-editor")).isHidden();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !units.find(unit.id()).orElseThrow().members()
                .contains("bob"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select orphaned_at is not null from application where id = ?", Boolean.class, app));

        try (BrowserContext mikes = Browsers.context(new Browser.NewContextOptions()
                .setViewportSize(1280, 900))) {
            Page mike = loginAs(mikes.newPage(), "mike");
            mike.navigate(BASE + "/");
            Locator item = mike.locator("#home-orphan-" + app);
            assertThat(mike.locator("#home-orphans")).containsText("Applications needing a new owner");
            assertThat(item).containsText("Application " + slug);
            assertThat(item).containsText("owner bob left on");
            assertThat(item).containsText("keys disabled on");
            mike.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots",
                    "home-orphans.png")).setFullPage(true));
            item.getByText("Hand over").click();
            assertThat(mike.locator("#application-orphan")).containsText("bob left the unit");
            assertThat(mike.locator("#application-handover")).isVisible();
            // Made before applications had a creating request: no "Created by request #0" link (until 6 December).
            assertThat(mike.locator("#application-about")).containsText(slug);
            assertThat(mike.locator("#application-about")).not().containsText("Created by request");

            // bob rejoins the unit: the flag is cleared and mike is told the application has its owner back.
            BusinessUnitDraft draft = BusinessUnitDraft.of(units.find(unit.id()).orElseThrow());
            draft.setMembers(List.of("alice", "bob"));
            RunAs.user("adam", () -> units.update(draft), "ADMIN");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                    "select orphaned_at is null from application where id = ?", Boolean.class, app));
            mike.navigate(BASE + "/");
            assertThat(mike.locator("#home-orphan-" + app)).hasCount(0);
            mike.locator("#notification-bell").click();
            Locator back = mike.locator("#notification-list a").filter(new Locator.FilterOptions()
                    .setHasText("Application " + slug + " of " + unit.displayName() + " has its owner back"));
            assertThat(back).hasCount(1);
            assertThat(mike.locator("#notification-list")).containsText("bob is a member of " + unit.displayName()
                    + " again and still owns Application " + slug);
            back.click();
            mike.waitForURL(Pattern.compile(".*/applications/" + app + "$"));
            assertThat(mike.locator("#application-orphan")).hasCount(0);
        }
    }

    /** An application of the unit owned by {@code owner}, with its IAM user in the simulated account. */
    private long application(BusinessUnit unit, String slug, String owner) {
        Application.AwsNames names = ApplicationNames.of(unit.slug(), slug);
        jdbc.update("""
                insert into application (business_unit_id, slug, display_name, owner, owner_email, purpose,
                    data_classification, models, regions, source_cidrs, lifetime_days, monthly_budget,
                    alert_threshold, alert_emails, store_secret, iam_user, budget_name, secret_name, status,
                    created_at, updated_at)
                values (?, ?, ?, ?, ?, 'Drafts campaign copy.', 'INTERNAL', 'amazon.nova-lite-v1:0', 'us-east-1', '',
                    30, 300, 80, 'alice@example.com', false, ?, ?, ?, 'ACTIVE', current_timestamp, current_timestamp)""",
                unit.id(), slug, "Application " + slug, owner, owner + "@example.com", names.iamUser(),
                names.budgetName(), names.secretName());
        users.createUser(names.iamUser(), "/bedrock-portal/", Map.of("business-unit", unit.slug(), "application",
                slug, "owner", owner + "@example.com", "purpose", "bedrock"));
        return jdbc.queryForObject("select id from application where business_unit_id = ? and slug = ?", Long.class,
                unit.id(), slug);
    }

    private String ownerTag(String iamUser) {
        return jdbc.queryForObject("select tag_value from sandbox_iam_user_tag where user_name = ? and tag_key = 'owner'",
                String.class, iamUser);
    }

    /** More orphans than the card lists: the longest waiting (whose keys go first) and how many more there are. */
    @Test
    void pastTwentyOrphansTheHomeCardListsTheLongestWaitingAndSaysHowManyMore() {
        BusinessUnit unit = Fixtures.unit(units, "orph", Set.of("mike"), Set.of("alice"));
        List<Long> apps = new ArrayList<>();
        try {
            for (int i = 0; i <= ApplicationOwners.MAX_ORPHANS_SHOWN; i++) {
                long app = Fixtures.application(jdbc, unit, "orph-" + i);
                // Flagged long before any other test's orphan, a minute apart: these are the longest waiting.
                jdbc.update("update application set orphaned_at = ?, orphaned_owner = 'carol' where id = ?",
                        OffsetDateTime.now(ZoneOffset.UTC).minusDays(400).plusMinutes(i), app);
                apps.add(app);
            }
            loginAs("mike");
            page.navigate(BASE + "/");
            assertThat(page.locator("#home-orphans li")).hasCount(ApplicationOwners.MAX_ORPHANS_SHOWN);
            for (long app : apps.subList(0, ApplicationOwners.MAX_ORPHANS_SHOWN)) {
                assertThat(page.locator("#home-orphan-" + app)).isVisible();
            }
            assertThat(page.locator("#home-orphan-" + apps.get(ApplicationOwners.MAX_ORPHANS_SHOWN))).hasCount(0);
            assertThat(page.locator("#home-orphans-more")).containsText(Pattern.compile(
                    "\\d+ more of \\d+ wait for a new owner"));
            screenshot("home-orphans-more");
        } finally {
            // Other tests look for their own orphan on mike's card: these leave it.
            apps.forEach(app -> jdbc.update("update application set orphaned_at = null, orphaned_owner = null "
                    + "where id = ?", app));
        }
    }
}
