package com.bedrockportal.key;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.Reauthentication;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.DataClassification;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class RevealE2E extends E2ESupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    com.bedrockportal.lifecycle.KeyActions keyActions;

    /** A request of alice's, approved by mike and sara through the services, provisioned by the engine. */
    private long provisionedRequest() {
        RequestDraft d = new RequestDraft();
        d.setBusinessUnitId(freshUnitOfAlice().id());
        d.setApplicationName("Campaign briefs");
        d.setApplicationSlug("campaign-briefs");
        d.setPurpose("Reveal journey: assistant for campaign briefs.");
        d.setModels(List.of("amazon.nova-lite-v1:0"));
        d.setRegions(List.of("us-west-2"));
        d.setLifetimeDays(7);
        d.setMonthlyBudget(new BigDecimal("50"));
        d.setAlertThreshold(80);
        d.setAlertEmails("alice@example.com");
        d.setOwnerEmail("alice@example.com");
        d.setDataClassification(DataClassification.INTERNAL);
        AccessRequest r = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        return r.id();
    }

    @Autowired
    BusinessUnitService units;

    private BusinessUnit freshUnitOfAlice() {
        return Fixtures.unit(units, "rv");
    }

    @Test
    void aliceRevealsOnceAfterLoggingInAgainAndTheKeyAppearsInExactlyOneResponse() {
        long id = provisionedRequest();
        // Bodies are read as they arrive: after a navigation the browser no longer has them.
        record Seen(String url, String body, String cacheControl) {
        }
        List<Seen> responses = new CopyOnWriteArrayList<>();
        List<String> urls = new CopyOnWriteArrayList<>();
        List<String> frames = new CopyOnWriteArrayList<>();
        context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
        // Read once the body has arrived: a body still streaming (push's long-polling fallback) would hold the handler.
        page.onRequestFinished(q -> finished(q, r -> responses.add(new Seen(r.url(), body(r), r.headerValue(
                "cache-control")))));
        page.onRequest(r -> urls.add(r.url()));
        page.onWebSocket(ws -> ws.onFrameReceived(f -> frames.add(f.text() == null ? "" : f.text())));
        loginAs("alice");
        page.navigate(BASE + "/requests/" + id);
        assertThat(page.locator("#request-status")).hasText("Provisioned — key ready");
        // People read the model's name; its id is kept for engineers, folded away with a copy button.
        assertThat(page.locator("#request-models")).containsText("Nova Lite");
        assertThat(page.locator("#request-models")).not().containsText("amazon.nova-lite-v1:0");
        assertThat(page.locator("#request-model-ids")).containsText("amazon.nova-lite-v1:0");
        // Asked for no copy in Secrets Manager: no such step, neither done nor pending.
        assertThat(page.locator("#provisioning-steps [data-step=API_KEY]")).hasAttribute("data-state", "DONE");
        assertThat(page.locator("#provisioning-steps [data-step=SECRET]")).hasCount(0);
        page.locator("#reveal-key").click();

        // The portal says why the login form comes again, then sends alice through it (prompt=login), and the
        // login form says it too; then she is back on the reveal page.
        assertThat(page.locator("#reauth-why")).containsText("shown only after a fresh login");
        screenshot("reveal-login-again-why");
        assertThat(page.locator("#login-again")).containsText("Sign in again to confirm it is you");
        screenshot("login-again-why");
        typePasswordAgainAndSeeTheKey();
        String key = page.locator("#revealed-key").textContent();
        assertThat(page.locator("#env-snippet")).containsText("AWS_BEARER_TOKEN_BEDROCK=" + key);
        assertThat(page.locator("#env-snippet")).containsText("AWS_REGION=us-west-2");
        // The name provisioning gives this application's copy ({unit}/{app}/bedrock/api-key), not the unit's of before.
        assertThat(page.locator("#secrets-snippet")).containsText("aws secretsmanager create-secret --name "
                + jdbc.queryForObject("select u.slug || '/' || a.slug || '/bedrock/api-key' from access_request r "
                        + "join application a on a.id = r.application_id join business_unit u on u.id = "
                        + "a.business_unit_id where r.id = ?", String.class, id) + " ");
        assertThat(page).not().hasTitle(Pattern.compile(Pattern.quote(key.substring(4, 20))));
        assertThat(page.url()).doesNotContain(key);
        assertThat((String) page.locator("#reveal").evaluate(
                "el => [...el.querySelectorAll('*')].flatMap(n => [...n.attributes].map(a => a.value)).join(' ')"))
                .doesNotContain(key);

        page.locator("#copy-key").click();
        assertThat(page.locator("#copy-key")).hasText("Copied");
        assertThat((String) page.evaluate("navigator.clipboard.readText()")).isEqualTo(key);

        for (var box : page.locator("#reveal-checklist vaadin-checkbox").all()) {
            box.click();
        }
        page.locator("#checklist-done").click();
        assertThat(page.locator("#checklist-recorded")).hasText("Recorded (3 of 3 ticked).");
        screenshot("reveal-alice");

        page.reload();
        assertThat(page.locator("#already-revealed")).containsText("by alice");
        assertThat(page.locator("#revealed-key")).hasCount(0);

        // Exactly one response carried the key: the reveal itself. No URL ever did.
        List<Seen> carrying = responses.stream().filter(r -> r.body().contains(key)).toList();
        assertThat(carrying).hasSize(1);
        assertThat(frames).noneMatch(f -> f.contains(key));
        assertThat(urls).noneMatch(u -> u.contains(key));
        assertThat(carrying.get(0).cacheControl()).contains("no-store");

        // After the reveal the request no longer offers it: its status and timeline say it was revealed, by whom.
        page.setViewportSize(1366, 900);
        page.navigate(BASE + "/requests/" + id);
        assertThat(page.locator("#request-status")).hasText("Key revealed — in use");
        assertThat(page.locator("#reveal-key")).hasCount(0);
        assertThat(page.locator("#key-revealed-note")).containsText("You revealed the key on");
        assertThat(page.locator("#request-timeline [data-event=KEY_REVEALED]")).containsText("Key revealed · alice");
        screenshot("request-after-reveal");
        page.setViewportSize(390, 844);
        screenshot("request-after-reveal-390");
        page.setViewportSize(1366, 900);
        page.navigate(BASE + "/requests");
        assertThat(page.locator("#my-requests-grid")).containsText("#" + id);
        assertThat(page.locator("#my-requests-grid .portal-status[data-status=KEY_ACTIVE]").first()).isVisible();
        assertThat(page.locator("#my-requests-grid")).containsText("Nova Lite");
        screenshot("my-requests-after-reveal");

        page.navigate(BASE + "/keys");
        assertThat(page.locator("#keys-grid")).containsText(key.substring(0, 12));
        screenshot("keys-alice");
        assertThat(page.locator("body")).not().containsText(key.substring(12, 30));

        for (String other : List.of("sara", "adam")) {
            try (BrowserContext ctx = Browsers.context(new Browser.NewContextOptions())) {
                Page p = loginAs(ctx.newPage(), other);
                p.navigate(BASE + "/keys/reveal/" + id);
                assertThat(p.locator("#reveal-unavailable")).containsText("Only the requester can reveal a key");
            }
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'ACCESS_DENIED' and target = ?",
                Integer.class, "reveal key of request:" + id)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'KEY_STORAGE_ACKNOWLEDGED' "
                + "and target = ?", Integer.class, "request:" + id)).isEqualTo(1);

        // Later events of the key reach the request too: alice disables it, and her request page says so.
        long keyId = jdbc.queryForObject("select id from api_key where request_id = ?", Long.class, id);
        RunAs.user("alice", () -> keyActions.disable(keyId, "Paused while the service moves."), "REQUESTER");
        page.navigate(BASE + "/requests/" + id);
        assertThat(page.locator("#request-status")).hasText("Key disabled");
        assertThat(page.locator("#request-timeline [data-event=KEY_DISABLED]")).containsText("Key disabled");
        assertThat(page.locator("#reveal-key")).hasCount(0);
    }

    @Test
    void aReLoginThatTheProviderDidNotConfirmIsRefusedUntilTheUserReallyLogsInAgain() {
        long id = provisionedRequest();
        loginAs("alice");
        long loggedInAt = System.currentTimeMillis();
        page.navigate(BASE + "/requests/" + id);
        assertThat(page.locator("#request-status")).hasText("Provisioned — key ready");
        // The provider's ID token will carry this login's time. The portal allows some clock skew, so the re-login
        // must start later than that for an answer from this login to count as old.
        long skewMillis = Reauthentication.CLOCK_SKEW.toMillis();
        page.waitForTimeout(Math.max(0, loggedInAt + skewMillis + 1500 - System.currentTimeMillis()));

        // A provider that ignores prompt=login and max_age=0: strip them from the portal's redirect to the provider
        // (Playwright routes only a navigation's first request, not the redirects that follow), so the embedded
        // provider answers from its single sign-on session without asking for the password.
        page.route(Pattern.compile(".*/oauth2/authorization/portal\\?reauth=1$"), route -> {
            APIResponse portal = route.fetch(new Route.FetchOptions().setMaxRedirects(0));
            String toProvider = portal.headers().get("location");
            route.fulfill(new Route.FulfillOptions().setStatus(302).setHeaders(java.util.Map.of("Location",
                    toProvider.replaceAll("&(prompt|max_age)=[^&]*", ""))));
        });
        page.locator("#reveal-key").click();
        assertThat(page.locator("#reauth-refused")).containsText("did not confirm a new login");
        assertThat(page.locator("#reveal")).containsText("older than the re-login started");
        assertThat(page.locator("#revealed-key")).hasCount(0);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'REAUTH_REFUSED' "
                + "and actor = 'alice'", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select revealed_at is null from api_key where request_id = ?",
                Boolean.class, id)).isTrue();
        screenshot("reveal-login-not-confirmed");

        // With a provider that honours prompt=login, the next attempt asks for the password and reveals the key.
        page.unrouteAll();
        page.locator("#reauth-again").click();
        typePasswordAgainAndSeeTheKey();
    }

    /** At the provider's login form, where the portal sent alice to log in again: the key appears afterwards. */
    private void typePasswordAgainAndSeeTheKey() {
        assertThat(page.locator("#username")).isVisible();
        page.locator("#username").fill("alice");
        page.locator("#password").fill("alice-demo");
        page.locator("button[type=submit]").click();
        assertThat(page.locator("#revealed-key")).hasText(Pattern.compile("^ABSK[A-Za-z0-9+/=]{40,}$"));
    }
}
