package com.bedrockportal.application;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
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
 * Decommissioning through the browser: alice asks to decommission her application and mike approves on its page;
 * afterwards the simulated account holds nothing of it (no IAM user, policy, key or budget; its secret scheduled for
 * deletion) and the page lists what was deleted. Archiving a unit with live applications lists them and
 * decommissions them; deleting the unit is refused while any is live.
 */
class DecommissionE2E extends E2ESupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    RequestLifecycle lifecycle;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationService applications;

    @Test
    void theOwnersDecommissionApprovedByTheManagerLeavesNothingOfTheApplicationInTheAccount() {
        BusinessUnit unit = Fixtures.unit(units, "decom", Set.of("mike"), Set.of("alice"));
        Application app = provisioned(unit);
        String user = app.names().iamUser();
        assertThat(inAccount(app)).as("provisioned: user, policy, key, budget, secret").containsExactly(1, 1, 1, 1, 1);

        loginAs("alice");
        page.navigate(BASE + "/applications/" + app.id());
        page.locator("#decommission-open").click();
        Locator plan = page.locator("#decommission-plan");
        assertThat(plan).containsText(user);
        assertThat(plan).containsText(app.names().budgetName());
        assertThat(plan).containsText(app.names().secretName());
        assertThat(plan).containsText("bedrock-access-portal");
        page.locator("#decommission-confirm").click();
        assertThat(page.locator("#decommission-reason [slot=error-message]")).containsText("Give a reason.");
        correct(page.locator("#decommission-reason"), "The campaign has ended.");
        screenshot("decommission-dialog");
        page.locator("#decommission-confirm").click();
        assertThat(page.locator("#decommission-status")).hasAttribute("data-status", "PENDING_APPROVAL");
        assertThat(page.locator("#decommission-approve")).hasCount(0);
        assertThat(inAccount(app)).as("nothing deleted before a manager approves").containsExactly(1, 1, 1, 1, 1);

        context.clearCookies();
        loginAs("mike");
        page.navigate(BASE + "/applications/" + app.id());
        page.locator("#decommission-approve").click();
        page.locator("#decommission-decision-confirm").click();
        assertThat(page.locator("#decommission-status")).hasAttribute("data-status", "DONE",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        Locator teardown = page.locator("#decommission-teardown");
        for (String name : List.of(user, user + "/bedrock-access-portal", app.names().budgetName(),
                app.names().secretName())) {
            assertThat(teardown).containsText(name);
        }
        assertThat(page.locator("#application-keys")).containsText("revoked");
        screenshot("decommissioned-application");

        assertThat(inAccount(app)).as("user, policy, key, budget gone; no live secret").containsExactly(0, 0, 0, 0,
                0);
        assertThat(jdbc.queryForObject("select count(*) from sandbox_secret where name = ? and deletion_date is not null",
                Integer.class, app.names().secretName())).as("secret scheduled for deletion").isEqualTo(1);
        assertThat(jdbc.queryForList("select status from api_key where iam_user = ?", String.class, user))
                .containsOnly("REVOKED");
        assertThat(jdbc.queryForObject("select status from application where id = ?", String.class, app.id()))
                .isEqualTo("DECOMMISSIONED");
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and title like ?",
                Integer.class, "%" + app.displayName() + " is decommissioned%")).isEqualTo(1);
    }

    @Test
    void archivingAUnitListsItsLiveApplicationsAndDecommissionsThem() {
        BusinessUnit unit = Fixtures.unit(units, "archive", Set.of("mike"), Set.of("alice"));
        Application first = provisioned(unit);
        Application second = provisioned(unit);

        loginAs("adam");
        page.navigate(BASE + "/admin/business-units");
        page.locator("#bu-grid").getByText(unit.displayName()).click();
        page.locator("#bu-delete").click();
        page.locator("vaadin-confirm-dialog-overlay").getByText("Delete").last().click();
        assertThat(page.locator("#bu-editor")).containsText("still has 2 application(s) that are not decommissioned");

        page.locator("#bu-archive").click();
        Locator listed = page.locator("#bu-archive-applications");
        assertThat(listed).containsText(first.displayName());
        assertThat(listed).containsText(second.displayName());
        screenshot("archive-lists-applications");
        page.locator("vaadin-confirm-dialog-overlay").getByText("Archive and decommission").click();
        assertThat(visibleCells("bu-grid", unit.displayName())).hasCount(0);

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "select count(*) from application where business_unit_id = ? and status = 'DECOMMISSIONED'",
                Integer.class, unit.id()) == 2);
        for (Application app : List.of(first, second)) {
            assertThat(inAccount(app)).containsExactly(0, 0, 0, 0, 0);
        }
        page.navigate(BASE + "/applications/" + first.id());
        assertThat(page.locator("#decommission-status")).hasAttribute("data-status", "DONE");
        assertThat(page.locator("#decommission-status")).containsText("adam");
        // Other browser tests share this database and count the archived units they see: leave none behind.
        RunAs.user("adam", () -> units.setArchived(unit.id(), false), "ADMIN");
    }

    /** A new application of the unit, asked for by alice (with a Secrets Manager copy), approved and provisioned. */
    private Application provisioned(BusinessUnit unit) {
        RequestDraft draft = Fixtures.request(unit.id());
        draft.setStoreSecret(true);
        AccessRequest r = RunAs.user("alice", () -> requests.submit(draft), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> lifecycle.get(r.id()).orElseThrow().status() == RequestStatus.PROVISIONED);
        long appId = lifecycle.get(r.id()).orElseThrow().applicationId();
        return applications.load(appId);
    }

    /** How many of the IAM user, its policies, its credentials, its budget and its live secret the account holds. */
    private List<Integer> inAccount(Application app) {
        String user = app.names().iamUser();
        return List.of(
                count("select count(*) from sandbox_iam_user where user_name = ?", user),
                count("select count(*) from sandbox_user_policy where user_name = ?", user),
                count("select count(*) from sandbox_credential where user_name = ?", user),
                count("select count(*) from sandbox_budget where budget_name = ?", app.names().budgetName()),
                count("select count(*) from sandbox_secret where name = ? and deletion_date is null",
                        app.names().secretName()));
    }

    private int count(String sql, String arg) {
        return jdbc.queryForObject(sql, Integer.class, arg);
    }
}
