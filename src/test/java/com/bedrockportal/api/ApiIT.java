package com.bedrockportal.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.notification.ChatWebhooks;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * The REST API on PostgreSQL through the real security chain: ci-bot's token comes from the embedded provider by the
 * client-credentials grant and is checked by the portal's decoder; people's tokens are built by the test (their
 * mapping and validation are {@code ApiSecurityConfigTest}'s). Every endpoint, the refusals (no token, bad token,
 * wrong role, another unit, invalid input, an idempotency key reused, too large, too many) as problem details, and
 * the OpenAPI document against the endpoints that exist.
 */
class ApiIT extends PostgresSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    WebApplicationContext context;
    @Autowired
    ClientRegistrationRepository registrations;
    @Autowired
    BusinessUnitService units;
    @Autowired
    ApprovalService approvals;
    @Autowired
    RuntimeService runtime;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactionManager;
    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    MockMvc mvc;
    private static BusinessUnit unit;
    private static String botToken;

    @BeforeEach
    void setUp() throws Exception {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
        if (unit == null) {
            unit = Fixtures.unit(units, "api", Set.of("mike"), Set.of("alice", "ci-bot"));
            botToken = clientCredentialsToken("ci-bot", "ci-bot-demo");
        }
    }

    /** A real token of the embedded provider, by the client-credentials grant. */
    private String clientCredentialsToken(String client, String secret) throws Exception {
        ClientRegistration portal = registrations.findByRegistrationId("portal");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(portal.getProviderDetails().getTokenUri()))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=portal.api")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private static RequestPostProcessor bearer(String token) {
        return request -> {
            request.addHeader("Authorization", "Bearer " + token);
            return request;
        };
    }

    /** A person's token as the portal's decoder would have turned it into an authentication. */
    private static RequestPostProcessor person(String username, String role) {
        return SecurityMockMvcRequestPostProcessors.jwt().jwt(j -> j.subject(username)
                .claim("preferred_username", username)).authorities(new SimpleGrantedAuthority("ROLE_" + role));
    }

    private MvcResult call(MockHttpServletRequestBuilder request, RequestPostProcessor who) throws Exception {
        return mvc.perform(request.with(who)).andReturn();
    }

    private static JsonNode json(MvcResult r) throws Exception {
        return JSON.readTree(r.getResponse().getContentAsString());
    }

    private static void assertProblem(MvcResult r, int status) throws Exception {
        assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(status);
        assertThat(r.getResponse().getContentType()).startsWith("application/problem+json");
        JsonNode p = json(r);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
    }

    private Map<String, Object> requestBody(String slug) {
        return Map.ofEntries(Map.entry("businessUnitId", unit.id()), Map.entry("kind", "NEW"),
                Map.entry("applicationName", "API " + slug), Map.entry("applicationSlug", slug),
                Map.entry("purpose", "Summarises build logs for the release team every night."),
                Map.entry("models", List.of("amazon.nova-lite-v1:0")), Map.entry("regions", List.of("us-east-1")),
                Map.entry("sourceCidrs", List.of("203.0.113.0/24")), Map.entry("lifetimeDays", 14),
                Map.entry("monthlyBudget", 150), Map.entry("alertEmails", List.of("alice@example.com")),
                Map.entry("ownerEmail", "alice@example.com"), Map.entry("dataClassification", "INTERNAL"));
    }

    private MockHttpServletRequestBuilder submit(Object body, String idempotencyKey) throws Exception {
        MockHttpServletRequestBuilder b = post("/api/v1/requests").contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(body));
        return idempotencyKey == null ? b : b.header("Idempotency-Key", idempotencyKey);
    }

    @Test
    void ciBotSubmitsOnceForItsUnitWithIdempotencyAndFieldErrorsAsProblems() throws Exception {
        String slug = "api-" + UUID.randomUUID().toString().substring(0, 6);
        String key = UUID.randomUUID().toString();
        MvcResult created = call(submit(requestBody(slug), key), bearer(botToken));
        assertThat(created.getResponse().getStatus()).as(created.getResponse().getContentAsString()).isEqualTo(201);
        JsonNode request = json(created);
        long id = request.get("id").asLong();
        assertThat(request.get("status").asText()).isEqualTo("PENDING_MANAGER");
        assertThat(request.get("requester").asText()).isEqualTo("ci-bot");
        assertThat(created.getResponse().getHeader("Location")).isEqualTo("/api/v1/requests/" + id);

        // Replayed: the same request, nothing created twice.
        MvcResult replay = call(submit(requestBody(slug), key), bearer(botToken));
        assertThat(replay.getResponse().getStatus()).isEqualTo(200);
        assertThat(json(replay).get("id").asLong()).isEqualTo(id);
        assertThat(jdbc.queryForObject("select count(*) from access_request where application_slug = ?",
                Integer.class, slug)).isEqualTo(1);
        // The same key with another body is refused.
        Map<String, Object> other = new java.util.HashMap<>(requestBody(slug));
        other.put("monthlyBudget", 999);
        MvcResult reused = call(submit(other, key), bearer(botToken));
        assertProblem(reused, 409);
        assertThat(json(reused).get("detail").asText()).contains("different request body");
        // Once the key has been remembered for portal.api.idempotency-ttl it is forgotten: the same key makes a new
        // request (it answered with the old one, as 201).
        jdbc.update("update api_idempotency set created_at = created_at - interval '2 days' where idem_key = ?", key);
        Map<String, Object> later = new java.util.HashMap<>(requestBody(slug + "-later"));
        MvcResult afresh = call(submit(later, key), bearer(botToken));
        assertThat(afresh.getResponse().getStatus()).as(afresh.getResponse().getContentAsString()).isEqualTo(201);
        assertThat(json(afresh).get("id").asLong()).isNotEqualTo(id);
        assertThat(jdbc.queryForObject("select count(*) from access_request where application_slug = ?",
                Integer.class, slug + "-later")).isEqualTo(1);

        // The form's messages, per field; nothing stored.
        Map<String, Object> bad = new java.util.HashMap<>(requestBody(slug + "-bad"));
        bad.put("purpose", "short");
        bad.put("models", List.of());
        MvcResult invalid = call(submit(bad, UUID.randomUUID().toString()), bearer(botToken));
        assertProblem(invalid, 400);
        assertThat(json(invalid).get("errors").get("purpose").asText()).isNotBlank();
        assertThat(json(invalid).get("errors").get("models").asText()).isNotBlank();
        assertThat(jdbc.queryForObject("select count(*) from access_request where application_slug = ?",
                Integer.class, slug + "-bad")).isZero();
        assertProblem(call(submit(requestBody(slug + "-nokey"), null), bearer(botToken)), 400);
        // Another unit (ci-bot is no member of it): refused like the form refuses it.
        Map<String, Object> foreign = new java.util.HashMap<>(requestBody(slug + "-x"));
        foreign.put("businessUnitId", Fixtures.unit(units, "apx").id());
        MvcResult otherUnit = call(submit(foreign, UUID.randomUUID().toString()), bearer(botToken));
        assertProblem(otherUnit, 400);
        assertThat(json(otherUnit).get("errors").get("businessUnitId").asText()).contains("member");

        // Status and timeline for the requester and the unit's manager; another unit's requester sees nothing.
        MvcResult status = call(get("/api/v1/requests/" + id), bearer(botToken));
        assertThat(status.getResponse().getStatus()).isEqualTo(200);
        assertThat(json(status).get("timeline").get(0).get("type").asText()).isEqualTo("SUBMITTED");
        assertThat(call(get("/api/v1/requests/" + id), person("mike", "MANAGER")).getResponse().getStatus())
                .isEqualTo(200);
        assertProblem(call(get("/api/v1/requests/" + id), person("bob", "REQUESTER")), 404);
    }

    /**
     * Two calls with one Idempotency-Key at the same moment: the second waits for the first's commit, is told the key
     * is in progress (not a field error about the name the first has just taken), and its retry answers with the
     * first's request. One request is stored.
     */
    @Test
    void twoCallsWithOneIdempotencyKeyAtOnceStoreOneRequest() throws Exception {
        String slug = "api-" + UUID.randomUUID().toString().substring(0, 6);
        String key = UUID.randomUUID().toString();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.atomic.AtomicLong firstId = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.Future<MvcResult> second = new org.springframework.transaction.support
                    .TransactionTemplate(transactionManager).execute(status -> {
                        try {
                            // The endpoint's transaction joins this one: the first call commits at its end.
                            MvcResult first = call(submit(requestBody(slug), key), bearer(botToken));
                            assertThat(first.getResponse().getStatus()).isEqualTo(201);
                            firstId.set(json(first).get("id").asLong());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        java.util.concurrent.Future<MvcResult> f = pool.submit(() -> call(submit(requestBody(slug),
                                key), bearer(botToken)));
                        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                                com.bedrockportal.testsupport.Fixtures.lockWaiters(jdbc, "%api_idempotency%") == 1);
                        return f;
                    });
            MvcResult waited = second.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertProblem(waited, 409);
            assertThat(json(waited).get("detail").asText()).contains("Idempotency-Key is in progress");
            MvcResult retried = call(submit(requestBody(slug), key), bearer(botToken));
            assertThat(retried.getResponse().getStatus()).isEqualTo(200);
            assertThat(json(retried).get("id").asLong()).isEqualTo(firstId.get());
            assertThat(jdbc.queryForObject("select count(*) from access_request where application_slug = ?",
                    Integer.class, slug)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingBadAndTamperedTokensAndTheWrongRoleAreRefusedAsProblems() throws Exception {
        MvcResult none = mvc.perform(get("/api/v1/applications")).andReturn();
        assertProblem(none, 401);
        assertThat(none.getResponse().getHeader("WWW-Authenticate")).startsWith("Bearer");
        assertThat(json(none).get("detail").asText()).contains("bearer token is required");
        assertProblem(call(get("/api/v1/applications"), bearer("not-a-jwt")), 401);
        String tampered = botToken.substring(0, botToken.length() - 4)
                + (botToken.endsWith("AAAA") ? "BBBB" : "AAAA");
        MvcResult forged = call(get("/api/v1/applications"), bearer(tampered));
        assertProblem(forged, 401);
        assertThat(forged.getResponse().getContentAsString()).doesNotContain(tampered);
        // (That a browser's session cookie does not open the API is ApiE2E's: MockMvc has no real session.)

        // ci-bot is a requester: the audit log and alerts are not for it.
        assertProblem(call(get("/api/v1/audit"), bearer(botToken)), 403);
        assertProblem(call(get("/api/v1/alerts"), bearer(botToken)), 403);
        assertThat(call(get("/api/v1/applications"), bearer(botToken)).getResponse().getStatus()).isEqualTo(200);

        // Too large: refused before reading.
        MvcResult large = call(post("/api/v1/requests").header("Idempotency-Key", "big")
                .contentType(MediaType.APPLICATION_JSON).content("{\"purpose\":\"" + "x".repeat(70_000) + "\"}"),
                bearer(botToken));
        assertProblem(large, 413);
    }

    @Test
    void keysAreListedByPrefixAndItsActionsFollowTheKeyPagesRules() throws Exception {
        String slug = "keys-" + UUID.randomUUID().toString().substring(0, 6);
        MvcResult created = call(submit(requestBody(slug), UUID.randomUUID().toString()), person("alice",
                "REQUESTER"));
        long id = json(created).get("id").asLong();
        RunAs.user("mike", () -> approvals.decide(id, true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(id, true, null), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> runtime.createExecutionQuery()
                .processInstanceBusinessKey(Long.toString(id)).activityId("ReceiveTask_KeyRevealed").count() == 1);
        long app = jdbc.queryForObject("select application_id from access_request where id = ?", Long.class, id);

        JsonNode keys = json(call(get("/api/v1/keys?applicationId=" + app), person("alice", "REQUESTER")));
        assertThat(keys).hasSize(1);
        // The status filter takes what the list says, in any case; an unknown one is refused, never ignored.
        assertThat(json(call(get("/api/v1/keys?applicationId=" + app + "&status=Pending_Reveal"),
                person("alice", "REQUESTER")))).hasSize(1);
        assertThat(json(call(get("/api/v1/keys?applicationId=" + app + "&status=inactive"),
                person("alice", "REQUESTER")))).isEmpty();
        assertThat(json(call(get("/api/v1/keys?applicationId=" + app + "&status=expired"),
                person("alice", "REQUESTER")))).isEmpty();
        MvcResult unknown = call(get("/api/v1/keys?applicationId=" + app + "&status=disabled"),
                person("alice", "REQUESTER"));
        assertProblem(unknown, 400);
        assertThat(json(unknown).get("errors").get("status").asText()).contains("Unknown status");
        // Past its expiry a key is listed as expired, and filtered so: not under the status it still has.
        java.sql.Timestamp expires = jdbc.queryForObject("select expires_at from api_key where application_id = ?",
                java.sql.Timestamp.class, app);
        jdbc.update("update api_key set expires_at = ? where application_id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(60)), app);
        assertThat(json(call(get("/api/v1/keys?applicationId=" + app + "&status=pending_reveal"),
                person("alice", "REQUESTER")))).isEmpty();
        assertThat(json(call(get("/api/v1/keys?applicationId=" + app + "&status=expired"),
                person("alice", "REQUESTER")))).hasSize(1);
        jdbc.update("update api_key set expires_at = ? where application_id = ?", expires, app);
        long keyId = keys.get(0).get("id").asLong();
        assertThat(keys.get(0).get("prefix").asText()).hasSize(12);
        assertThat(keys.get(0).has("secret")).isFalse();
        assertThat(json(call(get("/api/v1/applications"), person("alice", "REQUESTER"))).findValuesAsText("slug"))
                .contains(slug);
        assertThat(json(call(get("/api/v1/applications"), person("bob", "REQUESTER"))).findValuesAsText("slug"))
                .doesNotContain(slug);
        // A page at a time: only the page is read, and the pages follow one another (two applications at least,
        // whatever ran before).
        Fixtures.application(jdbc, unit, "page-" + UUID.randomUUID().toString().substring(0, 6));
        JsonNode first = json(call(get("/api/v1/applications?limit=1"), person("sara", "SECURITY")));
        JsonNode second = json(call(get("/api/v1/applications?limit=1&offset=1"), person("sara", "SECURITY")));
        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).get("id").asLong()).isNotEqualTo(first.get(0).get("id").asLong());

        // A member of the unit who is not the application's owner sees the key but may not act on it: 403 (not
        // 409, which says "not now"), refused and audited as in the browser; nothing changes.
        MvcResult notOwner = call(post("/api/v1/keys/" + keyId + "/disable").contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\":\"not mine\"}"), person("ci-bot", "REQUESTER"));
        assertProblem(notOwner, 403);
        assertThat(json(notOwner).get("type").asText()).isEqualTo("urn:bedrock-portal:problem:forbidden");
        assertThat(json(notOwner).get("detail").asText()).contains("owner");
        MvcResult notOwnersRotation = call(post("/api/v1/applications/" + app + "/rotate").contentType(MediaType
                .APPLICATION_JSON).content("{\"reason\":\"routine\"}"), person("ci-bot", "REQUESTER"));
        assertProblem(notOwnersRotation, 403);
        assertThat(jdbc.queryForObject("select status from api_key where id = ?", String.class, keyId))
                .isEqualTo("PENDING_REVEAL");
        assertThat(jdbc.queryForObject("select count(*) from key_rotation where application_id = ?", Integer.class,
                app)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'ci-bot' and action = "
                + "'ACCESS_DENIED' and target in (?, ?)", Integer.class, "disable key:" + keyId, "rotate application:"
                + app)).isEqualTo(2);
        // Another unit's requester: as if the key did not exist; nothing changes.
        assertProblem(call(post("/api/v1/keys/" + keyId + "/disable").contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\":\"not mine\"}"), person("bob", "REQUESTER")), 404);
        // A reason is required, as on the key page.
        MvcResult noReason = call(post("/api/v1/keys/" + keyId + "/compromise").contentType(MediaType
                .APPLICATION_JSON).content("{\"reason\":\"\"}"), person("alice", "REQUESTER"));
        assertProblem(noReason, 400);
        assertThat(json(noReason).get("errors").has("reason")).isTrue();

        MvcResult reported = call(post("/api/v1/keys/" + keyId + "/compromise").contentType(MediaType
                .APPLICATION_JSON).content("{\"reason\":\"Pasted into a public chat\"}"), person("alice",
                        "REQUESTER"));
        assertThat(reported.getResponse().getStatus()).as(reported.getResponse().getContentAsString())
                .isEqualTo(201);
        assertThat(jdbc.queryForObject("select count(*) from compromise_case where id = ? and key_id = ?",
                Integer.class, json(reported).get("caseId").asLong(), keyId)).isEqualTo(1);
        // Reported again while that case is open: not now (409), with the case's number; no second case.
        MvcResult again = call(post("/api/v1/keys/" + keyId + "/compromise").contentType(MediaType
                .APPLICATION_JSON).content("{\"reason\":\"Seen again\"}"), person("alice", "REQUESTER"));
        assertProblem(again, 409);
        assertThat(json(again).get("detail").asText()).contains("case #" + json(reported).get("caseId").asLong());
        assertThat(jdbc.queryForObject("select count(*) from compromise_case where key_id = ?", Integer.class, keyId))
                .isEqualTo(1);
        // The case's process disables the key at once (its first step).
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "INACTIVE".equals(jdbc.queryForObject(
                "select status from api_key where id = ?", String.class, keyId)));
        // Nothing left to rotate: the only key is disabled — a conflict, not a failure.
        MvcResult rotate = call(post("/api/v1/applications/" + app + "/rotate").contentType(MediaType
                .APPLICATION_JSON).content("{\"reason\":\"routine\"}"), person("alice", "REQUESTER"));
        assertProblem(rotate, 409);
        MvcResult revoked = call(post("/api/v1/keys/" + keyId + "/revoke").contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\":\"Leaked\"}"), person("alice", "REQUESTER"));
        assertThat(revoked.getResponse().getStatus()).as(revoked.getResponse().getContentAsString()).isEqualTo(200);
        assertThat(json(revoked).get("status").asText()).isEqualTo("revoked");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'KEY_REVOKED' and "
                + "target = ? and actor = 'alice'", Integer.class, "key:" + keyId)).isEqualTo(1);

        // Security reads alerts and the audit log, and exports it.
        assertThat(call(get("/api/v1/alerts?status=OPEN"), person("sara", "SECURITY")).getResponse().getStatus())
                .isEqualTo(200);
        JsonNode rows = json(call(get("/api/v1/audit?target=key:" + keyId), person("sara", "SECURITY")));
        assertThat(rows.findValuesAsText("action")).contains("KEY_REVOKED");
        MvcResult csv = call(get("/api/v1/audit/export?target=key:" + keyId), person("sara", "SECURITY"));
        assertThat(csv.getResponse().getContentType()).startsWith("text/csv");
        assertThat(csv.getResponse().getContentAsString()).contains("KEY_REVOKED");
        assertProblem(call(get("/api/v1/audit/export"), person("alice", "REQUESTER")), 403);
    }

    /**
     * The application page's rotation setting through the API: read by whoever sees the application, changed by those
     * the page lets change it, with the page's field errors, audit and notice; nothing changes on a refusal.
     */
    @Test
    void theScheduledRotationIsReadAndChangedAsOnTheApplicationPage() throws Exception {
        long app = Fixtures.application(jdbc, unit, "rot-" + UUID.randomUUID().toString().substring(0, 6));
        String path = "/api/v1/applications/" + app + "/rotation";
        JsonNode read = json(call(get(path), person("alice", "REQUESTER")));
        assertThat(read.get("rotateEvery").asText()).isEqualTo("UNIT");
        assertThat(read.get("rotationDelivery").asText()).isEqualTo("REVEAL");
        assertThat(read.get("keepsCopy").asBoolean()).isTrue();
        assertThat(read.get("mayChange").asBoolean()).isTrue();
        assertThat(json(call(get(path), bearer(botToken))).get("mayChange").asBoolean())
                .as("a member who is not the owner sees it, may not change it").isFalse();
        assertProblem(call(get(path), person("bob", "REQUESTER")), 404);

        MvcResult changed = call(put(path).contentType(MediaType.APPLICATION_JSON)
                .content("{\"rotateEvery\":\"P30D\",\"rotationDelivery\":\"SECRETS_MANAGER\"}"),
                person("mike", "MANAGER"));
        assertThat(changed.getResponse().getStatus()).as(changed.getResponse().getContentAsString()).isEqualTo(200);
        assertThat(json(changed).get("effective").asText()).isEqualTo("P30D");
        assertThat(json(changed).get("effectiveDelivery").asText()).isEqualTo("SECRETS_MANAGER");
        assertThat(jdbc.queryForObject("select rotation_delivery from application where id = ?", String.class, app))
                .isEqualTo("SECRETS_MANAGER");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'mike' and action = "
                + "'APPLICATION_ROTATION_CHANGED' and target = ?", Integer.class, "application:" + app)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and link = ?",
                Integer.class, "applications/" + app)).as("the owner is told").isEqualTo(1);
        // The same again changes nothing and records nothing.
        assertThat(call(put(path).contentType(MediaType.APPLICATION_JSON).content("{\"rotateEvery\":\"P30D\"}"),
                person("mike", "MANAGER")).getResponse().getStatus()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = "
                + "'APPLICATION_ROTATION_CHANGED' and target = ?", Integer.class, "application:" + app)).isEqualTo(1);

        // Bad input: 400 beside each field, nothing changed.
        jdbc.update("update application set store_secret = false, rotation_delivery = 'REVEAL' where id = ?", app);
        MvcResult bad = call(put(path).contentType(MediaType.APPLICATION_JSON)
                .content("{\"rotateEvery\":\"P5D\",\"rotationDelivery\":\"SECRETS_MANAGER\"}"),
                person("alice", "REQUESTER"));
        assertProblem(bad, 400);
        assertThat(json(bad).get("errors").get("rotateEvery").asText()).isNotBlank();
        assertThat(json(bad).get("errors").get("rotationDelivery").asText()).contains("copy");
        assertProblem(call(put(path).contentType(MediaType.APPLICATION_JSON).content("{}"),
                person("alice", "REQUESTER")), 400);
        // A member who is not the owner: 403, recorded; another unit's requester: 404. Nothing changed.
        MvcResult notOwner = call(put(path).contentType(MediaType.APPLICATION_JSON)
                .content("{\"rotateEvery\":\"OFF\"}"), bearer(botToken));
        assertProblem(notOwner, 403);
        assertProblem(call(put(path).contentType(MediaType.APPLICATION_JSON).content("{\"rotateEvery\":\"OFF\"}"),
                person("bob", "REQUESTER")), 404);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'ci-bot' and action = "
                + "'ACCESS_DENIED' and target = ?", Integer.class, "change the key rotation of application:" + app))
                .isEqualTo(1);
        // bob's two 404s (the read above and this change) are recorded too: the application exists, he may not see it.
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'bob' and action = "
                + "'ACCESS_DENIED' and target = ?", Integer.class, "api application:" + app)).isEqualTo(2);
        JsonNode after = json(call(get(path), person("alice", "REQUESTER")));
        assertThat(after.get("rotateEvery").asText()).isEqualTo("P30D");
        assertThat(after.get("rotationDelivery").asText()).isEqualTo("REVEAL");
        assertThat(after.get("effectiveDelivery").asText()).isEqualTo("REVEAL");
    }

    /** A pipeline lists its own requests, newest first, a page at a time, by status; never anyone else's. */
    @Test
    void aCallerListsItsOwnRequestsByPageAndStatus() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        long first = json(call(submit(requestBody("list-a-" + run), UUID.randomUUID().toString()), bearer(botToken)))
                .get("id").asLong();
        long second = json(call(submit(requestBody("list-b-" + run), UUID.randomUUID().toString()),
                bearer(botToken))).get("id").asLong();
        long alices = json(call(submit(requestBody("list-c-" + run), UUID.randomUUID().toString()),
                person("alice", "REQUESTER"))).get("id").asLong();
        RunAs.user("mike", () -> approvals.decide(first, false, "Not this quarter."), "MANAGER");

        JsonNode mine = json(call(get("/api/v1/requests"), bearer(botToken)));
        List<Long> ids = mine.findValues("id").stream().map(JsonNode::asLong).toList();
        assertThat(ids).containsSubsequence(second, first).doesNotContain(alices);
        assertThat(mine.get(0).has("timeline")).as("a list row; the timeline is read by id").isFalse();
        assertThat(json(call(get("/api/v1/requests?limit=1"), bearer(botToken)))).hasSize(1);
        assertThat(json(call(get("/api/v1/requests?status=rejected"), bearer(botToken))).findValues("id").stream()
                .map(JsonNode::asLong).toList()).contains(first).doesNotContain(second);
        assertThat(json(call(get("/api/v1/requests?status=PENDING_MANAGER&limit=200"), bearer(botToken)))
                .findValues("id").stream().map(JsonNode::asLong).toList()).contains(second).doesNotContain(first);
        JsonNode page2 = json(call(get("/api/v1/requests?offset=1&limit=1"), bearer(botToken)));
        assertThat(page2.get(0).get("id").asLong()).isNotEqualTo(mine.get(0).get("id").asLong());
        MvcResult unknown = call(get("/api/v1/requests?status=approved-ish"), bearer(botToken));
        assertProblem(unknown, 400);
        assertThat(json(unknown).get("errors").get("status").asText()).contains("Unknown status");
        // A manager who is no requester has no requests of their own to list.
        assertProblem(call(get("/api/v1/requests"), person("mike", "MANAGER")), 403);
    }

    @Test
    void aCallerOverItsRateGets429WithRetryAfter() throws Exception {
        RequestPostProcessor who = person("rate-" + UUID.randomUUID().toString().substring(0, 6), "REQUESTER");
        int ok = 0;
        MvcResult last = null;
        for (int i = 0; i < 400; i++) {
            last = call(get("/api/v1/applications"), who);
            if (last.getResponse().getStatus() != 200) {
                break;
            }
            ok++;
        }
        assertThat(ok).isGreaterThanOrEqualTo(120);
        assertProblem(last, 429);
        assertThat(Integer.parseInt(last.getResponse().getHeader("Retry-After"))).isBetween(1, 60);
        // Others are not held back by it.
        assertThat(call(get("/api/v1/applications"), bearer(botToken)).getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentListsExactlyTheEndpointsThatExist() throws Exception {
        MvcResult docs = mvc.perform(get("/api-docs").with(SecurityMockMvcRequestPostProcessors.oidcLogin()))
                .andReturn();
        assertThat(docs.getResponse().getStatus()).isEqualTo(200);
        JsonNode document = json(docs);
        Set<String> documented = new HashSet<>();
        document.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + p.getKey())));
        Set<String> served = new HashSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String path : info.getPatternValues()) {
                // Webhook receivers signed by their senders (GitHub secret scanning, Slack), not the bearer API.
                if (path.startsWith("/api/v1/") && !path.equals("/api/v1/secret-scanning/alerts")
                        && !path.equals(ChatWebhooks.SLACK_INTERACTIONS_PATH)) {
                    info.getMethodsCondition().getMethods().forEach(m -> served.add(m.name() + " " + path));
                }
            }
        }
        assertThat(served).hasSizeGreaterThanOrEqualTo(10);
        assertThat(documented).isEqualTo(served);
        assertThat(document.get("components").get("securitySchemes").get("bearer").get("scheme").asText())
                .isEqualTo("bearer");
        assertThat(document.get("paths").get("/api/v1/requests").get("post").get("parameters").toString())
                .contains("Idempotency-Key");
        // Only for logged-in people.
        assertThat(mvc.perform(get("/api-docs")).andReturn().getResponse().getStatus()).isIn(302, 401);
    }
}
