package com.bedrockportal.dashboard;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard as sara (everything: tiles equal to the database's own counts, a unit's seeded keys, spend and calls
 * in the charts' tables, a tile that opens the filtered list, the request list's filter and CSV export), as mike
 * (his units only) and as alice (her applications only).
 */
class DashboardE2E extends E2ESupport {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    BusinessUnitService units;
    @Autowired
    RequestService requests;
    @Autowired
    Dashboard dashboard;

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    @Autowired
    FigureQueries queries;
    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactionManager;

    /**
     * On H2, the embedded default, too: the expiry chart's weeks are UTC weeks for a session 14 hours ahead (a cast to
     * a date, even "at time zone 'UTC'", took the session's zone and moved a key expiring at 23:00 UTC on a Sunday into
     * the next week). DashboardIT checks the same on PostgreSQL.
     */
    @Test
    void theExpiryChartsWeeksAreUtcOnTheEmbeddedDatabase() {
        String owner = "tz-" + UUID.randomUUID().toString().substring(0, 6);
        java.time.LocalDate sunday = new DashboardSeed(jdbc).keyExpiringLateOnASunday(Fixtures.unit(units, "dtz"),
                owner);
        Figures figures = DashboardSeed.computedFarEast(transactionManager, jdbc, queries,
                new Scope("owner:" + owner, null, owner), "set time zone 'Pacific/Kiritimati'", "set time zone local");
        org.assertj.core.api.Assertions.assertThat(figures.expiry()).filteredOn(w -> w.weekStart().equals(
                sunday.minusDays(6))).singleElement().extracting(Figures.WeekCount::keys).isEqualTo(1L);
    }

    @Test
    void securitySeesEverythingAndATileOpensTheFilteredList() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        DashboardSeed seed = new DashboardSeed(jdbc);
        BusinessUnit unit = Fixtures.unit(units, "dash");
        long soon = seed.application(unit, "soon-" + run, "alice");
        long later = seed.application(unit, "later-" + run, "alice");
        seed.key(unit, soon, "ACTIVE", Duration.ofDays(5));
        seed.key(unit, soon, "ACTIVE", Duration.ofDays(3)); // two of its keys expire within the week: one application
        seed.key(unit, later, "ACTIVE", Duration.ofDays(60));
        seed.key(unit, later, "INACTIVE", Duration.ofDays(20));
        seed.spend(unit, soon, "123.45", "250.00");
        seed.usage(soon, 1, 40, 3);
        seed.usage(soon, 2, 60, 0);
        long pending = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER").id();

        loginAs("sara");
        page.navigate(BASE + "/dashboard");
        page.locator("#dash-refresh").click();
        assertThat(page.locator("vaadin-notification-card")).containsText("Figures refreshed");

        assertThat(page.locator("#tile-active .portal-tile-value")).hasAttribute("data-value", Long.toString(count(
                "select count(*) from api_key where status = 'ACTIVE' and expires_at > current_timestamp")));
        assertThat(page.locator("#tile-pending .portal-tile-value")).hasAttribute("data-value", Long.toString(count(
                "select count(*) from access_request where status in ('PENDING_MANAGER', 'PENDING_SECURITY')")));
        // Applications whose newest working key expires within 7 days (not keys: the list it opens counts these).
        String expiring7 = Long.toString(count("select count(*) from application a where (select max(k.expires_at) "
                + "from api_key k where k.application_id = a.id and k.status in ('ACTIVE', 'PENDING_REVEAL')) between "
                + "current_timestamp and dateadd('DAY', 7, current_timestamp)"));
        assertThat(page.locator("#tile-expiring7 .portal-tile-value")).hasAttribute("data-value", expiring7);
        assertThat(page.locator("#tile-incidents")).isVisible();
        assertThat(page.locator("#tile-drift")).isVisible();
        assertThat(page.locator("#tile-alerts .portal-tile-value")).hasAttribute("data-value", Long.toString(count(
                "select count(*) from alert where status = 'OPEN'")));

        // The unit's row in the keys table: 3 active, 0 pending, 1 inactive, 0 expired, 4 in all. No table is built
        // (nor held by the page) before its "Show the numbers" is opened.
        assertThat(page.locator(".portal-charts table")).hasCount(0);
        page.locator("#chart-keys-table").click();
        assertThat(page.locator("#chart-keys-table tr").filter(new Locator.FilterOptions().setHasText(
                unit.displayName()))).hasText(Pattern.compile(unit.displayName() + "\\s*3\\s*0\\s*1\\s*0\\s*4"));
        // (the unit's name is letters, digits and dashes: no pattern characters; JS regex has no \\Q…\\E)
        page.locator("#chart-spend-table").click();
        assertThat(page.locator("#chart-spend-table tr").filter(new Locator.FilterOptions().setHasText(
                unit.displayName()))).containsText("$123.45");
        page.locator("#chart-invocations-table").click();
        assertThat(page.locator("#chart-invocations-table tr").filter(new Locator.FilterOptions().setHasText(
                "Application soon-" + run))).containsText("100");
        page.locator("#chart-denied-table").click();
        assertThat(page.locator("#chart-denied-table tr").filter(new Locator.FilterOptions().setHasText(
                "Application soon-" + run))).containsText("3");
        assertThat(page.locator(".chart-wide svg.portal-chart")).hasCount(6);
        assertThat(page.locator("#chart-keys .chart-wide svg")).containsText(unit.displayName());
        screenshot("dashboard-sara");

        // Keys expiring within 7 days: the application whose key expires in 5 days, not the one in 60.
        page.locator("#tile-expiring7").click();
        page.waitForURL(Pattern.compile(".*/applications\\?expiring=7$"));
        assertThat(page.locator("#apps-count")).hasText(expiring7 + " applications");
        assertThat(visibleCells("applications-grid", "Application soon-" + run)).hasCount(1);
        assertThat(visibleCells("applications-grid", "Application later-" + run)).hasCount(0);
        assertThat(visibleCells("applications-grid", "$123.45 / $300.00")).hasCount(1);

        // Pending approvals: the request list filtered to pending ones; the CSV has what the filter shows.
        page.navigate(BASE + "/dashboard");
        page.locator("#tile-pending").click();
        page.waitForURL(Pattern.compile(".*/all-requests\\?status=PENDING$"));
        assertThat(page.locator("#req-filter-status input")).hasValue("pending (manager or security)");
        assertThat(page.locator("#all-requests-grid a[data-request='" + pending + "']")).hasCount(1);
        Download csv = page.waitForDownload(() -> page.locator("#req-export").click());
        String text = Files.readString(csv.path());
        assertThat(text).startsWith("request,status,business_unit").contains(pending + ",PENDING_MANAGER,"
                + unit.displayName());
        assertThat(text).doesNotContain(",PROVISIONED,");
        screenshot("all-requests-sara");
    }

    @Test
    void aManagerSeesOnlyHisUnitsAndARequesterOnlyHerApplications() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        DashboardSeed seed = new DashboardSeed(jdbc);
        BusinessUnit mikes = Fixtures.unit(units, "dashm");
        BusinessUnit other = Fixtures.unit(units, "dasho", Set.of("otto"), Set.of("bob"));
        long alices = seed.application(mikes, "alices-" + run, "alice");
        long bobs = seed.application(other, "bobs-" + run, "bob");
        seed.key(mikes, alices, "ACTIVE", Duration.ofDays(30));
        seed.key(other, bobs, "ACTIVE", Duration.ofDays(30));
        seed.usage(alices, 1, 7, 0);
        seed.usage(bobs, 1, 9, 0);
        var othersDraft = Fixtures.request(other.id());
        long othersRequest = RunAs.user("bob", () -> requests.submit(othersDraft), "REQUESTER").id();

        // Mike reads his stored figures: computed again now (as the schedule or "Refresh now" would).
        RunAs.user("sara", () -> dashboard.refreshNow(), "SECURITY");
        loginAs("mike");
        page.navigate(BASE + "/dashboard");
        assertThat(page.locator("#dashboard h2")).containsText("your units");
        assertThat(page.locator("#dash-refresh")).hasCount(0);
        assertThat(page.locator("#tile-incidents")).hasCount(0);
        page.locator("#chart-keys-table").click();
        assertThat(page.locator("#chart-keys-table")).containsText(mikes.displayName());
        assertThat(page.locator("#chart-keys-table")).not().containsText(other.displayName());
        screenshot("dashboard-mike");
        // Filtered to the other unit's application by name: mike's list keeps to his units and finds nothing.
        page.navigate(BASE + "/all-requests?application=" + othersDraft.getApplicationName().replace(" ", "%20"));
        assertThat(page.locator("#req-filter-application input")).hasValue(othersDraft.getApplicationName());
        assertThat(page.locator("#req-count")).hasText("0 requests");
        assertThat(page.locator("#all-requests-grid a[data-request='" + othersRequest + "']")).hasCount(0);

        BrowserContext alicesBrowser = com.bedrockportal.testsupport.Browsers.context();
        Page alice = alicesBrowser.newPage();
        loginAs(alice, "alice");
        alice.navigate(BASE + "/dashboard");
        assertThat(alice.locator("#dashboard h2")).containsText("your applications");
        alice.locator("#chart-invocations-table").click();
        assertThat(alice.locator("#chart-invocations-table")).containsText("Application alices-" + run);
        assertThat(alice.locator("#chart-invocations-table")).not().containsText("Application bobs-" + run);
        // Dark mode (Lumo's dark theme on the page): the charts' text takes the page's light text colour.
        alice.evaluate("document.documentElement.setAttribute('theme', 'dark')");
        String fill = (String) alice.locator("#chart-invocations .chart-wide svg text").first().evaluate(
                "t => getComputedStyle(t).fill");
        int[] rgb = java.util.Arrays.stream(fill.replaceAll("[^0-9,]", "").split(",")).limit(3)
                .mapToInt(Integer::parseInt).toArray();
        assertThat(rgb[0] + rgb[1] + rgb[2]).as("chart text in dark mode: %s", fill).isGreaterThan(3 * 180);
        alice.locator("#chart-invocations").screenshot(new Locator.ScreenshotOptions().setPath(
                java.nio.file.Path.of("target/screenshots", "dashboard-chart-dark.png")));
        alice.evaluate("document.documentElement.removeAttribute('theme')");
        alice.setViewportSize(390, 844);
        assertThat(alice.locator("#chart-keys .chart-narrow svg")).isVisible();
        assertThat(alice.locator("#chart-keys .chart-wide svg")).isHidden();
        alice.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots",
                "dashboard-alice-390.png")).setFullPage(true));
        alice.navigate(BASE + "/all-requests");
        assertThat(alice.locator("#all-requests")).hasCount(0);
        alicesBrowser.close();
    }
}
