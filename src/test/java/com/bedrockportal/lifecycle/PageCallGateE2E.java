package com.bedrockportal.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.PageCallGate;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.sandbox.SandboxFaults;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Five security sessions disable five keys while AWS takes 10 s to answer (the simulated account's latency). The
 * first four wait for AWS, each holding a database connection; the fifth is not sent to AWS (the node's
 * {@code portal.aws.page-calls}, 4, are in use) and its dialog says at once that nothing changed and to try again.
 * Then AWS answers: the four keys are inactive, and the fifth is disabled when tried again. Each session is a browser
 * context of its own: the tabs of one session take turns (Vaadin locks the session while a click runs).
 */
class PageCallGateE2E extends E2ESupport {

    private static final int SESSIONS = PageCallGate.DEFAULT_SIZE + 1;

    @Autowired
    ApiKeys keys;
    @Autowired
    IamUsers users;
    @Autowired
    ServiceCredentials credentials;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SimulatedAccount account;
    @Autowired
    PageCallGate gate;

    @Test
    void theFifthDisableWhileFourWaitOnAwsIsToldToTryAgainAndChangesNothing() {
        LiveKeys live = new LiveKeys(jdbc, keys, users, credentials);
        List<ApiKey> issued = new ArrayList<>();
        BusinessUnit unit = null;
        for (int i = 0; i < SESSIONS; i++) {
            if (i % 2 == 0) { // AWS allows two keys per IAM user: a unit for each two
                unit = Fixtures.unit(units, "pcg");
            }
            issued.add(live.issue(unit, "alice", true));
        }
        List<BrowserContext> sessions = new ArrayList<>();
        try {
            List<Page> pages = new ArrayList<>();
            for (ApiKey key : issued) {
                BrowserContext session = Browsers.context(new Browser.NewContextOptions().setViewportSize(1280, 900));
                sessions.add(session);
                Page sara = loginAs(session.newPage(), "sara");
                sara.navigate(BASE + "/keys/" + key.id());
                assertThat(sara.locator("#key-status")).hasText("active");
                sara.locator("#key-disable").click();
                sara.locator("#key-action-reason textarea").fill("Found in a public repository.");
                pages.add(sara);
            }

            SandboxFaults.latency(account, Duration.ofSeconds(10));
            try {
                for (Page waiting : pages.subList(0, SESSIONS - 1)) {
                    waiting.locator("#key-action-confirm").click();
                }
                Awaitility.await().atMost(Duration.ofSeconds(8)).until(() -> gate.active() == SESSIONS - 1);
                Page fifth = pages.get(SESSIONS - 1);
                fifth.locator("#key-action-confirm").click();
                assertThat(fifth.locator("#key-action-error")).containsText(
                        "nothing changed in the portal. Try again in a minute.");
                assertThat(live.status(issued.get(SESSIONS - 1))).isEqualTo("ACTIVE");
                assertThat(gate.active()).as("the four still wait on AWS").isEqualTo(SESSIONS - 1);
            } finally {
                SandboxFaults.clear(account);
            }

            for (Page waited : pages.subList(0, SESSIONS - 1)) {
                assertThat(waited.locator("#key-status")).hasText("inactive",
                        new LocatorAssertions.HasTextOptions().setTimeout(30_000));
            }
            Page fifth = pages.get(SESSIONS - 1);
            fifth.locator("#key-action-confirm").click();
            assertThat(fifth.locator("#key-status")).hasText("inactive");
            assertThat(issued).allSatisfy(k -> assertThat(live.status(k)).isEqualTo("INACTIVE"));
        } finally {
            sessions.forEach(BrowserContext::close);
        }
    }
}
