package com.bedrockportal.notification;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChatMessagesTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aRequestsTextCannotMentionTheChannelOrForgeALinkInSlack() throws Exception {
        JsonNode message = json.readTree(ChatMessages.slack("Request #7", "<!channel> see <https://evil.example|here>"
                + " & more", "https://portal.example/requests/7", null));
        String text = message.path("blocks").path(0).path("text").path("text").asText();
        assertThat(text).contains("&lt;!channel&gt;").contains("&lt;https://evil.example|here&gt;")
                .contains("&amp; more").doesNotContain("<!channel>");
        // Without a decision to take, the only button is the link.
        assertThat(message.path("blocks").path(1).path("elements")).hasSize(1);
        assertThat(message.path("blocks").path(1).path("elements").path(0).path("url").asText())
                .isEqualTo("https://portal.example/requests/7");
    }

    @Test
    void anApprovalCarriesApproveAndRejectForItsStage() throws Exception {
        JsonNode buttons = json.readTree(ChatMessages.slack("t", "b", "https://p/requests/9",
                new Notifier.ChatApproval(9, "SECURITY"))).path("blocks").path(1).path("elements");
        assertThat(buttons.findValuesAsText("action_id")).containsExactly(ChatMessages.APPROVE, ChatMessages.REJECT,
                "portal_open");
        assertThat(buttons.path(0).path("value").asText()).isEqualTo("9:SECURITY");
    }

    @Test
    void teamsGetsAnAdaptiveCardWithTheLink() throws Exception {
        JsonNode card = json.readTree(ChatMessages.teams("Title", "Body", "https://p/alerts/3")).path("attachments")
                .path(0);
        assertThat(card.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(card.path("content").path("actions").path(0).path("url").asText()).isEqualTo("https://p/alerts/3");
    }

    @Test
    void aRequestsTextCannotForgeALinkOrEmphasisInATeamsCard() throws Exception {
        String purpose = "[Approve now](https://evil.example/x) **urgent** my_app\\path\n- item\n12. step";
        JsonNode body = json.readTree(ChatMessages.teams("*App* [x](y)", purpose, null)).path("attachments").path(0)
                .path("content").path("body");
        assertThat(body.path(0).path("text").asText()).isEqualTo("\\*App\\* \\[x\\] (y)");
        assertThat(body.path(1).path("text").asText()).isEqualTo("\\[Approve now\\] (https://evil.example/x) "
                + "\\*\\*urgent\\*\\* my\\_app\\\\path\n\\- item\n12\\. step");
        // Ordinary text is untouched.
        assertThat(ChatMessages.markdownEscape("us-east-1 (2 models), 80 % of 100 USD"))
                .isEqualTo("us-east-1 (2 models), 80 % of 100 USD");
    }

    @Test
    void onlyTheAllowedHostsAndTheirSubdomainsMayBeNamed() {
        ChatProperties p = new ChatProperties(List.of("hooks.slack.com", "*.webhook.office.com"), false,
                Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(p.allows("hooks.slack.com")).isTrue();
        assertThat(p.allows("HOOKS.SLACK.COM")).isTrue();
        assertThat(p.allows("acme.webhook.office.com")).isTrue();
        assertThat(p.allows("webhook.office.com")).isFalse();
        assertThat(p.allows("evilwebhook.office.com")).isFalse();
        assertThat(p.allows("hooks.slack.com.evil.example")).isFalse();
        assertThat(p.allows("169.254.169.254")).isFalse();
        assertThat(p.allows(null)).isFalse();
    }
}
