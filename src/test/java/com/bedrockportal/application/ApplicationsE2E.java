package com.bedrockportal.application;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.microsoft.playwright.Locator;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alice asks for two applications of Marketing through the form; once approved, each has its own IAM user whose
 * policy names only its own model (checked in the simulated account), and both are listed with their keys. A slug
 * too long for the unit is refused beside the field.
 */
class ApplicationsE2E extends E2ESupport {

    @Autowired
    ApprovalService approvals;
    @Autowired
    RequestLifecycle lifecycle;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void twoApplicationsOfOneUnitKeepTheirOwnAccess() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        loginAs("alice");
        long copy = request("Campaign copy " + run, "campaign-copy-" + run, "Nova Lite");
        long summary = request("Support summaries " + run, "support-summaries-" + run, "Nova Micro");
        for (long id : new long[] { copy, summary }) {
            RunAs.user("mike", () -> approvals.decide(id, true, null), "MANAGER");
            RunAs.user("sara", () -> approvals.decide(id, true, null), "SECURITY");
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> provisioned(copy) && provisioned(summary));

        String copyUser = "marketing-campaign-copy-" + run + "-bedrock";
        String summaryUser = "marketing-support-summaries-" + run + "-bedrock";
        assertThat(policyOf(copyUser)).contains("amazon.nova-lite-v1:0").doesNotContain("amazon.nova-micro-v1:0");
        assertThat(policyOf(summaryUser)).contains("amazon.nova-micro-v1:0").doesNotContain("amazon.nova-lite-v1:0");
        assertThat(jdbc.queryForList("select iam_user from api_key where request_id in (?, ?)", String.class, copy,
                summary)).containsExactlyInAnyOrder(copyUser, summaryUser);

        page.navigate(BASE + "/applications");
        // Filtered to this run: the unit has as many applications as the tests before made, more than a screenful.
        page.locator("#apps-filter-text input").fill(run);
        Locator row = visibleCells("applications-grid", "Campaign copy " + run);
        assertThat(row).hasCount(1);
        assertThat(visibleCells("applications-grid", summaryUser)).hasCount(1);
        screenshot("applications-list");
        row.locator("a").click();
        assertThat(page.locator("#application-iam-user")).containsText(copyUser);
        assertThat(page.locator("#application-models")).containsText("Nova Lite");
        assertThat(page.locator("#application-keys vaadin-grid-cell-content").filter(
                new Locator.FilterOptions().setHasText("#" + copy))).hasCount(1);
        screenshot("application-page");
    }

    @Test
    void aSlugAlreadyAskedForInTheUnitIsRefusedBesideTheFieldAndNothingIsCreated() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        loginAs("alice");
        request("Brief writer " + run, "brief-writer-" + run, "Nova Lite");
        int before = jdbc.queryForObject("select count(*) from access_request where requester = 'alice'",
                Integer.class);

        page.navigate(BASE + "/requests/new");
        fillRequest(page, "Marketing", "Brief writer " + run, "The same application asked for twice.", "Nova Lite");
        page.locator("#request-submit").click();
        assertThat(page.locator("#request-app-slug [slot=error-message]")).containsText(
                "Marketing already has an application brief-writer-" + run);
        assertThat(page).hasURL(Pattern.compile(".*/requests/new$"));
        assertThat(jdbc.queryForObject("select count(*) from access_request where requester = 'alice'",
                Integer.class)).isEqualTo(before);
        screenshot("application-slug-refused");
    }

    private long request(String application, String slug, String model) {
        page.navigate(BASE + "/requests/new");
        fillRequest(page, "Marketing", application, "Two applications of one unit keep their own access.", model);
        assertThat(page.locator("#request-app-slug input")).hasValue(slug);
        assertThat(page.locator("#request-app-slug")).containsText("marketing-" + slug + "-bedrock");
        return submitRequest(page);
    }

    private boolean provisioned(long id) {
        return lifecycle.get(id).orElseThrow().status() == RequestStatus.PROVISIONED;
    }

    private String policyOf(String iamUser) {
        return jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                iamUser);
    }
}
