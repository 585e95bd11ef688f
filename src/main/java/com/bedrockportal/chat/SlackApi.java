package com.bedrockportal.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The three Slack Web API methods the approvals need: {@code users.info} (the clicking user's e-mail),
 * {@code views.open} (the rejection dialog) and {@code chat.postMessage} / {@code chat.postEphemeral} (answers in the
 * thread). The bot token goes in the Authorization header only; failures are logged without it.
 */
@Component
class SlackApi {

    private static final Logger log = LoggerFactory.getLogger(SlackApi.class);

    private final SlackProperties properties;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;

    SlackApi(SlackProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The e-mail address of the Slack user's profile, if Slack gives it. */
    Optional<String> email(String userId) {
        return call("users.info?user=" + java.net.URLEncoder.encode(userId, StandardCharsets.UTF_8), null)
                .map(r -> r.path("user").path("profile").path("email").asText(""))
                .filter(e -> !e.isBlank());
    }

    void openDialog(String triggerId, Map<String, Object> view) {
        call("views.open", Map.of("trigger_id", triggerId, "view", view));
    }

    /** A reply in the message's thread, seen by the whole channel. */
    void reply(String channel, String threadTs, String text) {
        call("chat.postMessage", Map.of("channel", channel, "thread_ts", threadTs, "text", text));
    }

    /** A reply in the thread only the user sees (a refusal). */
    void tell(String channel, String threadTs, String user, String text) {
        call("chat.postEphemeral", Map.of("channel", channel, "thread_ts", threadTs, "user", user, "text", text));
    }

    private Optional<JsonNode> call(String method, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.apiUrl() + "/" + method))
                    .timeout(properties.timeout()).header("Authorization", "Bearer " + properties.botToken());
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = json.readTree(response.body());
            if (response.statusCode() / 100 != 2 || !answer.path("ok").asBoolean(false)) {
                log.warn("Slack {} answered HTTP {}: {}", method.replaceAll("\\?.*", ""), response.statusCode(),
                        answer.path("error").asText("no error given"));
                return Optional.empty();
            }
            return Optional.of(answer);
        } catch (IOException e) {
            log.warn("Slack {} could not be called: {}", method.replaceAll("\\?.*", ""), e.getClass().getSimpleName());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
