package com.bedrockportal.chat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.notification.ChatWebhooks;
import com.bedrockportal.notification.MailOutbox;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.Hmac;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.testsupport.SlackStub;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Chat end to end below the browser: a manager's sealed webhook, the outbox posting Slack and Teams messages (with
 * buttons, a link and never a key) to a WireMock "Slack", and signed Slack interactions deciding requests through the
 * approval rules — with bad signatures, stale timestamps, replays, unknown users and self-approval refused and audited.
 */
@AutoConfigureMockMvc
class ChatIT extends PostgresSupport {

    static final WireMockServer SLACK = SlackStub.SERVER;

    @DynamicPropertySource
    static void slack(DynamicPropertyRegistry registry) {
        SlackStub.configure(registry);
    }

    @Autowired
    ChatWebhooks webhooks;
    @Autowired
    MailOutbox outbox;
    @Autowired
    BusinessUnitService units;
    @Autowired
    RequestService requestService;
    @Autowired
    RequestLifecycle requests;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MockMvc mvc;

    @BeforeEach
    void stubs() {
        SLACK.resetAll();
        // Slack decisions act with the roles of a recent portal login.
        jdbc.update("update portal_user set last_login_at = ? where username in ('alice', 'mike', 'sara')",
                java.sql.Timestamp.from(Instant.now()));
        jdbc.update("update mail_outbox set status = 'LOGGED' where status in ('PENDING', 'SENDING')");
        SLACK.stubFor(post(urlPathMatching("/hooks/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
        for (String user : List.of("alice", "mike", "sara")) {
            SLACK.stubFor(get(urlPathEqualTo("/api/users.info")).withQueryParam("user", equalTo("U" + user))
                    .willReturn(okJson("{\"ok\":true,\"user\":{\"id\":\"U" + user + "\",\"profile\":{\"email\":\""
                            + user.toUpperCase() + "@example.com\"}}}")));
        }
        SLACK.stubFor(get(urlPathEqualTo("/api/users.info")).withQueryParam("user", equalTo("Ustranger"))
                .willReturn(okJson("{\"ok\":true,\"user\":{\"profile\":{\"email\":\"stranger@elsewhere.org\"}}}")));
        for (String method : List.of("chat.postMessage", "chat.postEphemeral", "views.open")) {
            SLACK.stubFor(post(urlPathEqualTo("/api/" + method)).willReturn(okJson("{\"ok\":true}")));
        }
    }

    @Test
    void theManagersWebhookIsSealedAndTheUnitsNewsReachSlackAndTeamsWithALinkAndNoKey() {
        BusinessUnit unit = Fixtures.unit(units, "chat");
        String slackUrl = SLACK.baseUrl() + "/hooks/slack-" + UUID.randomUUID();
        String teamsUrl = SLACK.baseUrl() + "/hooks/teams-" + UUID.randomUUID();

        // Refused next to the field, nothing stored.
        assertThatThrownBy(() -> asMike(() -> webhooks.set(unit.id(), ChatWebhooks.Channel.SLACK, " ")))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors()).containsKey("slack"));
        assertThatThrownBy(() -> asMike(() -> webhooks.set(unit.id(), ChatWebhooks.Channel.SLACK,
                "http://169.254.169.254/latest/meta-data")))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors().get("slack"))
                        .contains("169.254.169.254 is not a chat service"));
        assertThatThrownBy(() -> asMike(() -> webhooks.set(unit.id(), ChatWebhooks.Channel.TEAMS,
                SLACK.baseUrl() + "/" + "x".repeat(600))))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors().get("teams"))
                        .contains("At most 500"));
        assertThat(asMike(() -> webhooks.of(unit.id()))).isEmpty();
        // Not the unit's manager, not a manager at all.
        assertThatThrownBy(() -> RunAs.user("nina", () -> webhooks.of(unit.id()), "MANAGER"))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> RunAs.user("alice", () -> webhooks.set(unit.id(), ChatWebhooks.Channel.SLACK,
                slackUrl), "REQUESTER")).isInstanceOf(AccessDeniedException.class);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'nina' and action = "
                + "'ACCESS_DENIED' and target = ?", Integer.class, "view chat webhooks of unit:" + unit.id()))
                .isEqualTo(1);

        ChatWebhooks.Webhook slack = asMike(() -> webhooks.set(unit.id(), ChatWebhooks.Channel.SLACK, slackUrl));
        asMike(() -> webhooks.set(unit.id(), ChatWebhooks.Channel.TEAMS, teamsUrl));
        assertThat(slack.hint()).startsWith("localhost …").doesNotContain("slack-");
        assertThat(jdbc.queryForList("select * from sealed_setting where name like ?", "chat.%.unit." + unit.id()))
                .hasSize(2).allSatisfy(row -> assertThat(row.values()).noneMatch(v -> String.valueOf(v)
                        .contains("/hooks/")));
        assertThat(jdbc.queryForList("select details from audit_event where target = ? and action like 'CHAT_%'",
                String.class, "unit:" + unit.id())).hasSize(2).noneMatch(d -> d.contains("/hooks/"));

        AccessRequest r = RunAs.user("alice", () -> requestService.submit(Fixtures.request(unit.id())), "REQUESTER");
        outbox.dispatchDue();

        List<LoggedRequest> slackPosts = SLACK.findAll(postRequestedFor(urlPathEqualTo(path(slackUrl))));
        assertThat(slackPosts).hasSize(1);
        String message = slackPosts.get(0).getBodyAsString();
        assertThat(message).contains("Request #" + r.id() + " for " + unit.displayName()
                + " awaits a manager's approval").contains("\"action_id\":\"portal_approve\"")
                .contains("\"value\":\"" + r.id() + ":MANAGER\"").contains("http://localhost:8080/requests/" + r.id());
        // Another cached context's outbox may have claimed the Teams row first: wait for the post, from either.
        org.awaitility.Awaitility.await("the Teams post").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !SLACK.findAll(postRequestedFor(urlPathEqualTo(path(teamsUrl)))).isEmpty());
        String card = SLACK.findAll(postRequestedFor(urlPathEqualTo(path(teamsUrl)))).get(0).getBodyAsString();
        assertThat(card).contains("AdaptiveCard").contains("http://localhost:8080/requests/" + r.id())
                .doesNotContain("portal_approve");
        org.awaitility.Awaitility.await("the rows marked sent").atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jdbc.queryForList("select status from mail_outbox where unit_id = ?",
                        String.class, unit.id())).containsOnly("SENT"));

        // A failing webhook is retried and its failure is visible, without the URL.
        SLACK.stubFor(post(urlPathEqualTo(path(slackUrl))).willReturn(aResponse().withStatus(404)
                .withBody("no_service")));
        asMike(() -> webhooks.test(unit.id()));
        outbox.dispatchDue();
        assertThat(jdbc.queryForList("select last_error from mail_outbox where unit_id = ? and channel = 'SLACK' "
                + "and status = 'PENDING'", String.class, unit.id()))
                .containsExactly("Slack answered HTTP 404: no_service");
        // Removed: what is still queued fails for good, visibly.
        asMike(() -> webhooks.remove(unit.id(), ChatWebhooks.Channel.SLACK));
        jdbc.update("update mail_outbox set next_attempt_at = now() where unit_id = ? and status = 'PENDING'",
                unit.id());
        outbox.dispatchDue();
        assertThat(jdbc.queryForList("select last_error from mail_outbox where unit_id = ? and channel = 'SLACK' "
                + "and status = 'FAILED'", String.class, unit.id()))
                .containsExactly("No Slack webhook is set for this unit any more.");
    }

    @Test
    void slackButtonsDecideUnderThePortalsRulesAndEveryRefusalIsAudited() throws Exception {
        BusinessUnit unit = Fixtures.unit(units, "slack", java.util.Set.of("mike"), java.util.Set.of("alice", "mike"));
        AccessRequest r = RunAs.user("alice", () -> requestService.submit(Fixtures.request(unit.id())), "REQUESTER");
        String approve = click("portal_approve", r.id() + ":MANAGER", "Ualice");

        // Bad signature, stale timestamp, no signature: 401, audited, nothing decided.
        long now = Instant.now().getEpochSecond();
        assertThat(interact(approve, now, "v0=" + "0".repeat(64)).getResponse().getStatus()).isEqualTo(401);
        assertThat(interact(approve, now - 3600, sign(approve, now - 3600)).getResponse().getStatus())
                .isEqualTo(401);
        assertThat(interact(approve, now, null).getResponse().getStatus()).isEqualTo(401);
        assertThat(refusals("slack")).anyMatch(d -> d.startsWith("bad signature"))
                .anyMatch(d -> d.startsWith("request timestamp outside 5 minutes"))
                .anyMatch(d -> d.startsWith("missing signature"));

        // Alice is a requester: she cannot approve from Slack either.
        assertThat(signed(approve).getResponse().getStatus()).isEqualTo(200);
        assertThat(status(r)).isEqualTo(RequestStatus.PENDING_MANAGER);
        assertThat(ephemeralTo("Ualice")).contains("Only a manager of the unit or the security team decides");
        // Mike submitted his own request: no self-approval from Slack.
        AccessRequest own = RunAs.user("mike", () -> requestService.submit(Fixtures.request(unit.id())),
                "REQUESTER", "MANAGER");
        signed(click("portal_approve", own.id() + ":MANAGER", "Umike"));
        assertThat(status(own)).isEqualTo(RequestStatus.PENDING_MANAGER);
        assertThat(ephemeralTo("Umike")).contains("You submitted this request");
        assertThat(refusals("mike")).anyMatch(d -> d.contains("You submitted this request"));

        // Mike's roles are those of his last login: two days ago is too long ago (he may have lost them since).
        jdbc.update("update portal_user set last_login_at = ? where username = 'mike'",
                java.sql.Timestamp.from(Instant.now().minus(java.time.Duration.ofDays(2))));
        // (Signed a minute ago: the same click signed in the same second below would be a replay.)
        String stale = click("portal_approve", r.id() + ":MANAGER", "Umike");
        long minuteAgo = Instant.now().getEpochSecond() - 60;
        assertThat(interact(stale, minuteAgo, sign(stale, minuteAgo)).getResponse().getStatus()).isEqualTo(200);
        assertThat(status(r)).isEqualTo(RequestStatus.PENDING_MANAGER);
        assertThat(ephemeralTo("Umike")).contains("Open the request in the portal to decide");
        assertThat(refusals("mike")).anyMatch(d -> d.contains("Your roles were last confirmed"));
        jdbc.update("update portal_user set last_login_at = ? where username = 'mike'",
                java.sql.Timestamp.from(Instant.now()));

        // A Slack user whose e-mail is no portal user's.
        signed(click("portal_approve", r.id() + ":MANAGER", "Ustranger"));
        assertThat(refusals("slack:Ustranger")).anyMatch(d -> d.contains("No portal user has your Slack e-mail"));
        assertThat(status(r)).isEqualTo(RequestStatus.PENDING_MANAGER);

        // Mike, the unit's manager, approves: decided as mike, answered in the thread.
        String mike = click("portal_approve", r.id() + ":MANAGER", "Umike");
        long at = Instant.now().getEpochSecond();
        String signature = sign(mike, at);
        assertThat(interact(mike, at, signature).getResponse().getStatus()).isEqualTo(200);
        assertThat(status(r)).isEqualTo(RequestStatus.PENDING_SECURITY);
        assertThat(jdbc.queryForObject("select decided_by from request_decision where request_id = ? and "
                + "stage = 'MANAGER'", String.class, r.id())).isEqualTo("mike");
        assertThat(threadReplies()).anyMatch(b -> b.contains("Approved by Mike Manager (mike)")
                && b.contains("\"thread_ts\":\"1700000000.000100\""));
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'CHAT_SLACK_DECISION' "
                + "and target = ?", Integer.class, "request:" + r.id())).isEqualTo(1);

        // The same signed request again: a replay.
        assertThat(interact(mike, at, signature).getResponse().getStatus()).isEqualTo(401);
        assertThat(refusals("slack")).anyMatch(d -> d.startsWith("replayed request"));
        // Spelled otherwise (upper-case hex, a space after the prefix), the same MAC is the same request: a replay.
        long replays = refusals("slack").stream().filter(d -> d.startsWith("replayed request")).count();
        assertThat(interact(mike, at, "v0= " + signature.substring(3).toUpperCase(java.util.Locale.ROOT))
                .getResponse().getStatus()).isEqualTo(401);
        assertThat(refusals("slack").stream().filter(d -> d.startsWith("replayed request")).count())
                .isEqualTo(replays + 1);
        // The manager-stage message's button cannot decide the security stage.
        signed(click("portal_approve", r.id() + ":MANAGER", "Usara"));
        assertThat(ephemeralTo("Usara")).contains("The manager stage of request #" + r.id() + " is decided");
        assertThat(status(r)).isEqualTo(RequestStatus.PENDING_SECURITY);
        // Mike is not security: he cannot decide the security stage.
        signed(click("portal_approve", r.id() + ":SECURITY", "Umike"));
        assertThat(status(r)).isEqualTo(RequestStatus.PENDING_SECURITY);

        // Sara rejects: a dialog asks why; an empty reason is refused in the dialog; a reason rejects.
        String reject = click("portal_reject", r.id() + ":SECURITY", "Usara");
        assertThat(signed(reject).getResponse().getStatus()).isEqualTo(200);
        String dialog = SLACK.findAll(postRequestedFor(urlPathEqualTo("/api/views.open"))).get(0).getBodyAsString();
        assertThat(dialog).contains("\"trigger_id\":\"trigger-1\"").contains("\"private_metadata\":\"" + r.id()
                + ":SECURITY:C0CHANNEL:1700000000.000100\"");
        MvcResult empty = signed(submission(r.id() + ":SECURITY:C0CHANNEL:1700000000.000100", "Usara", " "));
        assertThat(empty.getResponse().getContentAsString()).contains("\"response_action\":\"errors\"")
                .contains("Say why you reject");
        assertThat(status(r)).isEqualTo(RequestStatus.PENDING_SECURITY);
        signed(submission(r.id() + ":SECURITY:C0CHANNEL:1700000000.000100", "Usara", "Too broad a model list."));
        assertThat(status(r)).isEqualTo(RequestStatus.REJECTED);
        assertThat(threadReplies()).anyMatch(b -> b.contains("Rejected by Sara Security (sara)")
                && b.contains("Too broad a model list."));
        // The bot token went in the header only.
        assertThat(SLACK.getAllServeEvents()).allSatisfy(e -> assertThat(e.getRequest().getUrl())
                .doesNotContain("xoxb"));
    }

    @Test
    void withoutASigningSecretTheEndpointIsNotThere() throws Exception {
        // Answered by this context (secret set) with 401 for an unsigned body; the 404 case is the default
        // configuration, checked by the E2E test's application.
        assertThat(mvc.perform(MockMvcRequestBuilders.post(ChatWebhooks.SLACK_INTERACTIONS_PATH).contentType(
                MediaType.APPLICATION_FORM_URLENCODED).content("payload=%7B%7D")).andExpect(MockMvcResultMatchers.status().isUnauthorized())
                .andReturn().getResponse().getContentAsString()).contains("no or malformed");
    }

    private static String path(String url) {
        return url.substring(SLACK.baseUrl().length());
    }

    private <T> T asMike(java.util.function.Supplier<T> work) {
        return RunAs.user("mike", work, "MANAGER");
    }

    private RequestStatus status(AccessRequest r) {
        return requests.get(r.id()).orElseThrow().status();
    }

    private List<String> refusals(String actor) {
        return jdbc.queryForList("select details from audit_event where action = 'CHAT_SLACK_REFUSED' and actor = ? "
                + "order by seq", String.class, actor);
    }

    private String ephemeralTo(String user) {
        return SLACK.findAll(postRequestedFor(urlPathEqualTo("/api/chat.postEphemeral"))).stream()
                .map(LoggedRequest::getBodyAsString).filter(b -> b.contains("\"user\":\"" + user + "\""))
                .reduce("", String::concat);
    }

    private List<String> threadReplies() {
        return SLACK.findAll(postRequestedFor(urlPathEqualTo("/api/chat.postMessage"))).stream()
                .map(LoggedRequest::getBodyAsString).toList();
    }

    static String click(String action, String value, String user) {
        return form("{\"type\":\"block_actions\",\"user\":{\"id\":\"" + user + "\"},\"trigger_id\":\"trigger-1\","
                + "\"channel\":{\"id\":\"C0CHANNEL\"},\"message\":{\"ts\":\"1700000000.000100\"},"
                + "\"actions\":[{\"action_id\":\"" + action + "\",\"value\":\"" + value + "\"}]}");
    }

    static String submission(String metadata, String user, String reason) {
        return form("{\"type\":\"view_submission\",\"user\":{\"id\":\"" + user + "\"},\"view\":{\"callback_id\":"
                + "\"portal_reject_dialog\",\"private_metadata\":\"" + metadata + "\",\"state\":{\"values\":"
                + "{\"reason\":{\"reason\":{\"type\":\"plain_text_input\",\"value\":\"" + reason + "\"}}}}}}");
    }

    private static String form(String json) {
        return "payload=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    static String sign(String body, long timestamp) {
        return "v0=" + HexFormat.of().formatHex(Hmac.sha256(SlackStub.SECRET, ("v0:" + timestamp + ":" + body)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private MvcResult signed(String body) throws Exception {
        long at = Instant.now().getEpochSecond();
        return interact(body, at, sign(body, at));
    }

    private MvcResult interact(String body, long timestamp, String signature) throws Exception {
        var request = MockMvcRequestBuilders.post(ChatWebhooks.SLACK_INTERACTIONS_PATH).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content(body).header("X-Slack-Request-Timestamp", Long.toString(timestamp));
        if (signature != null) {
            request.header("X-Slack-Signature", signature);
        }
        return mvc.perform(request).andReturn();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJson(String json) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(json);
    }
}
