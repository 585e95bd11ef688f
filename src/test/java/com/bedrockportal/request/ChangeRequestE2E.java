package com.bedrockportal.request;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
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
 * Alice asks for a change to her application from its page: the form starts from its current access, shows what the
 * change adds and removes and which approvals it needs before she submits; mike sees the same difference and, for a
 * change that widens nothing, his approval alone changes the application in place (checked in the simulated account:
 * budget lowered, policy limited, no second key). A change that adds a model goes to security.
 */
class ChangeRequestE2E extends E2ESupport {

    @Autowired
    ApprovalService approvals;
    @Autowired
    RequestLifecycle lifecycle;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    RequestService requests;
    @Autowired
    com.bedrockportal.sandbox.SimulatedAccount account;

    @Test
    void aNarrowingChangeShowsItsDifferenceAndNeedsTheManagerOnlyAWideningOneGoesToSecurity() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String slug = "copy-desk-" + run;
        String iamUser = "marketing-" + slug + "-bedrock";
        loginAs("alice");
        page.navigate(BASE + "/requests/new");
        fillRequest(page, "Marketing", "Copy desk " + run, "Campaign copy drafts for the copy desk team.",
                "Nova Lite");
        long created = submitRequest(page);
        RunAs.user("mike", () -> approvals.decide(created, true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(created, true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status(created) == RequestStatus.PROVISIONED);
        long app = jdbc.queryForObject("select application_id from access_request where id = ?", Long.class, created);
        String budgetBefore = budgetOf(slug);

        // From the application's page to a form that starts from its current access.
        page.navigate(BASE + "/applications/" + app);
        page.locator("#application-request-change").click();
        assertThat(page.locator("#request-kind vaadin-radio-button[checked]")).containsText("A change");
        assertThat(page.locator("#request-application input")).hasValue("Copy desk " + run + " (" + slug + ")");
        assertThat(page.locator("#request-cidrs textarea")).hasValue("203.0.113.0/24");
        assertThat(page.locator("#request-app-name")).isHidden();
        assertThat(page.locator("#policy-iam-user")).hasText(iamUser);
        assertThat(page.locator("#request-diff [data-change=added], #request-diff [data-change=removed]")).hasCount(0);
        assertThat(page.locator("#request-diff")).hasText("No new key: the existing keys keep working with the new access");

        page.locator("#request-budget input").fill("50");
        page.locator("#request-cidrs textarea").fill("203.0.113.0/25");
        page.locator("#request-cidrs textarea").blur();
        page.locator("#request-purpose textarea").fill("The pilot is over: less budget, office range only.");
        assertThat(page.locator("#request-diff [data-change=removed]").filter(
                new Locator.FilterOptions().setHasText("Monthly budget: 500.00 → 50.00 USD"))).hasCount(1);
        assertThat(page.locator("#request-diff")).containsText("IP ranges added: 203.0.113.0/25");
        assertThat(page.locator("#request-diff")).containsText("IP ranges removed: 203.0.113.0/24");
        assertThat(page.locator("#request-diff")).containsText("No new key");
        assertThat(page.locator("#request-path")).hasAttribute("data-path", "manager");
        assertThat(page.locator("#request-path")).hasText("Your manager only: this change widens nothing.");
        screenshot("change-request-form");
        long narrowing = submitRequest(page);
        assertThat(page.locator("#detail-path")).hasAttribute("data-path", "manager");

        try (BrowserContext mikes = Browsers.context()) {
            Page mike = loginAs(mikes.newPage(), "mike");
            mike.navigate(BASE + "/approvals");
            assertThat(mike.locator("#approvals-grid")).containsText("Change: Copy desk " + run + " (manager only)");
            mike.locator("#open-" + narrowing).click();
            assertThat(mike.locator("#detail-diff")).containsText("Monthly budget: 500.00 → 50.00 USD");
            assertThat(mike.locator("#detail-path")).hasText("Your manager only: this change widens nothing.");
            mike.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                    .setPath(java.nio.file.Path.of("target/screenshots", "change-request-manager.png")));
            mike.locator("#decision-approve").click();
            assertThat(mike.locator("#request-status")).hasText(Pattern.compile("Approved.*|Provisioning.*|Changed.*"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status(narrowing) == RequestStatus.PROVISIONED);
        // Changed in place: the same IAM user's policy and budget, and still one key.
        assertThat(budgetOf(slug)).isNotEqualTo(budgetBefore).contains("50");
        assertThat(jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                iamUser)).contains("203.0.113.0/25").doesNotContain("203.0.113.0/24");
        assertThat(jdbc.queryForObject("select count(*) from sandbox_credential where user_name = ?", Integer.class,
                iamUser)).isEqualTo(1);
        assertThat(page.locator("#request-status")).hasText("Changed — applied in AWS");
        assertThat(page.locator("#request-timeline [data-event=ACCESS_CHANGED]")).isVisible();

        // Adding a model widens access: the form says security reviews it, and it waits for security after mike.
        page.navigate(BASE + "/requests/new?change=" + app);
        assertThat(page.locator("#request-budget input")).hasValue("50.00");
        page.locator("#request-models input").fill("Nova Micro");
        multiOption(page, "Nova Micro").first().click();
        page.keyboard().press("Escape");
        page.locator("#request-purpose textarea").fill("Short answers for the copy desk's chat tool.");
        // A copy in Secrets Manager without a new key: nothing to copy, refused next to the checkbox.
        page.locator("#request-store-secret input").check();
        page.locator("#request-submit").click();
        assertThat(page.locator("#request-store-secret")).hasAttribute("invalid", "");
        assertThat(page.locator("#request-store-secret [slot=error-message]")).containsText("needs a new key");
        screenshot("change-request-copy-needs-new-key");
        page.locator("#request-store-secret input").uncheck();
        assertThat(page.locator("#request-diff")).not().containsText("Secrets Manager copy");
        assertThat(page.locator("#request-diff [data-change=added]")).containsText("Models added: Nova Micro");
        assertThat(page.locator("#request-path")).hasAttribute("data-path", "security");
        assertThat(page.locator("#request-path")).containsText("it adds models");
        long widening = submitRequest(page);
        RunAs.user("mike", () -> approvals.decide(widening, true, null), "MANAGER");
        assertThat(status(widening)).isEqualTo(RequestStatus.PENDING_SECURITY);
    }

    /**
     * An application whose policy requires a guardrail: its change form starts from that guardrail (a lower budget
     * stays the manager's), and clearing it sends the change to security, as the form says before the submit.
     */
    @Test
    void aChangeFormStartsFromTheApplicationsGuardrailAndRemovingItGoesToSecurity() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String guardrail = "arn:aws:bedrock:us-east-1:123456789012:guardrail/gd" + run + ":2";
        loginAs("alice");
        page.navigate(BASE + "/requests/new");
        fillRequest(page, "Marketing", "Guarded desk " + run, "Campaign copy drafts behind the brand guardrail.",
                "Nova Lite");
        page.locator("#request-guardrail input").fill(guardrail);
        long created = submitRequest(page);
        RunAs.user("mike", () -> approvals.decide(created, true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(created, true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status(created) == RequestStatus.PROVISIONED);
        long app = jdbc.queryForObject("select application_id from access_request where id = ?", Long.class, created);

        page.navigate(BASE + "/requests/new?change=" + app);
        assertThat(page.locator("#request-guardrail input")).hasValue(guardrail);
        page.locator("#request-budget input").fill("40");
        page.locator("#request-budget input").blur();
        assertThat(page.locator("#request-path")).hasAttribute("data-path", "manager");
        assertThat(page.locator("#policy-json")).containsText("gd" + run);
        assertThat(page.locator("#request-diff")).not().containsText("Guardrail");

        page.locator("#request-guardrail input").fill("");
        page.locator("#request-guardrail input").blur();
        assertThat(page.locator("#request-path")).hasAttribute("data-path", "security");
        assertThat(page.locator("#request-path")).containsText("it removes or replaces the guardrail");
        assertThat(page.locator("#policy-preview")).containsText("changes from " + guardrail + " to none");
        assertThat(page.locator("#policy-json")).not().containsText("gd" + run);
        String lifted = "Guardrail every call must carry: " + guardrail + " → none";
        assertThat(page.locator("#request-diff [data-change=added]").filter(new Locator.FilterOptions()
                .setHasText(lifted))).hasCount(1);
        screenshot("change-request-guardrail-removed");
        page.locator("#request-purpose textarea").fill("The brand guardrail is replaced by the team's own filter.");
        long removing = submitRequest(page);
        assertThat(page.locator("#detail-path")).hasAttribute("data-path", "security");
        assertThat(page.locator("#detail-diff [data-change=added]")).containsText(lifted);
        RunAs.user("mike", () -> approvals.decide(removing, true, null), "MANAGER");
        assertThat(status(removing)).isEqualTo(RequestStatus.PENDING_SECURITY);
        RunAs.user("sara", () -> approvals.decide(removing, true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status(removing) == RequestStatus.PROVISIONED);
        // Once applied, the application requires none; the request still shows what it changed.
        page.reload();
        assertThat(page.locator("#detail-diff [data-change=added]")).containsText(lifted);

        // Requiring one where none is required narrows access: listed as such, and the manager's alone.
        String another = "arn:aws:bedrock:us-east-1:123456789012:guardrail/team" + run + ":1";
        page.navigate(BASE + "/requests/new?change=" + app);
        assertThat(page.locator("#request-guardrail input")).hasValue("");
        page.locator("#request-guardrail input").fill(another);
        page.locator("#request-guardrail input").blur();
        assertThat(page.locator("#request-diff [data-change=removed]")).containsText(
                "Guardrail every call must carry: none → " + another);
        assertThat(page.locator("#request-path")).hasAttribute("data-path", "manager");
    }

    /**
     * A failed change's put-back runs as a job of its own after the failure and tells no page: alice's page, open
     * while it happens, goes on asking until the put-back is recorded and then says so (it stopped asking at the
     * failure before, and never showed it). Every call of the simulated account takes 1 s here, so the put-back
     * lands seconds after the failure.
     */
    @Test
    void aPageOpenWhileAChangeFailsShowsItsPutBackWhenItComes() {
        long app = provisionedApplication();
        AccessRequest change = changeWithACopyApprovedByTheManager(app);
        loginAs("alice");
        page.navigate(BASE + "/requests/" + change.id());
        assertThat(page.locator("#request-status")).isVisible();

        com.bedrockportal.sandbox.SandboxFaults.failSlowly(account, "CreateSecret", "ACCESS_DENIED",
                Duration.ofSeconds(1));
        try {
            RunAs.user("sara", () -> approvals.decide(change.id(), true, null), "SECURITY");
            assertThat(page.locator("#provisioning-put-back")).containsText("the application is as it was before "
                    + "this request", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                            .setTimeout(90_000));
            assertThat(page.locator("#request-timeline [data-event=CHANGE_PUT_BACK]")).isVisible();
        } finally {
            com.bedrockportal.sandbox.SandboxFaults.clear(account);
        }
    }

    /** alice's new application, provisioned (request, mike's and sara's approvals). */
    private long provisionedApplication() {
        long unitId = jdbc.queryForObject("select id from business_unit where slug = 'marketing'", Long.class);
        AccessRequest created = RunAs.user("alice", () -> requests.submit(Fixtures.request(unitId)), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(created.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(created.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status(created.id())
                == RequestStatus.PROVISIONED);
        return jdbc.queryForObject("select application_id from access_request where id = ?", Long.class,
                created.id());
    }

    /** A change of {@code app} (an address range, a smaller budget, a Secrets Manager copy) that mike approved. */
    private AccessRequest changeWithACopyApprovedByTheManager(long app) {
        long unitId = jdbc.queryForObject("select id from business_unit where slug = 'marketing'", Long.class);
        RequestDraft d = Fixtures.request(unitId);
        d.setKind(AccessRequest.Kind.CHANGE);
        d.setApplicationId(app);
        d.setPurpose("Only the office range, a smaller budget and a copy for the deploy job.");
        d.setSourceCidrs("203.0.113.0/25");
        d.setMonthlyBudget(new java.math.BigDecimal("60"));
        d.setStoreSecret(true);
        d.setNewKey(true);
        AccessRequest change = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(change.id(), true, null), "MANAGER");
        return change;
    }

    /**
     * A change whose Secrets Manager copy AWS refuses after its tags, policy, key and budget were applied: alice's
     * request page says provisioning failed and that those were put back as before, and the application's policy and
     * page are what they were.
     */
    @Test
    void aChangeThatFailsHalfWayIsPutBackAndTheRequestPageSaysSo() {
        long app = provisionedApplication();
        String iamUser = jdbc.queryForObject("select iam_user from application where id = ?", String.class, app);
        String policyBefore = jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?",
                String.class, iamUser);
        assertThat(policyBefore).doesNotContain("aws:SourceIp");
        AccessRequest change = changeWithACopyApprovedByTheManager(app);
        com.bedrockportal.sandbox.SandboxFaults.fail(account, "CreateSecret", "ACCESS_DENIED");
        try {
            RunAs.user("sara", () -> approvals.decide(change.id(), true, null), "SECURITY");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "select count(*) from request_event where request_id = ? and type = 'CHANGE_PUT_BACK'",
                    Integer.class, change.id()) == 1);
        } finally {
            com.bedrockportal.sandbox.SandboxFaults.clear(account);
        }

        loginAs("alice");
        page.navigate(BASE + "/requests/" + change.id());
        assertThat(page.locator("#request-timeline [data-event=PROVISIONING_FAILED]"))
                .containsText("CreateSecret: access denied (log reference ");
        assertThat(page.locator("#request-timeline [data-event=CHANGE_PUT_BACK]")).containsText(
                "Change put back · system — Put back as before the request: IAM user with tags, Least-privilege "
                        + "policy, Monthly budget with alerts.");
        assertThat(page.locator("#provisioning-put-back")).containsText("the application is as it was before this "
                + "request");
        page.locator("#request-timeline [data-event=CHANGE_PUT_BACK]").scrollIntoViewIfNeeded();
        screenshot("change-request-put-back");
        assertThat(jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                iamUser)).isEqualTo(policyBefore);
        // The application's page shows its access as before the change: no range, the budget it had.
        page.navigate(BASE + "/applications/" + app);
        assertThat(page.locator("body")).containsText("200.00");
        assertThat(page.locator("body")).not().containsText("203.0.113.0/25");
    }

    private RequestStatus status(long id) {
        return lifecycle.get(id).orElseThrow().status();
    }

    private String budgetOf(String slug) {
        return jdbc.queryForObject("select spec from sandbox_budget where budget_name = ?", String.class,
                "marketing-" + slug + "-bedrock-monthly");
    }
}
