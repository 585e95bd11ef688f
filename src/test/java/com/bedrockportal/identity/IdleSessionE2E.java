package com.bedrockportal.identity;

import java.time.Instant;
import java.util.List;

import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditEntry;
import com.bedrockportal.audit.AuditFilter;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.sandbox.SandboxFaults;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.RequestOptions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An open tab keeps sending Vaadin heartbeats; they must not keep an idle session alive. A portal of its own (on
 * another port) with a 10-second idle timeout (long enough for a login on a busy machine) and a heartbeat every second: alice logs in and does nothing; once a
 * heartbeat arrives after the timeout, her session is gone (audited), the tab shows the login form again (no silent
 * re-login through the IdP's session), and her browser no longer opens a page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "server.port=${test.e2e.idle-port:18089}",
        "portal.identity.embedded-idp.port=0",
        "spring.datasource.url=jdbc:h2:mem:e2e-idle" + E2ESupport.H2_OPTIONS,
        "vaadin.launch-browser=false",
        "server.servlet.session.timeout=10s",
        "vaadin.heartbeatInterval=1" })
class IdleSessionE2E {

    static final int PORT = Integer.getInteger("test.e2e.idle-port", 18089);
    static final String BASE = "http://localhost:" + PORT;
    static final long TIMEOUT_MILLIS = 10_000;

    @Autowired
    AuditLog audit;
    @Autowired
    SecurityContextHolderStrategy securityContextStrategy;
    @Autowired
    BusinessUnitService units;
    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    SimulatedAccount account;

    private BrowserContext context;

    @BeforeEach
    void open() {
        SecurityContextHolder.setContextHolderStrategy(securityContextStrategy);
        context = Browsers.context();
        context.setDefaultTimeout(20_000);
    }

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void anOpenTabWhoseUserDoesNothingIsLoggedOutDespiteItsHeartbeats() {
        Instant since = Instant.now();
        Page page = E2ESupport.loginAs(context.newPage(), BASE, "alice");
        RequestOptions noRedirect = RequestOptions.create().setMaxRedirects(0);
        assertThat(context.request().get(BASE + "/keys", noRedirect).status()).as("logged in").isEqualTo(200);

        // From now on alice does nothing; the tab's heartbeats (every second) go on. Once the idle timeout has passed,
        // the tab finds its session gone, reloads, and the login form asks for the password again: the IdP's own
        // session does not log alice back in silently.
        long idleFrom = System.currentTimeMillis();
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#username")).isVisible(
                new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(40_000));
        assertThat(System.currentTimeMillis() - idleFrom).as("not before the idle timeout")
                .isGreaterThanOrEqualTo(TIMEOUT_MILLIS - 500);
        APIResponse after = context.request().get(BASE + "/keys", noRedirect);
        assertThat(after.status()).as("the old session opens nothing").isEqualTo(302);
        assertThat(after.headers().get("location")).contains("/oauth2/authorization/portal");
        List<AuditEntry> expired = RunAs.user("sara", () -> audit.find(new AuditFilter("alice",
                AuditActions.SESSION_EXPIRED, null, since, null), 0, 10), "SECURITY");
        assertThat(expired).isNotEmpty();
    }

    /**
     * A request page polls for progress every two seconds while its provisioning is retried (here: AWS does not answer
     * CreateUser, so the step waits for its next retry); alice leaves it open and does nothing: the polls do not keep
     * her session alive, as the heartbeats do not.
     */
    @Test
    void aPageThatPollsForProgressDoesNotKeepAnIdleSessionAlive() {
        BusinessUnit unit = Fixtures.unit(units, "idle");
        SandboxFaults.fail(account, "CreateUser", "TRANSIENT");
        try {
            AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
            RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
            RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
            Page page = E2ESupport.loginAs(context.newPage(), BASE, "alice");
            page.navigate(BASE + "/requests/" + r.id());
            // The page polls: a UIDL message whose only event is the poll.
            page.waitForRequest(q -> q.url().contains("v-r=uidl") && q.postData() != null
                    && q.postData().contains("\"ui-poll\""), () -> { });
            long idleFrom = System.currentTimeMillis();
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#username")).isVisible(
                    new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(40_000));
            assertThat(System.currentTimeMillis() - idleFrom).as("not before the idle timeout")
                    .isGreaterThanOrEqualTo(TIMEOUT_MILLIS - 2_500);
            assertThat(context.request().get(BASE + "/keys", RequestOptions.create().setMaxRedirects(0)).status())
                    .as("the old session opens nothing").isEqualTo(302);
        } finally {
            SandboxFaults.clear(account);
        }
    }
}
