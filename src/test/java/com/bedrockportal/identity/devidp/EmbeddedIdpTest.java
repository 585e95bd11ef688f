package com.bedrockportal.identity.devidp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.bedrockportal.testsupport.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded provider on its own (no portal): exact redirect URIs, a fixed issuer, auth_time, the progressive
 * delay after failed logins. Talks HTTP to it as a browser and the portal would.
 */
class EmbeddedIdpTest {

    private static final String PORTAL = "http://localhost:18999";
    /** Registered as an extra base URL: the loopback IP literal is where the stock validator ignores the port. */
    private static final String PORTAL_BY_IP = "http://127.0.0.1:18999";
    private static final String SECRET = "test-secret";
    private static final String API_CLIENT = "ci-test";
    private static final String API_SECRET = "ci-test-secret";
    private static final MutableClock THROTTLE_CLOCK = new MutableClock();
    private static final List<Duration> SLEEPS = new CopyOnWriteArrayList<>();
    private static final List<String> ATTEMPTS = new CopyOnWriteArrayList<>();

    private static EmbeddedIdp.Running idp;
    private static String issuer;

    @BeforeAll
    static void start() {
        // The throttle's clock stands still and its sleeper only records: attempts pile up as parallel ones would.
        LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Policy(3, 10, Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofMinutes(15)), THROTTLE_CLOCK, SLEEPS::add);
        idp = EmbeddedIdp.start(new EmbeddedIdpSettings("localhost", 0, "127.0.0.1", "portal", SECRET,
                List.of(PORTAL, PORTAL_BY_IP), DemoUser.defaults(),
                (username, address, success, detail) -> ATTEMPTS.add(username + " " + address + " " + success
                        + (detail == null ? "" : " " + detail)),
                throttle, List.of(new EmbeddedIdpSettings.ApiClient(API_CLIENT, API_SECRET, Duration.ofMinutes(5)))));
        issuer = idp.issuer();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    // ----- a small browser -----

    private HttpClient browser = newBrowser();

    private static HttpClient newBrowser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String url, Map<String, String> form) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> submitLogin(String username, String password) throws Exception {
        HttpResponse<String> page = get(issuer + "/login");
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).as("login form with CSRF token").isTrue();
        return postForm(issuer + "/login", Map.of("username", username, "password", password, "_csrf", csrf.group(1)));
    }

    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElse("");
    }

    /** An authorization request as the portal sends it (PKCE), with extra parameters. */
    private record Authorization(String url, String verifier, String redirectUri) {
    }

    private Authorization authorization(String redirectUri, Map<String, String> extra) throws Exception {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", "portal");
        params.put("scope", "openid profile");
        params.put("state", UUID.randomUUID().toString());
        params.put("redirect_uri", redirectUri);
        params.put("nonce", UUID.randomUUID().toString());
        params.put("code_challenge", challenge);
        params.put("code_challenge_method", "S256");
        params.putAll(extra);
        return new Authorization(issuer + "/oauth2/authorize?" + encode(params), verifier, redirectUri);
    }

    /** Follows the provider's redirects (typing alice's password if it asks) up to the code. */
    private String code(Authorization authorization, boolean expectLoginForm) throws Exception {
        HttpResponse<String> response = get(authorization.url());
        if (location(response).endsWith("/login")) {
            assertThat(expectLoginForm).as("the provider asked for the password").isTrue();
            HttpResponse<String> login = submitLogin("alice", "alice-demo");
            response = get(URI.create(issuer).resolve(location(login)).toString());
        } else {
            assertThat(expectLoginForm).as("the provider answered from its session").isFalse();
        }
        assertThat(location(response)).startsWith(authorization.redirectUri() + "?code=");
        return URLDecoder.decode(location(response).replaceAll(".*[?&]code=([^&]+).*", "$1"),
                StandardCharsets.UTF_8);
    }

    private JsonNode idToken(Authorization authorization, String code) throws Exception {
        String jwt = idTokenJwt(authorization, code);
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private String idTokenJwt(Authorization authorization, String code) throws Exception {
        HttpResponse<String> response = tokenExchange(authorization, code, SECRET);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).get("id_token").asText();
    }

    /** The portal's side of a login: the code for tokens, the client authenticated with {@code secret}. */
    private HttpResponse<String> tokenExchange(Authorization authorization, String code, String secret)
            throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("portal:" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(Map.of("grant_type", "authorization_code",
                        "code", code, "redirect_uri", authorization.redirectUri(),
                        "code_verifier", authorization.verifier()))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    // ----- the tests -----

    @Test
    void theIdTokensAuthTimeIsWhenThePasswordWasTypedInThisBrowserAndPromptLoginAsksForItAgain() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        Authorization first = authorization(PORTAL + "/login/oauth2/code/portal", Map.of());
        JsonNode token = idToken(first, code(first, true));
        assertThat(token.get("iss").asText()).isEqualTo(issuer);
        assertThat(token.get("preferred_username").asText()).isEqualTo("alice");
        Instant authTime = Instant.ofEpochSecond(token.get("auth_time").asLong());
        assertThat(authTime).isBetween(before, Instant.now());

        // auth_time has second precision: let a second pass so that a newer login shows. Then alice logs in in
        // another browser (Spring Authorization Server's own auth_time would be that newest session's).
        Thread.sleep(1100);
        HttpClient firstBrowser = browser;
        browser = newBrowser();
        Authorization elsewhere = authorization(PORTAL + "/login/oauth2/code/portal", Map.of());
        assertThat(idToken(elsewhere, code(elsewhere, true)).get("auth_time").asLong())
                .isGreaterThan(authTime.getEpochSecond());

        browser = firstBrowser;
        Authorization silent = authorization(PORTAL + "/login/oauth2/code/portal", Map.of());
        JsonNode silentToken = idToken(silent, code(silent, false));
        assertThat(silentToken.get("auth_time").asLong()).as("single sign-on keeps this browser's login time")
                .isEqualTo(authTime.getEpochSecond());

        Authorization again = authorization(PORTAL + "/login/oauth2/code/portal",
                Map.of("prompt", "login", "max_age", "0"));
        JsonNode newToken = idToken(again, code(again, true));
        assertThat(newToken.get("auth_time").asLong()).isGreaterThan(authTime.getEpochSecond());
    }

    @Test
    void theIdTokenIsSignedWithTheKeyTheProviderPublishes() throws Exception {
        Authorization login = authorization(PORTAL + "/login/oauth2/code/portal", Map.of());
        String jwt = idTokenJwt(login, code(login, true));
        JWKSet published = JWKSet.parse(get(issuer + "/oauth2/jwks").body());
        SignedJWT token = SignedJWT.parse(jwt);
        assertThat(published.getKeys()).hasSize(1);
        RSAKey key = (RSAKey) published.getKeyByKeyId(token.getHeader().getKeyID());
        assertThat(key).as("the token names the published key").isNotNull();
        assertThat(key.isPrivate()).as("only the public half is published").isFalse();
        assertThat(token.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(token.getJWTClaimsSet().getStringClaim("preferred_username")).isEqualTo("alice");
    }

    @Test
    void thePortalsSecretStaysADigestAfterItsTokenExchangesAndStillOnlyThatSecretIsTaken() throws Exception {
        RegisteredClientRepository clients = idp.context().getBean(RegisteredClientRepository.class);
        for (int i = 0; i < 2; i++) {
            browser = newBrowser();
            Authorization login = authorization(PORTAL + "/login/oauth2/code/portal", Map.of());
            assertThat(idTokenJwt(login, code(login, true))).isNotBlank();
            // The server re-encodes a secret the encoder asks to upgrade; BCrypt here cost 70 ms per token exchange.
            assertThat(clients.findByClientId("portal").getClientSecret()).as("after token exchange %d", i + 1)
                    .startsWith("{sha256}");
        }
        browser = newBrowser();
        Authorization login = authorization(PORTAL + "/login/oauth2/code/portal", Map.of());
        HttpResponse<String> wrongSecret = tokenExchange(login, code(login, true), SECRET + "x");
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.body()).doesNotContain("id_token");
    }

    @Test
    void aDemoUserLogsInByNameInAnyCaseAsOftenAsLikedAndAnUnknownNameDoesNot() throws Exception {
        for (String name : List.of("sara", "SARA", "sara")) {
            browser = newBrowser();
            assertThat(location(submitLogin(name, "sara-demo"))).as(name).doesNotContain("error");
        }
        browser = newBrowser();
        assertThat(location(submitLogin("sara", "alice-demo"))).endsWith("/login?error");
        assertThat(location(submitLogin("nobody", "sara-demo"))).endsWith("/login?error");
    }

    @Test
    void aRedirectUriThatIsNotRegisteredExactlyGetsAnErrorAndNoCode() throws Exception {
        Authorization ok = authorization(PORTAL + "/login/oauth2/code/portal", Map.of());
        code(ok, true);
        for (String other : List.of("http://127.0.0.1:18998/login/oauth2/code/portal",
                "http://localhost:18998/login/oauth2/code/portal", "http://[::1]:18999/login/oauth2/code/portal",
                PORTAL + "/login/oauth2/code/portal/../evil", "http://evil.example/login/oauth2/code/portal")) {
            HttpResponse<String> response = get(authorization(other, Map.of()).url());
            assertThat(response.statusCode()).as(other).isEqualTo(400);
            assertThat(location(response)).as(other).doesNotContain("code=");
        }
        // Both registered addresses work, on their own port only.
        Authorization byIp = authorization(PORTAL_BY_IP + "/login/oauth2/code/portal", Map.of());
        assertThat(location(get(byIp.url()))).startsWith(PORTAL_BY_IP + "/login/oauth2/code/portal?code=");
    }

    @Test
    void theIssuerIsFixedWhateverHostTheRequestNames() throws Exception {
        URI uri = URI.create(issuer);
        String answer;
        try (Socket socket = new Socket("127.0.0.1", uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /.well-known/openid-configuration HTTP/1.1\r\nHost: evil.example:4444\r\n"
                    + "X-Forwarded-Host: evil.example\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answer = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
        }
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(answer).contains("\"issuer\":\"" + issuer + "\"")
                .contains("\"authorization_endpoint\":\"" + issuer + "/oauth2/authorize\"")
                .doesNotContain("evil.example");
        assertThat(issuer).matches("http://localhost:\\d+").doesNotEndWith(":0");
    }

    @Test
    void failedLoginsAreDelayedMoreAndMoreThenRefusedAndEachAttemptIsReported() throws Exception {
        SLEEPS.clear();
        ATTEMPTS.clear();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = submitLogin("mike", "not-mike's");
            assertThat(location(response)).endsWith("/login?error");
        }
        // Free, free, free, then 1 s, 2 s, 4 s (the clock stands still: each waits behind the one before).
        assertThat(SLEEPS).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        // The next would wait past the cap: refused without looking at the password, even the right one.
        HttpResponse<String> refused = submitLogin("mike", "mike-demo");
        assertThat(location(refused)).endsWith("/login?error=wait");
        assertThat(get(issuer + "/login?error=wait").body()).contains("Too many failed sign-ins");
        assertThat(ATTEMPTS).hasSize(7);
        assertThat(ATTEMPTS.get(0)).isEqualTo("mike 127.0.0.1 false wrong username or password at the embedded "
                + "login provider");
        assertThat(ATTEMPTS.get(6)).startsWith("mike 127.0.0.1 false refused without checking the password");
        // Another user is not held up by mike's failures.
        assertThat(location(submitLogin("sara", "sara-demo"))).doesNotContain("error");
        assertThat(ATTEMPTS.get(7)).isEqualTo("sara 127.0.0.1 true");
    }

    /** A machine client's token request (client-credentials grant), its secret sent as HTTP Basic. */
    private HttpResponse<String> clientCredentials(String client, String secret) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=portal.api")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A client's secret guessed at the token endpoint: delayed more and more as the login form's passwords are, then
     * refused without being checked, each attempt reported as a failed login of "client:<id>" (it was neither).
     */
    @Test
    void wrongClientSecretsAreDelayedMoreAndMoreThenRefusedAndEachIsReported() throws Exception {
        SLEEPS.clear();
        ATTEMPTS.clear();
        assertThat(clientCredentials(API_CLIENT, API_SECRET).statusCode()).isEqualTo(200);
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> wrong = clientCredentials(API_CLIENT, "guess-" + i);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain("access_token");
        }
        assertThat(SLEEPS).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        HttpResponse<String> refused = clientCredentials(API_CLIENT, API_SECRET);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("invalid_client").doesNotContain("access_token");
        assertThat(ATTEMPTS).hasSize(7);
        assertThat(ATTEMPTS.get(0)).isEqualTo("client:ci-test 127.0.0.1 false wrong client secret at the embedded "
                + "login provider's /oauth2/token");
        assertThat(ATTEMPTS.get(6)).startsWith("client:ci-test 127.0.0.1 false refused without checking the secret");
        // The portal's own client is not held up by another client's failures.
        browser = newBrowser();
        Authorization login = authorization(PORTAL + "/login/oauth2/code/portal", Map.of());
        assertThat(idTokenJwt(login, code(login, true))).isNotBlank();
        // Once the failures are forgotten the right secret is taken again.
        THROTTLE_CLOCK.advance(Duration.ofMinutes(16));
        assertThat(clientCredentials(API_CLIENT, API_SECRET).statusCode()).isEqualTo(200);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
