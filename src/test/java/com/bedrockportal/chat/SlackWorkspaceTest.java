package com.bedrockportal.chat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.audit.RefusalAudit;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.shared.Hmac;
import com.bedrockportal.workflow.ApprovalService;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * With {@code portal.chat.slack.team-id}, only users of that workspace decide: in a channel shared with another
 * organisation, the payload's {@code team.id} is the channel's workspace whoever clicks, so the clicking user's own
 * {@code user.team_id} decides. A guest from another workspace is refused (403, audited) before anyone is looked up.
 */
class SlackWorkspaceTest {

    private static final String SECRET = "signing-secret";
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final SlackApi slack = mock(SlackApi.class);
    private final UserDirectory directory = mock(UserDirectory.class);
    private final RefusalAudit refusals = mock(RefusalAudit.class);
    private final SlackInteractions interactions = new SlackInteractions(new SlackProperties(SECRET, "xoxb-test",
            "https://slack.example", Duration.ofMinutes(5), DataSize.ofKilobytes(64), Duration.ofSeconds(10),
            Duration.ofHours(24), "T0CORP, E0GRID"), slack, directory, mock(ApprovalService.class),
            mock(AuditLog.class), refusals, mock(JdbcClient.class, RETURNS_DEEP_STUBS),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private SlackInteractions.Answer click(String userTeam) {
        String payload = "{\"type\":\"block_actions\",\"team\":{\"id\":\"T0CORP\"},\"user\":{\"id\":\"U1\",\"team_id\":\""
                + userTeam + "\"},\"channel\":{\"id\":\"C1\"},\"message\":{\"ts\":\"1.2\"},"
                + "\"actions\":[{\"action_id\":\"portal_approve\",\"value\":\"7:MANAGER\"}]}";
        byte[] body = ("payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        long at = NOW.getEpochSecond();
        byte[] base = ("v0:" + at + ":" + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        String signature = "v0=" + java.util.HexFormat.of().formatHex(Hmac.sha256(SECRET, base));
        return interactions.handle(body, Long.toString(at), signature, "203.0.113.9");
    }

    @Test
    void aGuestOfAnotherWorkspaceInASharedChannelIsRefusedBeforeAnyLookUp() {
        assertThat(click("T0VENDOR").status()).isEqualTo(403);
        verify(refusals).refused(eq("slack"), anyString(), anyString(), eq("203.0.113.9"), contains("T0VENDOR"));
        verifyNoInteractions(slack, directory);
    }

    @Test
    void aUserOfAListedWorkspaceIsLookedUp() {
        assertThat(click("E0GRID").status()).isEqualTo(200);
        verify(slack).email("U1");
    }
}
