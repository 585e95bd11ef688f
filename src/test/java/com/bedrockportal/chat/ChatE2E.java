package com.bedrockportal.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.bedrockportal.notification.ChatWebhooks;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.SlackStub;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mike, marketing's manager, connects its Slack channel on the Chat notifications page (bad URLs refused next to the
 * field, the saved URL shown only as a hint); alice's request then arrives in "Slack" (a WireMock) with Approve and
 * Reject buttons, and mike's signed click, sent to the running portal over HTTP as Slack would, approves it.
 */
class ChatE2E extends E2ESupport {

    static final WireMockServer SLACK = SlackStub.SERVER;

    @Autowired
    RequestLifecycle requests;

    @Test
    void aManagerConnectsSlackAndApprovesFromIt() throws Exception {
        String hook = "/hooks/services/T0/B0/" + UUID.randomUUID();
        SLACK.stubFor(post(urlPathMatching("/hooks/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
        SLACK.stubFor(get(urlPathEqualTo("/api/users.info")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":true,\"user\":{\"profile\":{\"email\":\"mike@example.com\"}}}")));
        SLACK.stubFor(post(urlPathEqualTo("/api/chat.postMessage")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));

        loginAs("mike");
        page.navigate(BASE + "/chat");
        assertThat(page.locator("#chat-unit input")).not().hasValue("");
        choose("chat-unit", "Marketing");
        assertThat(page.locator("#chat-channels")).hasAttribute("data-unit", "marketing");
        assertThat(page.locator("#chat-slack-current")).hasText("Not set");
        page.locator("#chat-slack-save").click();
        assertThat(page.locator("#chat-slack-url")).hasAttribute("invalid", "");
        assertThat(page.locator("#chat-slack-url")).containsText("Enter the Slack webhook URL.");
        page.locator("#chat-slack-url input").fill("https://169.254.169.254/latest/meta-data");
        page.locator("#chat-slack-save").click();
        assertThat(page.locator("#chat-slack-url")).containsText("169.254.169.254 is not a chat service");
        page.locator("#chat-slack-url input").fill(SLACK.baseUrl() + hook);
        page.locator("#chat-slack-save").click();
        assertThat(page.locator("#chat-slack-current")).containsText("localhost …" + hook.substring(hook.length()
                - 4));
        assertThat(page.locator("#chat-settings")).not().containsText(hook);
        screenshot("chat-settings-1366");
        page.setViewportSize(390, 844);
        screenshot("chat-settings-390");
        page.setViewportSize(1280, 900);

        page.locator("#chat-test").click();
        List<LoggedRequest> test = posts(hook, "Test message from the Bedrock Access Portal for Marketing");
        assertThat(test).hasSize(1);

        long id;
        try (BrowserContext alices = Browsers.context()) {
            Page alice = loginAs(alices.newPage(), "alice");
            alice.navigate(BASE + "/requests/new");
            fillRequest(alice, "Marketing", "Summaries of support tickets for the weekly report.", "Nova Micro");
            id = submitRequest(alice);
        }
        String message = posts(hook, "Request #" + id + " for Marketing awaits a manager's approval").get(0)
                .getBodyAsString();
        assertThat(message).contains("\"value\":\"" + id + ":MANAGER\"").contains("/requests/" + id)
                .doesNotContain("bedrock-api-key");

        // Slack posts mike's click to the portal, signed with the app's signing secret.
        String click = ChatIT.click("portal_approve", id + ":MANAGER", "Umike");
        long at = Instant.now().getEpochSecond();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(BASE
                + ChatWebhooks.SLACK_INTERACTIONS_PATH)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", Long.toString(at)).header("X-Slack-Signature",
                        ChatIT.sign(click, at))
                .POST(HttpRequest.BodyPublishers.ofString(click)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(requests.get(id).orElseThrow().status()).isEqualTo(RequestStatus.PENDING_SECURITY);
        assertThat(SLACK.findAll(postRequestedFor(urlPathEqualTo("/api/chat.postMessage"))).get(0)
                .getBodyAsString()).contains("Approved by Mike Manager (mike)");
        // The page shows mike's decision, taken in Slack.
        page.navigate(BASE + "/requests/" + id);
        assertThat(page.locator("body")).containsText("Waiting for security review");
    }

    /** The posts to the webhook whose body mentions {@code text}, waiting for the outbox to send at least one. */
    private static List<LoggedRequest> posts(String hook, String text) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> SLACK.findAll(postRequestedFor(
                urlPathEqualTo(hook))).stream().filter(r -> r.getBodyAsString().contains(text)).toList(),
                list -> !list.isEmpty());
    }
}
