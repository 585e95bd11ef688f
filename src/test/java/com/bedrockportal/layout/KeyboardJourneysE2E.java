package com.bedrockportal.layout;

import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.microsoft.playwright.Locator;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request and approval journeys with the keyboard only (Tab, typing, arrows, Enter, Escape; no clicks). The axe
 * checks of every view are part of {@link ViewTourE2E}'s tour.
 */
class KeyboardJourneysE2E extends E2ESupport {

    @Autowired
    BusinessUnitService units;
    @Autowired
    RequestService requests;
    @Autowired
    JdbcTemplate jdbc;

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
        assertThat(option(page, unit.displayName())).isVisible();
        page.keyboard().press("ArrowDown");
        page.keyboard().press("Enter");
        assertThat(page.locator("#request-unit input")).hasValue(unit.displayName());

        tabTo(page.locator("#request-app-name"));
        page.keyboard().type("Keyboard journey");
        tabTo(page.locator("#request-purpose"));
        page.keyboard().type("Drafts replies for the support team, entered with the keyboard only.");
        tabTo(page.locator("#request-models"));
        page.keyboard().type("Nova Lite");
        assertThat(multiOption(page, "Nova Lite")).isVisible();
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

    @Test
    void anApproverApprovesAndRejectsWithTheKeyboardOnly() {
        BusinessUnit unit = Fixtures.unit(units, "kbd");
        AccessRequest approveMe = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())),
                "REQUESTER");
        AccessRequest rejectMe = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())),
                "REQUESTER");
        loginAs("mike");
        tabTo(page.locator("#main-nav vaadin-side-nav-item[path='approvals']"));
        page.keyboard().press("Enter");
        page.waitForURL(Pattern.compile(".*/approvals$"));

        tabTo(page.locator("#approve-" + approveMe.id()));
        page.keyboard().press("Enter");
        assertThat(page.locator("#inbox-row-" + approveMe.id())).hasCount(0);
        assertThat(status(approveMe.id())).isEqualTo("PENDING_SECURITY");

        tabTo(page.locator("#reject-" + rejectMe.id()));
        page.keyboard().press("Enter");
        // The dialog puts the focus in its reason field.
        assertThat(page.locator("#reject-reason textarea")).isFocused();
        page.keyboard().type("Use the shared support assistant instead.");
        tabTo(page.locator("#reject-confirm"));
        page.keyboard().press("Enter");
        assertThat(page.locator("#inbox-row-" + rejectMe.id())).hasCount(0);
        assertThat(status(rejectMe.id())).isEqualTo("REJECTED");
    }

    private String status(long requestId) {
        return jdbc.queryForObject("select status from access_request where id = ?", String.class, requestId);
    }

    /** Presses Tab until the target (or something inside it) has the keyboard focus. */
    private void tabTo(Locator target) {
        target.waitFor();
        for (int i = 0; i < 400; i++) {
            if (Boolean.TRUE.equals(target.evaluate("e => e.matches(':focus-within')"))) {
                return;
            }
            page.keyboard().press("Tab");
        }
        throw new AssertionError("Tab never reached " + target);
    }
}
