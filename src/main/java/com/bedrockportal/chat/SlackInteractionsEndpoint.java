package com.bedrockportal.chat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import com.bedrockportal.audit.RefusalAudit;
import com.bedrockportal.notification.ChatWebhooks;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Slack's Interactivity request URL. No session and no CSRF token: each request is authenticated by Slack's
 * signature of its raw body ({@code X-Slack-Signature}, {@code X-Slack-Request-Timestamp}); the security
 * configuration exempts this path alone. Without a signing secret it answers 404, as if it did not exist.
 */
@RestController
class SlackInteractionsEndpoint {

    private final SlackInteractions interactions;
    private final SlackProperties properties;
    private final RefusalAudit refusals;

    SlackInteractionsEndpoint(SlackInteractions interactions, SlackProperties properties, RefusalAudit refusals) {
        this.interactions = interactions;
        this.properties = properties;
        this.refusals = refusals;
    }

    @PostMapping(path = ChatWebhooks.SLACK_INTERACTIONS_PATH)
    ResponseEntity<Object> interact(HttpServletRequest request) throws IOException {
        if (!properties.enabled()) {
            return ResponseEntity.notFound().build();
        }
        int max = (int) Math.min(Integer.MAX_VALUE, properties.maxBody().toBytes());
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(max + 1);
        }
        if (body.length > max) {
            refusals.refused("slack", SlackInteractions.AUDIT_REFUSED, SlackInteractions.INTERACTIONS,
                    request.getRemoteAddr(), "body larger than " + max + " bytes");
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Map.of("error", "body too large"));
        }
        SlackInteractions.Answer answer = interactions.handle(body, request.getHeader("X-Slack-Request-Timestamp"),
                request.getHeader("X-Slack-Signature"), request.getRemoteAddr());
        return ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON).body(answer.body());
    }
}
