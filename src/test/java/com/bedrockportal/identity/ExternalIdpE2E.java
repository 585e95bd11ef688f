package com.bedrockportal.identity;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.MockIdp;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal against a second, independent OIDC provider (NAV's mock-oauth2-server, its own process) whose tokens
 * carry the roles in a {@code roles} claim as Keycloak-style group paths ({@code /portal-admins}): role mapping from
 * that shape, RP-initiated logout at the provider, and the step-up login before a reveal ({@code prompt=login},
 * {@code max_age=0}, and the ID token's {@code auth_time} judged: a re-login the provider does not date as fresh is
 * refused and audited; a fresh one shows the key).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:external-idp" + E2ESupport.H2_OPTIONS,
        "vaadin.launch-browser=false", "vaadin.devmode.devTools.enabled=false", PostgresSupport.NO_SCHEDULED_USAGE,
        "portal.identity.client-id=portal", "portal.identity.client-secret=external-idp-test-secret",
        "portal.identity.groups-claim=roles", "portal.identity.groups.requester=/portal-requesters",
        "portal.identity.groups.manager=/portal-managers", "portal.identity.groups.security=/portal-security",
        "portal.identity.groups.admin=/portal-admins" })
class ExternalIdpE2E {

    static final MockIdp IDP;

    static {
        try {
            IDP = MockIdp.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        registry.add("portal.identity.issuer-uri", IDP::issuer);
    }

    @AfterAll
    static void stopIdp() {
        IDP.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    SecurityContextHolderStrategy securityContextStrategy;
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

    BrowserContext context;
    Page page;

    @BeforeEach
    void open() {
        SecurityContextHolder.setContextHolderStrategy(securityContextStrategy);
        context = Browsers.context(new Browser.NewContextOptions().setViewportSize(1280, 900));
        context.setDefaultTimeout(20_000);
        page = context.newPage();
    }

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void rolesComeFromTheProvidersRolesClaimAndLogoutEndsTheProvidersSessionToo() {
        List<String> requested = new CopyOnWriteArrayList<>();
        page.onRequest(r -> requested.add(r.url()));
        login("adam", "{\"roles\":[\"/portal-admins\"],\"preferred_username\":\"adam\",\"name\":\"Adam External\","
                + "\"email\":\"adam@corp.example\"}");
        assertThat(page.locator("#current-user-name")).hasText("Adam External");
        assertThat(page.locator("#current-user-roles")).hasText("Admin");
        assertThat(page.locator("#main-nav")).containsText("Business units");

        page.locator("#logout").click();
        // The portal's session ends and the browser goes through the provider's end-session endpoint, back to the
        // portal, which asks the provider for a login again.
        page.waitForURL(Pattern.compile("^" + Pattern.quote(IDP.issuer()) + "/authorize.*"));
        assertThat(requested).anyMatch(u -> u.startsWith(IDP.issuer() + "/endsession") && u.contains("id_token_hint="));

        // A group path that is not mapped grants nothing; the plain name without the path does not count either.
        login("alice", "{\"roles\":[\"/portal-requesters\",\"portal-admins\"],\"preferred_username\":\"alice\","
                + "\"name\":\"Alice External\"}");
        assertThat(page.locator("#current-user-roles")).hasText("Requester");
        assertThat(page.locator("#main-nav")).not().containsText("Business units");
        page.navigate(base() + "/admin/business-units");
        assertThat(page.locator("#access-denied")).isVisible();
    }

    @Test
    void aRevealNeedsAFreshLoginThatTheProvidersAuthTimeConfirms() {
        long id = provisionedRequestOfAlice();
        login("alice", claims("alice", null));
        List<String> authorizations = new CopyOnWriteArrayList<>();
        page.onRequest(r -> {
            if (r.url().startsWith(IDP.issuer() + "/authorize")) {
                authorizations.add(r.url());
            }
        });
        page.navigate(base() + "/keys/reveal/" + id);
        // The page says why, then moves on to the provider by itself.
        assertThat(page.locator("#reauth-why")).isVisible();
        page.waitForURL(Pattern.compile("^" + Pattern.quote(IDP.issuer()) + "/authorize.*"));
        assertThat(authorizations.get(authorizations.size() - 1)).contains("prompt=login").contains("max_age=0");

        // The provider answers from its own session, dating the login an hour ago: it does not count.
        submitLogin("alice", claims("alice", Instant.now().minus(Duration.ofHours(1))));
        assertThat(page.locator("#reauth-refused")).isVisible();
        assertThat(page.locator("#revealed-key")).hasCount(0);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("select count(*) from "
                + "audit_event where actor = 'alice' and action = 'REAUTH_REFUSED'", Integer.class) == 1);

        // A login the provider dates now: the key is shown.
        page.locator("#reauth-again").click();
        page.waitForURL(Pattern.compile("^" + Pattern.quote(IDP.issuer()) + "/authorize.*"));
        submitLogin("alice", claims("alice", Instant.now()));
        assertThat(page.locator("#revealed-key")).hasText(Pattern.compile("^ABSK[A-Za-z0-9+/=]{40,}$"));
    }

    private long provisionedRequestOfAlice() {
        BusinessUnit unit = Fixtures.unit(units, "ext");
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> lifecycle.get(r.id()).orElseThrow().status()
                == RequestStatus.PROVISIONED);
        return r.id();
    }

    private static String claims(String user, Instant authTime) {
        return "{\"roles\":[\"/portal-requesters\"],\"preferred_username\":\"" + user + "\",\"name\":\"" + user
                + "\"" + (authTime == null ? "" : ",\"auth_time\":" + authTime.getEpochSecond()) + "}";
    }

    /** Opens the portal, which sends the browser to the provider's login form, and signs in there. */
    private void login(String username, String claims) {
        page.navigate(base() + "/");
        submitLogin(username, claims);
        assertThat(page.locator("#main-nav")).isAttached();
    }

    private void submitLogin(String username, String claims) {
        page.locator("input[name=username]").fill(username);
        page.locator("textarea[name=claims]").fill(claims);
        page.locator("input[type=submit]").click();
        page.waitForURL(Pattern.compile("^" + Pattern.quote(base()) + ".*"));
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
