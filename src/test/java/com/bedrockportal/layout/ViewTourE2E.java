package com.bedrockportal.layout;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.Accessibility;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.ColorScheme;

import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every main view each role can open from the navigation (read from the side navigation, so new views are included),
 * plus a provisioned and a pending request, an application and a key page, at a laptop width (1366 px) and a phone
 * width (390 px): the page never scrolls sideways, nothing sticks out of the view, axe-core finds nothing serious or
 * critical (light theme: all WCAG 2.x A/AA rules; dark theme: contrast), and with {@code -Dtour.screenshots=true} a
 * screenshot is saved for a person to look at ({@code target/screenshots/tour-<role>-<view>-<width>-<light|dark>.png};
 * dark at the laptop width only).
 */
class ViewTourE2E extends E2ESupport {

    static final int WIDE = 1366;
    static final int NARROW = 390;

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    /** One provisioned request of alice's (unit managed by mike), shared by the four tours. */
    private static Fixture fixture;

    record Fixture(long request, long application, long key, String prefix, Instant expires, long pending) {
    }

    private Fixture fixture() {
        if (fixture == null) {
            BusinessUnit unit = Fixtures.unit(units, "tour");
            AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
            RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
            RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "PROVISIONED".equals(jdbc.queryForObject(
                    "select status from access_request where id = ?", String.class, r.id())));
            Map<String, Object> key = jdbc.queryForMap(
                    "select id, key_prefix, expires_at from api_key where request_id = ?", r.id());
            // A second request still waiting for mike: its page shows him the decision form.
            AccessRequest pending = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())),
                    "REQUESTER");
            fixture = new Fixture(r.id(), jdbc.queryForObject("select application_id from access_request where id = ?",
                    Long.class, r.id()), ((Number) key.get("id")).longValue(), (String) key.get("key_prefix"),
                    instant(key.get("expires_at")), pending.id());
        }
        return fixture;
    }

    @Test
    void aliceTour() {
        Fixture f = fixture();
        SoftAssertions softly = tour("alice", f);

        // Keys and My requests at phone width show a row's main facts inside the screen.
        page.setViewportSize(NARROW, 844);
        page.navigate(BASE + "/keys");
        hideDevelopmentTools();
        waitForView();
        Locator keyRow = page.locator("#keys-grid .portal-grid-card")
                .filter(new Locator.FilterOptions().setHasText(f.prefix()).setVisible(true));
        assertThat(keyRow).containsText("pending reveal");
        assertThat(keyRow).containsText(day(f.expires()));
        insideViewport(softly, "keys card at 390", keyRow);
        page.navigate(BASE + "/requests");
        waitForView();
        Locator requestRow = page.locator("#my-requests-grid .portal-grid-card")
                .filter(new Locator.FilterOptions().setHasText("#" + f.request()).setVisible(true));
        assertThat(requestRow).containsText("Provisioned");
        insideViewport(softly, "my requests card at 390", requestRow);

        // Keys at laptop width: every column, the last ones included, fits in the grid.
        page.setViewportSize(WIDE, 900);
        page.navigate(BASE + "/keys");
        waitForView();
        Locator grid = page.locator("#keys-grid");
        assertThat(grid).containsText(f.prefix());
        BoundingBox g = grid.boundingBox();
        for (String header : List.of("Revealed", "Request")) {
            Locator cell = grid.locator("vaadin-grid-cell-content").filter(new Locator.FilterOptions()
                    .setHasText(Pattern.compile("^" + header + "$")));
            assertThat(cell.first()).isVisible();
            BoundingBox b = cell.first().boundingBox();
            softly.assertThat(b.x + b.width).as("right edge of the %s header", header).isLessThanOrEqualTo(g.x + g.width);
        }

        // The reveal page (re-login first) at both widths.
        page.setViewportSize(NARROW, 844);
        page.navigate(BASE + "/keys/reveal/" + f.request());
        page.locator("#username").fill("alice");
        page.locator("#password").fill("alice-demo");
        page.locator("button[type=submit]").click();
        assertThat(page.locator("#revealed-key")).isVisible();
        hideDevelopmentTools();
        waitForView();
        check(softly, "alice", "reveal", NARROW);
        page.setViewportSize(WIDE, 900);
        check(softly, "alice", "reveal", WIDE);
        softly.assertAll();
    }

    @Test
    void mikeTour() {
        tour("mike", fixture()).assertAll();
    }

    @Test
    void saraTour() {
        tour("sara", fixture()).assertAll();
    }

    @Test
    void adamTour() {
        Fixture f = fixture();
        SoftAssertions softly = tour("adam", f);

        // The simulated account's keys at phone width: one card per key, its actions inside the screen and working.
        String user = jdbc.queryForObject("select iam_user from application where id = ?", String.class,
                f.application());
        String credential = jdbc.queryForObject("select credential_id from api_key where id = ?", String.class,
                f.key());
        page.setViewportSize(NARROW, 844);
        page.navigate(BASE + "/admin/sandbox");
        waitForView();
        choose("sandbox-app", user);
        // The field shows the slug whole; the IAM user (up to 64 characters) is on the line under it.
        String slug = jdbc.queryForObject("select slug from application where id = ?", String.class, f.application());
        assertThat(page.locator("#sandbox-app input")).hasValue(slug);
        assertThat(page.locator("#sandbox-app [slot=helper]")).hasText("IAM user " + user);
        Locator card = page.locator("#sandbox-keys .portal-grid-card")
                .filter(new Locator.FilterOptions().setHasText(credential).setVisible(true));
        assertThat(card).containsText("Active");
        assertThat(page.locator("#sandbox-keys [id^=sandbox-key-]").filter(new Locator.FilterOptions()
                .setVisible(true))).hasCount(0);
        insideViewport(softly, "sandbox key card at 390", card);
        insideViewport(softly, "sandbox key card's delete button at 390",
                card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")));
        check(softly, "adam", "sandbox-keys", NARROW);
        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable")).click();
        assertThat(card).containsText("Inactive");
        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Enable")).click();
        assertThat(card).not().containsText("Inactive");
        softly.assertAll();
    }

    /**
     * Logs in once, then visits every navigation entry and the fixture's request, application and key pages at both
     * widths. Failures are collected so one run names every view that does not fit.
     */
    private SoftAssertions tour(String role, Fixture f) {
        SoftAssertions softly = new SoftAssertions();
        page.setViewportSize(WIDE, 900);
        loginAs(role);
        @SuppressWarnings("unchecked")
        List<String> nav = (List<String>) page.locator("#main-nav vaadin-side-nav-item")
                .evaluateAll("items => items.map(i => i.getAttribute('path'))");
        assertThat(nav).isNotEmpty();
        Map<String, String> views = new LinkedHashMap<>();
        for (String path : nav) {
            String p = path.replaceAll("^/+", "");
            views.put(p.isEmpty() ? "home" : p.replace('/', '-'), "/" + p);
        }
        views.put("request", "/requests/" + f.request());
        views.put("application", "/applications/" + f.application());
        views.put("key", "/keys/" + f.key());
        views.put("pending-request", "/requests/" + f.pending());
        for (int width : List.of(WIDE, NARROW)) {
            page.setViewportSize(width, height(width));
            boolean first = true;
            for (Map.Entry<String, String> view : views.entrySet()) {
                visit(softly, role, view.getKey(), view.getValue(), width, first);
                first = false;
            }
        }
        return softly;
    }

    private static int height(int width) {
        return width == WIDE ? 900 : 844;
    }

    /**
     * Opens one view at the current width, waits for it, and checks and photographs it. The first view after a
     * change of width is a full page load; the others are opened inside the running portal (as a link does), which
     * is much faster.
     */
    void visit(SoftAssertions softly, String role, String name, String path, int width, boolean fullLoad) {
        if (fullLoad) {
            page.navigate(BASE + path);
            hideDevelopmentTools();
        } else {
            page.evaluate("() => { const l = document.querySelector('vaadin-app-layout');"
                    + " [...l.children].filter(c => !c.hasAttribute('slot'))"
                    + "   .forEach(c => c.setAttribute('data-tour-left', '')); }");
            page.evaluate("p => { history.pushState(null, '', p); dispatchEvent(new PopStateEvent('popstate')); }",
                    path);
        }
        waitForView();
        check(softly, role, name, width);
    }

    /** Vaadin's development-mode banner would cover part of every screenshot. */
    void hideDevelopmentTools() {
        page.addStyleTag(new Page.AddStyleTagOptions().setContent("vaadin-dev-tools, copilot-main { display: none !important; }"));
    }

    /** The view is attached, the server has answered, and every responsive grid has chosen its layout. */
    void waitForView() {
        page.waitForFunction("() => { const l = document.querySelector('vaadin-app-layout');"
                + " return l && [...l.children].some(c => !c.hasAttribute('slot') && !c.hasAttribute('data-tour-left'))"
                + " && !document.querySelector('[data-responsive-pending]')"
                + " && window.Vaadin && window.Vaadin.Flow && window.Vaadin.Flow.clients"
                + " && Object.values(window.Vaadin.Flow.clients).every(c => !c.isActive || !c.isActive()); }");
    }

    /**
     * The page does not scroll sideways (neither the document nor the layout's content area), and the view's own
     * content is no wider than the view (a block that is clipped or sticks out makes it wider); then screenshots.
     */
    void check(SoftAssertions softly, String role, String name, int width) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) page.evaluate("() => {"
                + " const d = document.documentElement;"
                + " const l = document.querySelector('vaadin-app-layout');"
                + " const c = l && l.shadowRoot && l.shadowRoot.querySelector('[content]');"
                + " const v = l && [...l.children].find(x => !x.hasAttribute('slot'));"
                + " const scrollsInside = e => { for (let p = e.parentElement; p && p !== v; p = p.parentElement) {"
                + "   if (p.tagName === 'VAADIN-GRID' || getComputedStyle(p).overflowX !== 'visible') return true; }"
                + "   return false; };"
                + " const wide = v ? [...v.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right"
                + "   > d.clientWidth + 1 && e.getClientRects().length > 0 && !scrollsInside(e))"
                + "   .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
                + "   + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '')) : [];"
                + " return { doc: d.scrollWidth - d.clientWidth, content: c ? c.scrollWidth - c.clientWidth : 0,"
                + "   view: v ? v.scrollWidth - v.clientWidth : 0, wide: wide.join(', ') }; }");
        String where = role + " " + name + " at " + width + " px";
        softly.assertThat(((Number) m.get("doc")).intValue()).as("%s: page scrolls sideways by (%s)", where,
                m.get("wide")).isLessThanOrEqualTo(0);
        softly.assertThat(((Number) m.get("content")).intValue()).as("%s: content area scrolls sideways by (%s)",
                where, m.get("wide")).isLessThanOrEqualTo(0);
        softly.assertThat(((Number) m.get("view")).intValue()).as("%s: view content wider than the view by (%s)",
                where, m.get("wide")).isLessThanOrEqualTo(1);
        softly.assertThat((String) m.get("wide")).as("%s: elements beyond the right edge", where).isEmpty();
        softly.assertThat(cutValues()).as("%s: selects and combo boxes whose value is cut", where).isEmpty();
        String file = "tour-" + role + "-" + name + "-" + width;
        // The layout scrolls its content area, not the document: grow the window to the content for a whole-page
        // picture, then shrink it back.
        int tall = ((Number) page.evaluate("() => { const l = document.querySelector('vaadin-app-layout');"
                + " const c = l.shadowRoot.querySelector('[content]');"
                + " return c.scrollHeight + c.getBoundingClientRect().top; }")).intValue();
        boolean grow = tall > height(width) + 8;
        if (grow) {
            page.setViewportSize(width, Math.min(tall, 6000));
        }
        photograph(file + "-light");
        // axe-core at the laptop width: every WCAG A/AA rule in the light theme, contrast again in the dark one.
        if (width == WIDE) {
            softly.assertThat(Accessibility.seriousFindings(page)).as("%s, light: serious or critical axe findings",
                    where).isEmpty();
            softly.assertThat(Accessibility.gridsWithEmptyHeaders(page)).as("%s: grid columns without a header",
                    where).isEmpty();
        }
        // Dark colours at the laptop width only: the narrow layout is the same page in the same colours, and its
        // photographs in both themes cost a quarter of the tour's time.
        if (width == WIDE) {
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
            assertThat(page.locator("html[theme~='dark']")).hasCount(1);
            Accessibility.settle(page);
            photograph(file + "-dark");
            softly.assertThat(Accessibility.contrastFindings(page)).as("%s, dark: contrast findings", where)
                    .isEmpty();
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
            Accessibility.settle(page);
        }
        if (grow) {
            page.setViewportSize(width, height(width));
        }
    }

    /**
     * The selects and combo boxes of the view that show their value cut short (an ellipsis, or text scrolled out of
     * the field): each as its label and value.
     */
    @SuppressWarnings("unchecked")
    private List<String> cutValues() {
        return (List<String>) page.evaluate("() => {"
                + " const l = document.querySelector('vaadin-app-layout');"
                + " const v = l && [...l.children].find(x => !x.hasAttribute('slot'));"
                + " if (!v) return [];"
                + " return [...v.querySelectorAll('vaadin-select, vaadin-combo-box')]"
                + "   .filter(e => e.getClientRects().length > 0 && e.value)"
                + "   .map(e => { const select = e.tagName === 'VAADIN-SELECT';"
                + "     const b = select && e.querySelector('vaadin-select-value-button');"
                + "     const shown = select ? b && b.shadowRoot && b.shadowRoot.querySelector('[part=label]')"
                + "       : e.querySelector('input');"
                + "     return { e, shown, text: select ? b && b.textContent.trim() : shown && shown.value }; })"
                + "   .filter(f => f.shown && f.shown.scrollWidth > f.shown.clientWidth + 1)"
                + "   .map(f => (f.e.label || f.e.id || f.e.tagName.toLowerCase()) + ': ' + f.text"
                + "     + ' (' + f.shown.scrollWidth + ' px in ' + f.shown.clientWidth + ')'); }");
    }

    /**
     * Saves a screenshot for a person to look at, with {@code -Dtour.screenshots=true} only: the tour's checks do not
     * need them, and its 200-odd whole-page pictures took half a minute of every test run.
     */
    private void photograph(String file) {
        if (Boolean.getBoolean("tour.screenshots")) {
            screenshot(file);
        }
    }

    private static void insideViewport(SoftAssertions softly, String what, Locator element) {
        BoundingBox b = element.first().boundingBox();
        softly.assertThat(b.x).as("%s: left edge", what).isGreaterThanOrEqualTo(0);
        softly.assertThat(b.x + b.width).as("%s: right edge", what).isLessThanOrEqualTo(NARROW);
    }

    private static Instant instant(Object value) {
        return value instanceof java.time.OffsetDateTime t ? t.toInstant() : ((java.sql.Timestamp) value).toInstant();
    }

    /** The date part of a time as the browser (same machine, same zone) shows it. */
    private static String day(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd").format(t.atZone(ZoneId.systemDefault()));
    }
}
