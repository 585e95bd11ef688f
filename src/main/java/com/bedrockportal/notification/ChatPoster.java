package com.bedrockportal.notification;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.bedrockportal.key.SealedSettings;

import org.springframework.stereotype.Component;

/**
 * Posts an outbox row's JSON to the unit's webhook, opened from its sealed setting at that moment. The URL is never
 * part of an error: a failure names the channel, the host's answer (status and at most 200 printable characters of
 * its body, which Slack and Teams use for reasons such as {@code no_service}) or the kind of network failure.
 */
@Component
class ChatPoster {

    /** A post that did not arrive; its message is safe to store and show. */
    static final class Failed extends Exception {
        private final boolean permanent;

        Failed(String message, boolean permanent) {
            super(message, null, false, false);
            this.permanent = permanent;
        }

        /** No retry can help (no webhook configured any more, or its URL is no longer allowed). */
        boolean permanent() {
            return permanent;
        }
    }

    private final SealedSettings settings;
    private final ChatProperties properties;
    private final HttpClient http;

    ChatPoster(SealedSettings settings, ChatProperties properties) {
        this.settings = settings;
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    void post(long unitId, ChatWebhooks.Channel channel, String json) throws Failed {
        String url = settings.open(ChatWebhooks.name(unitId, channel)).orElseThrow(() -> new Failed("No "
                + channel.label() + " webhook is set for this unit any more.", true));
        URI uri = URI.create(url);
        if (!properties.allows(uri.getHost())) {
            throw new Failed("The " + channel.label() + " webhook's host is no longer allowed (portal.chat."
                    + "allowed-hosts).", true);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(properties.requestTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failed("Could not reach " + channel.label() + " (" + uri.getHost() + "): "
                    + e.getClass().getSimpleName(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("Interrupted while posting to " + channel.label(), false);
        }
        if (response.statusCode() / 100 != 2) {
            String reason = response.body() == null ? "" : response.body().replaceAll("[^\\p{Print}]", " ").strip();
            throw new Failed(channel.label() + " answered HTTP " + response.statusCode()
                    + (reason.isEmpty() ? "" : ": " + reason.substring(0, Math.min(200, reason.length()))), false);
        }
    }
}
