package com.bedrockportal.lifecycle;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.sandbox.SimulatedActivity;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The key page's Activity card: security reads the IAM user's CloudTrail events and the application's spend from the
 * (simulated) account; the key's owner does not see the card.
 */
class KeyActivityE2E extends E2ESupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    SimulatedActivity activity;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void saraSeesTheUsersCloudTrailEventsAndTheApplicationsSpendAliceDoesNot() {
        BusinessUnit unit = Fixtures.unit(units, "ka");
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "PROVISIONED".equals(jdbc.queryForObject(
                "select status from access_request where id = ?", String.class, r.id())));
        long keyId = jdbc.queryForObject("select id from api_key where request_id = ?", Long.class, r.id());
        String credential = jdbc.queryForObject("select credential_id from api_key where id = ?", String.class, keyId);
        // A leaked copy of the key calls from outside the approved ranges an hour ago, and is refused.
        activity.record(new SimulatedActivity.Invocation(credential, Instant.now().minus(Duration.ofHours(1)),
                "InvokeModel", "198.51.100.77", "curl/8.5.0", "us-east-1", "AccessDenied", null));
        activity.record(new SimulatedActivity.Invocation(credential, Instant.now().minus(Duration.ofHours(2)),
                "InvokeModel", null, null, null, null, new BigDecimal("2.50")));

        loginAs("sara");
        page.navigate(BASE + "/keys/" + keyId);
        page.locator("#key-activity-load").click();
        assertThat(page.locator("#key-activity-summary")).containsText("2 with this key, 1 refused by AWS");
        assertThat(page.locator("#key-activity-events")).containsText("198.51.100.77");
        assertThat(page.locator("#key-activity-events")).containsText("curl/8.5.0");
        assertThat(page.locator("#key-activity-events")).containsText("AccessDenied");
        assertThat(page.locator("#key-activity-events")).containsText("CreateServiceSpecificCredential");
        assertThat(page.locator("#key-activity-spend")).containsText("$2.50 in the last 30 days, $0.00 in the 30 "
                + "days before");
        screenshot("key-activity-sara");

        try (BrowserContext other = Browsers.context(new Browser.NewContextOptions())) {
            Page alice = loginAs(other.newPage(), "alice");
            alice.navigate(BASE + "/keys/" + keyId);
            assertThat(alice.locator("#key-status")).isVisible();
            assertThat(alice.locator("#key-activity")).hasCount(0);
        }
    }
}
