package com.bedrockportal.workflow;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The approvals inbox as mike and sara: each row says what an approver needs (unit, requester, models by name,
 * budget, lifetime, each risk flag named, age, kind, step) and decides from the row through the same service as the
 * request page; a rejection needs a reason, said next to the field.
 */
class ApprovalInboxE2E extends E2ESupport {

    @Autowired
    RequestService requests;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    private AccessRequest submit(BusinessUnit unit, List<String> models, List<String> cidrs, int lifetime,
            String budget) {
        RequestDraft d = Fixtures.request(unit.id());
        d.setModels(models);
        d.setSourceCidrs(String.join(",", cidrs));
        d.setLifetimeDays(lifetime);
        d.setMonthlyBudget(new BigDecimal(budget));
        return RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
    }

    private RequestStatus status(long id) {
        return RequestStatus.valueOf(jdbc.queryForObject("select status from access_request where id = ?",
                String.class, id));
    }

    @Test
    void mikeSeesWhatHeDecidesOnAndApprovesAndRejectsFromTheRow() {
        BusinessUnit unit = Fixtures.unit(units, "inbox");
        AccessRequest risky = submit(unit, List.of("amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0"), List.of(), 45,
                "750");
        AccessRequest plain = submit(unit, List.of("amazon.nova-micro-v1:0"), List.of("203.0.113.0/24"), 7, "120");
        AccessRequest doubtful = submit(unit, List.of("amazon.nova-micro-v1:0"), List.of("203.0.113.0/24"), 14,
                "100");
        // The risky one has waited three hours.
        jdbc.update("update act_ru_task set create_time_ = ? where proc_inst_id_ in (select proc_inst_id_ from "
                + "act_ru_execution where business_key_ = ?)", Timestamp.from(Instant.now().minus(Duration.ofHours(3))
                        .minusSeconds(60)), RequestWorkflow.businessKey(risky.id()));

        loginAs("mike");
        page.setViewportSize(1366, 900);
        page.navigate(BASE + "/approvals");
        long id = risky.id();
        assertThat(page.locator("#inbox-what-" + id)).containsText("New application: " + risky.applicationName());
        assertThat(page.locator("#inbox-unit-" + id)).hasText(unit.displayName());
        assertThat(page.locator("#inbox-requester-" + id)).hasText("alice");
        assertThat(page.locator("#inbox-models-" + id)).hasText("Nova Lite, Nova Pro");
        assertThat(page.locator("#inbox-budget-" + id)).hasText("$750 / month");
        assertThat(page.locator("#inbox-lifetime-" + id)).hasText("key for 45 days");
        assertThat(page.locator("#inbox-lifetime-" + plain.id())).hasText("key for 7 days");
        assertThat(page.locator("#inbox-step-" + id)).hasText("Manager approval");
        assertThat(page.locator("#inbox-age-" + id)).hasText("3 hours ago");
        Locator flags = page.locator("#inbox-flags-" + id);
        assertThat(flags.locator("[data-flag=NO_IP_RESTRICTION]")).hasText("High · No IP restriction");
        assertThat(flags.locator("[data-flag=LONG_LIFETIME]")).hasText("Medium · Long key lifetime");
        assertThat(flags.locator("[data-flag=BUDGET_ABOVE_DEFAULT]")).hasText("Medium · Budget above unit default");
        assertThat(flags.locator("[data-flag=FIRST_REQUEST]")).hasText("Low · First request of the unit");
        assertThat(page.locator("#inbox-flags-" + plain.id() + " [data-flag=NO_IP_RESTRICTION]")).hasCount(0);
        assertThat(page.locator("#approvals-grid")).not().containsText("amazon.nova-lite-v1:0");
        screenshot("inbox-mike-1366");

        // Approve from the row: the request moves on to security and leaves mike's inbox.
        page.locator("#approve-" + plain.id()).click();
        assertThat(page.locator("vaadin-notification-card").filter(
                new Locator.FilterOptions().setHasText("Approved request #" + plain.id()))).hasCount(1);
        assertThat(page.locator("#approve-" + plain.id())).hasCount(0);
        assertThat(page.locator("#approve-" + id)).isVisible();
        assertThat(status(plain.id())).isEqualTo(RequestStatus.PENDING_SECURITY);

        // Reject from the row: no reason is refused next to the field; with one it works.
        page.locator("#reject-" + doubtful.id()).click();
        page.locator("#reject-confirm").click();
        assertThat(page.locator("#reject-reason")).hasAttribute("invalid", "");
        assertThat(page.locator("#reject-reason [slot=error-message]")).containsText("Say why you reject");
        assertThat(status(doubtful.id())).isEqualTo(RequestStatus.PENDING_MANAGER);
        screenshot("inbox-reject-dialog");
        page.locator("#reject-reason textarea").fill("Use the team's existing Nova key instead.");
        page.locator("#reject-confirm").click();
        assertThat(page.locator("#reject-dialog")).hasCount(0);
        assertThat(page.locator("vaadin-notification-card").filter(
                new Locator.FilterOptions().setHasText("Rejected request #" + doubtful.id()))).hasCount(1);
        assertThat(page.locator("#reject-" + doubtful.id())).hasCount(0);
        assertThat(status(doubtful.id())).isEqualTo(RequestStatus.REJECTED);

        // The full request is still one click away.
        assertThat(page.locator("#open-" + id)).hasAttribute("href", "requests/" + id);

        // At phone width each row is one card, and the page does not scroll sideways.
        page.setViewportSize(390, 844);
        assertThat(page.locator("#inbox-models-" + id)).hasText("Nova Lite, Nova Pro");
        assertThat(page.locator("#approve-" + id)).isVisible();
        // One card per request: its parts are stacked, each as wide as the card (once the page has laid itself out
        // for the new width: waited for, up to the context's timeout, not read once).
        page.waitForFunction("id => { const m = document.querySelector('#inbox-row-' + id + ' #inbox-models-' + id);"
                + " if (!m) { return false; } const w = m.parentElement.getBoundingClientRect();"
                + " return w.right <= window.innerWidth && w.width > 250; }", Long.toString(id));
        assertThat(page.locator("#inbox-flags-" + id + " [data-flag=NO_IP_RESTRICTION]")).isVisible();
        page.waitForFunction("() => document.documentElement.scrollWidth <= window.innerWidth");
        screenshot("inbox-mike-390");

        // Sara reviews what mike approved, and rejects it from her row with a reason.
        context.close();
        context = Browsers.context(new Browser.NewContextOptions().setViewportSize(1366, 900));
        page = context.newPage();
        loginAs("sara");
        page.setViewportSize(1366, 900);
        page.navigate(BASE + "/approvals");
        assertThat(page.locator("#inbox-step-" + plain.id())).hasText("Security review");
        assertThat(page.locator("#inbox-models-" + plain.id())).hasText("Nova Micro");
        assertThat(page.locator("#approve-" + id)).hasCount(0);
        screenshot("inbox-sara-1366");
        page.setViewportSize(390, 844);
        assertThat((Boolean) page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
        screenshot("inbox-sara-390");
        page.setViewportSize(1366, 900);
        page.locator("#reject-" + plain.id()).click();
        page.locator("#reject-reason textarea").fill("Nova Micro is not cleared for this data.");
        page.locator("#reject-confirm").click();
        assertThat(page.locator("vaadin-notification-card").filter(
                new Locator.FilterOptions().setHasText("Rejected request #" + plain.id()))).hasCount(1);
        assertThat(page.locator("#reject-" + plain.id())).hasCount(0);
        assertThat(status(plain.id())).isEqualTo(RequestStatus.REJECTED);
    }
}
