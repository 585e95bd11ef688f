package com.bedrockportal.testsupport;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A WireMock "Slack" for the chat tests: webhooks at {@code /hooks/…}, the Web API at {@code /api/…}, and the portal's
 * chat settings pointing at it (localhost allowed, http allowed, a known signing secret). One server per test JVM,
 * stopped with it. Every browser test's context is configured with it (one shared context); the chat tests stub it.
 */
public final class SlackStub {

    public static final String SECRET = "slack-signing-secret-for-tests";
    public static final WireMockServer SERVER = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        SERVER.start();
    }

    private SlackStub() {
    }

    public static void configure(DynamicPropertyRegistry registry) {
        registry.add("portal.chat.allowed-hosts", () -> "localhost");
        registry.add("portal.chat.allow-http", () -> "true");
        registry.add("portal.chat.slack.signing-secret", () -> SECRET);
        registry.add("portal.chat.slack.bot-token", () -> "xoxb-test-token");
        registry.add("portal.chat.slack.api-url", () -> SERVER.baseUrl() + "/api");
    }
}
