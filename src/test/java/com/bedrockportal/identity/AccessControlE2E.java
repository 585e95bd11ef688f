package com.bedrockportal.identity;

import java.util.Map;

import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.RequestOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class AccessControlE2E extends E2ESupport {

    @ParameterizedTest
    @ValueSource(strings = { "/admin/business-units", "/audit", "/compromise", "/compromise/leak" })
    void requesterOpeningAnAdminOrAuditUrlIsRefused(String path) {
        loginAs("alice");
        page.navigate(BASE + path);
        assertThat(page.locator("#access-denied")).containsText("You don't have access to this page");
        assertThat(page.locator("#bu-grid")).hasCount(0);
        assertThat(page.locator("#audit-grid")).hasCount(0);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/camunda/app/", "/camunda/app/cockpit/default/", "/camunda/api/admin/auth/user/default",
            "/engine-rest/engine", "/engine-rest/process-definition", "/h2-console", "/h2-console/",
            "/actuator/env", "/actuator/heapdump", "/actuator/prometheus", "/actuator/configprops" })
    void anonymousRequestsToInternalsGetNoContent(String path) {
        APIRequestContext anonymous = page.context().request();
        APIResponse response = anonymous.get(BASE + path, RequestOptions.create().setMaxRedirects(0));
        assertThat(response.status()).as("status of %s", path).isIn(302, 401, 403, 404);
        String body = response.text();
        assertThat(body).doesNotContain("camunda-admin").doesNotContain("\"name\":\"default\"")
                .doesNotContain("activeProfiles").doesNotContain("HPROF");
        if (response.status() == 302) {
            assertThat(response.headers().get("location")).contains("/oauth2/authorization/portal");
        }
    }

    /** Without a configured secret the secret-scanning endpoint does not exist; it never takes a GET. */
    @Test
    void theSecretScanningEndpointIsOffWithoutASecret() {
        APIRequestContext anonymous = page.context().request();
        APIResponse post = anonymous.post(BASE + "/api/v1/secret-scanning/alerts", RequestOptions.create()
                .setHeader("Content-Type", "application/json").setData("[]").setMaxRedirects(0));
        assertThat(post.status()).isEqualTo(404);
        APIResponse get = anonymous.get(BASE + "/api/v1/secret-scanning/alerts", RequestOptions.create()
                .setMaxRedirects(0));
        assertThat(get.status()).isEqualTo(302);
    }

    @Test
    void adminReachesCamundaCockpitWithoutASecondLogin() {
        loginAs("adam");
        page.navigate(BASE + "/camunda/app/cockpit/default/");
        assertThat(page.getByText("Running Process Instances")).isVisible();
        assertThat(page).hasTitle(java.util.regex.Pattern.compile("Cockpit"));
        assertThat(page.locator("input[name=username], #inputUsername")).hasCount(0);
        APIResponse auth = page.context().request().get(BASE + "/camunda/api/admin/auth/user/default");
        assertThat(auth.status()).isEqualTo(200);
        assertThat(auth.text()).contains("\"userId\":\"adam\"").contains("cockpit");
        APIResponse rest = page.context().request().get(BASE + "/engine-rest/process-definition/count");
        assertThat(rest.status()).isEqualTo(200);
        screenshot("camunda-cockpit-adam");
    }

    @Test
    void nonAdminIsRefusedCamundaAndTheRestApi() {
        loginAs("sara");
        APIResponse cockpit = page.context().request().get(BASE + "/camunda/app/cockpit/default/",
                RequestOptions.create().setMaxRedirects(0));
        assertThat(cockpit.status()).isEqualTo(403);
        APIResponse rest = page.context().request().get(BASE + "/engine-rest/process-definition/count");
        assertThat(rest.status()).isEqualTo(403);
    }

    @Test
    void restApiTakesNoStateChangingCallEvenFromAdmins() {
        loginAs("adam");
        APIResponse post = page.context().request().post(BASE + "/engine-rest/message",
                RequestOptions.create().setHeader("Content-Type", "application/json").setData("{\"messageName\":\"x\"}"));
        assertThat(post.status()).isEqualTo(403);
    }

    @Test
    void pagesCarryTheSecurityHeaders() {
        loginAs("alice");
        Response response = page.navigate(BASE + "/");
        Map<String, String> headers = response.allHeaders();
        assertThat(headers.get("content-security-policy")).contains("frame-ancestors 'none'")
                .contains("default-src 'self'").contains("object-src 'none'");
        assertThat(headers.get("x-content-type-options")).isEqualTo("nosniff");
        assertThat(headers.get("referrer-policy")).isEqualTo("same-origin");
        assertThat(headers.get("x-frame-options")).isEqualTo("DENY");
    }

    @Test
    void pagesRestrictBrowserFeaturesAndConnectOnlyToThePortal() {
        loginAs("alice");
        Map<String, String> headers = page.navigate(BASE + "/").allHeaders();
        assertThat(headers.get("permissions-policy")).contains("camera=()").contains("microphone=()")
                .contains("geolocation=()");
        // Websockets only to the portal itself (Vaadin push), not to any host.
        assertThat(headers.get("content-security-policy")).contains("connect-src 'self' ws://localhost:" + PORT + ";")
                .doesNotContain(" ws: ").doesNotContain(" wss:");
    }

    /** Tomcat answers a malformed request itself, before any filter: its error page carries the headers too. */
    @Test
    void tomcatsOwnErrorPagesCarryTheSecurityHeaders() throws Exception {
        for (String path : new String[] { "/%", "/a%00b" }) {
            String head = rawGet(path);
            assertThat(head).as(path).startsWith("HTTP/1.1 400");
            assertThat(head.toLowerCase()).as(path).contains("x-content-type-options: nosniff")
                    .contains("x-frame-options: deny").contains("permissions-policy: ");
        }
    }

    @Test
    void requestBodiesOverTheLimitAreRefused() {
        loginAs("alice");
        APIResponse big = page.context().request().post(BASE + "/?v-r=uidl&v-uiId=0", RequestOptions.create()
                .setHeader("Content-Type", "application/json").setData("x".repeat(2 * 1024 * 1024)));
        assertThat(big.status()).isEqualTo(413);
    }

    private static String rawGet(String path) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", PORT)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            return end < 0 ? response : response.substring(0, end);
        }
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSite() {
        loginAs("alice");
        var cookie = page.context().cookies(BASE).stream().filter(c -> c.name.equals("JSESSIONID")).findFirst()
                .orElseThrow();
        assertThat(cookie.httpOnly).isTrue();
        assertThat(cookie.sameSite).isEqualTo(com.microsoft.playwright.options.SameSiteAttribute.LAX);
    }

    @Test
    void sessionIdChangesOnLogin() {
        page.navigate(BASE + "/");
        String before = sessionId();
        loginAs("alice");
        assertThat(sessionId()).isNotNull().isNotEqualTo(before);
    }

    @Test
    void adminOpensCockpitFromTheHomePage() {
        loginAs("adam");
        page.locator("#open-cockpit").click();
        assertThat(page.getByText("Running Process Instances")).isVisible();
    }

    @Test
    void navigationWorksAtPhoneWidth() {
        page.setViewportSize(390, 844);
        loginAs("sara");
        assertThat(page.locator("#home-security")).isVisible();
        page.locator("vaadin-drawer-toggle").click();
        navItem(page, "Audit log").click();
        assertThat(page.locator("#audit-grid")).isVisible();
        screenshot("audit-log-phone");
    }

    private String sessionId() {
        return page.context().cookies(BASE).stream().filter(c -> c.name.equals("JSESSIONID")).map(c -> c.value)
                .findFirst().orElse(null);
    }

    @Test
    void logoutEndsThePortalAndTheProviderSession() {
        loginAs("alice");
        page.locator("#logout").click();
        // Back at the provider's login form: the provider session is gone too, so no silent re-login.
        assertThat(page.locator("#username")).isVisible();
        page.navigate(BASE + "/");
        assertThat(page.locator("#username")).isVisible();
        assertThat(page.locator("#main-nav")).hasCount(0);
    }
}
