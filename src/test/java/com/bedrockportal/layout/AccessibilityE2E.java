package com.bedrockportal.layout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.Accessibility;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
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
}
