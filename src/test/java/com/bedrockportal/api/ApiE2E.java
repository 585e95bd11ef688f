package com.bedrockportal.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.RunAs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API from outside: alice finds its documentation from the navigation (Swagger UI lists the endpoints), her
 * browser session does not open the API itself; ci-bot gets a token from the embedded provider, submits a request for
 * Marketing with curl's moves, and mike sees it waiting for him in the portal like any other.
 */
class ApiE2E extends E2ESupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ClientRegistrationRepository registrations;
    @Autowired
    BusinessUnitService units;

    @Test
    void aliceReadsTheDocsCiBotSubmitsThroughTheApiAndMikeSeesItWaiting() throws Exception {
        loginAs("alice");
        page.locator("#api-docs-link").click();
        assertThat(page.locator("#swagger-ui .info .title")).containsText("Bedrock Access Portal API");
        assertThat(page.locator("#swagger-ui")).containsText("/api/v1/requests");
        assertThat(page.locator("#swagger-ui")).containsText("/api/v1/keys/{id}/revoke");
        screenshot("api-docs-1366");
        // The page's session cookie is no credential for the API. (The context's request API sends the browser's
        // cookies and, unlike a fetch in the page, has a timeout: an unanswered fetch would wait forever.)
        APIRequestContext http = page.context().request();
        assertThat(http.get(BASE + "/keys", RequestOptions.create().setMaxRedirects(0)).status()).as("logged in")
                .isEqualTo(200);
        assertThat(http.get(BASE + "/api/v1/applications").status()).isEqualTo(401);
        // Nor with the path spelled with an escape (%61 is a): the API's chain sees the path its controller does.
        assertThat(http.get(BASE + "/%61pi/v1/applications").status()).isEqualTo(401);

        String tokenUri = registrations.findByRegistrationId("portal").getProviderDetails().getTokenUri();
        APIResponse token = http.post(tokenUri, RequestOptions.create()
                .setHeader("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString("ci-bot:ci-bot-demo".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setForm(FormData.create().set("grant_type", "client_credentials").set("scope", "portal.api")));
        assertThat(token.status()).isEqualTo(200);
        String bearer = JSON.readTree(token.text()).get("access_token").asText();

        long marketing = RunAs.user("adam", () -> units.list("", false), "ADMIN").stream()
                .filter(u -> u.slug().equals("marketing")).findFirst().map(BusinessUnit::id).orElseThrow();
        String slug = "ci-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> body = Map.ofEntries(Map.entry("businessUnitId", marketing),
                Map.entry("kind", "NEW"), Map.entry("applicationName", "Release notes " + slug),
                Map.entry("applicationSlug", slug),
                Map.entry("purpose", "Drafts release notes from merged pull requests for review."),
                Map.entry("models", List.of("amazon.nova-lite-v1:0")), Map.entry("regions", List.of("us-east-1")),
                Map.entry("sourceCidrs", List.of("203.0.113.0/24")), Map.entry("lifetimeDays", 30),
                Map.entry("monthlyBudget", 100), Map.entry("alertEmails", List.of("alice@example.com")),
                Map.entry("ownerEmail", "alice@example.com"), Map.entry("dataClassification", "INTERNAL"));
        APIResponse created = http.post(BASE + "/api/v1/requests", RequestOptions.create()
                .setHeader("Authorization", "Bearer " + bearer)
                .setHeader("Idempotency-Key", UUID.randomUUID().toString())
                .setHeader("Content-Type", "application/json").setData(JSON.writeValueAsString(body)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode request = JSON.readTree(created.text());
        long id = request.get("id").asLong();

        page.context().clearCookies();
        loginAs("mike");
        page.navigate(BASE + "/requests/" + id);
        assertThat(page.locator("#request-status")).hasText("Waiting for manager");
        assertThat(page.locator("body")).containsText("ci-bot");
        assertThat(page.locator("#decision-approve")).isEnabled();
    }

    /**
     * The ID token a logout puts in its redirect URL ({@code id_token_hint}, so browser history and proxy logs hold
     * it) names the portal as its audience, as an access token does, but does not open the API.
     */
    @Test
    void theIdTokenALogoutCarriesInItsUrlDoesNotOpenTheApi() {
        List<String> requested = new java.util.concurrent.CopyOnWriteArrayList<>();
        page.onRequest(r -> requested.add(r.url()));
        loginAs("sara");
        page.locator("#logout").click();
        page.waitForCondition(() -> requested.stream().anyMatch(u -> u.contains("id_token_hint=")));
        // The logout ends at the provider's login form; the test waits for it, so the page is not closed while a
        // redirect of the logout commits (Chromium can then leave Playwright's page.close waiting: one local run
        // waited 480 s; microsoft/playwright#42366).
        assertThat(page.locator("#username")).isVisible();
        String url = requested.stream().filter(u -> u.contains("id_token_hint=")).findFirst().orElseThrow();
        String idToken = java.net.URLDecoder.decode(url.replaceAll(".*[?&]id_token_hint=([^&]+).*", "$1"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(idToken.split("\\.")).hasSize(3);

        APIResponse refused = page.context().request().get(BASE + "/api/v1/audit", RequestOptions.create()
                .setHeader("Authorization", "Bearer " + idToken));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text()).contains("An ID token is not an access token").doesNotContain(idToken);
    }
}
