package com.bedrockportal.layout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.LoadState;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * axe-core over every main view of every role, in the light and the dark theme: no serious or critical finding.
 * The views are read from each role's navigation (so a new view is checked without touching this test), plus the
 * pages behind the lists: a request, an application, a key, the request form's errors, not-found and denied.
 */
class AccessibilityE2E extends E2ESupport {

    @Autowired
    BusinessUnitService units;
    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyMainViewOfEveryRoleHasNoSeriousOrCriticalFinding() {
        BusinessUnit unit = Fixtures.unit(units, "a11y");
        AccessRequest provisioned = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())),
                "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(provisioned.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(provisioned.id(), true, null), "SECURITY");
        AccessRequest pending = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        long keyId = waitForKey(provisioned.id());
        long applicationId = jdbc.queryForObject("select application_id from api_key where id = ?", Long.class,
                keyId);

        // Pages whose content differs by role are checked for each role; the rest once, by the first role that has
        // them. Each page in the light theme (every rule), then in the dark theme (contrast).
        Map<String, List<String>> extra = Map.of(
                "alice", List.of("/requests/" + provisioned.id(), "/applications/" + applicationId, "/keys/" + keyId,
                        "/no-such-page", "/audit"),
                "mike", List.of("/requests/" + pending.id()),
                "sara", List.of("/requests/" + pending.id(), "/applications/" + applicationId, "/keys/" + keyId),
                "adam", List.of());
        Set<String> perRole = Set.of("/", "/dashboard", "/applications", "/keys", "/all-requests");
        Set<String> seen = new HashSet<>();
        Map<String, List<String>> findings = new LinkedHashMap<>();
        for (String user : List.of("alice", "mike", "sara", "adam")) {
            loginAs(user);
            List<String> paths = new ArrayList<>(navigationPaths());
            paths.removeIf(path -> !perRole.contains(path) && seen.contains(path));
            seen.addAll(paths);
            paths.addAll(extra.get(user));
            for (String path : paths) {
                page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
                if (!visit(path)) {
                    findings.put(user + " " + path, List.of("the page did not show the portal's frame"));
                    continue;
                }
                record(findings, user + " light " + path, Accessibility.seriousFindings(page));
                page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
                assertThat(page.locator("html[theme~='dark']")).hasCount(1);
                record(findings, user + " dark " + path, Accessibility.contrastFindings(page));
            }
            page.navigate(BASE + "/logout");
            context.clearCookies();
        }
        assertThat(findings).as("serious or critical axe findings").isEmpty();
    }

    private static void record(Map<String, List<String>> findings, String where, List<String> found) {
        if (!found.isEmpty()) {
            findings.put(where, found);
        }
    }

    private long waitForKey(long requestId) {
        String sql = "select min(k.id) from api_key k join access_request r on r.application_id = k.application_id"
                + " where r.id = ?";
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> jdbc.queryForObject(sql, Long.class, requestId) != null);
        return jdbc.queryForObject(sql, Long.class, requestId);
    }

    /** The paths of the side navigation's entries for the logged-in user. */
    private List<String> navigationPaths() {
        assertThat(page.locator("#main-nav vaadin-side-nav-item").first()).isAttached();
        List<String> paths = new ArrayList<>();
        for (Object p : (List<?>) page.evaluate(
                "() => [...document.querySelectorAll('#main-nav vaadin-side-nav-item')].map(i => i.getAttribute('path'))")) {
            paths.add(p.toString().startsWith("/") ? p.toString() : "/" + p);
        }
        return paths;
    }

    /** Opens the page and waits until its view is in the frame; false when the frame never appears. */
    private boolean visit(String path) {
        page.navigate(BASE + path);
        page.waitForLoadState(LoadState.NETWORKIDLE);
        try {
            page.locator("vaadin-app-layout > [role=main]").waitFor();
            return true;
        } catch (com.microsoft.playwright.PlaywrightException e) {
            return false;
        }
    }

    @Test
    void aRequesterCompletesTheRequestFormWithTheKeyboardOnly() {
        BusinessUnit unit = Fixtures.unit(units, "kbd");
        loginAs("alice");
        // From the home page to the form through the navigation, then every field, then submit: keys only.
        tabTo(page.locator("#main-nav vaadin-side-nav-item[path='requests/new']"));
        page.keyboard().press("Enter");
        page.waitForURL(Pattern.compile(".*/requests/new$"));

        tabTo(page.locator("#request-unit"));
        page.keyboard().type(unit.displayName());
        // The options arrive from the server; wait for them (looking, not clicking), then pick with the keys.
        assertThat(page.locator("vaadin-combo-box-item").filter(
                new Locator.FilterOptions().setHasText(unit.displayName()))).isVisible();
        page.keyboard().press("ArrowDown");
        page.keyboard().press("Enter");
        assertThat(page.locator("#request-unit input")).hasValue(unit.displayName());

        tabTo(page.locator("#request-app-name"));
        page.keyboard().type("Keyboard journey");
        tabTo(page.locator("#request-purpose"));
        page.keyboard().type("Drafts replies for the support team, entered with the keyboard only.");
        tabTo(page.locator("#request-models"));
        page.keyboard().type("Nova Lite");
        assertThat(page.locator("vaadin-multi-select-combo-box-item").filter(
                new Locator.FilterOptions().setHasText("Nova Lite"))).isVisible();
        page.keyboard().press("ArrowDown");
        page.keyboard().press("Enter");
        page.keyboard().press("Escape");
        // The policy preview names the chosen model.
        assertThat(page.locator("#policy-json")).containsText("amazon.nova-lite-v1:0");
        tabTo(page.locator("#request-cidrs"));
        page.keyboard().type("203.0.113.0/24");

        tabTo(page.locator("#request-submit"));
        page.keyboard().press("Enter");
        page.waitForURL(Pattern.compile(".*/requests/\\d+$"));
        long id = Long.parseLong(page.url().replaceAll(".*/requests/(\\d+)$", "$1"));
        assertThat(jdbc.queryForObject("select application_name from access_request where id = ?", String.class, id))
                .isEqualTo("Keyboard journey");
    }

    /** Presses Tab until the target (or something inside it) has the keyboard focus. */
    private void tabTo(Locator target) {
        target.waitFor();
        for (int i = 0; i < 120; i++) {
            if (Boolean.TRUE.equals(target.evaluate("e => e.matches(':focus-within')"))) {
                return;
            }
            page.keyboard().press("Tab");
        }
        throw new AssertionError("Tab never reached " + target);
    }
}
