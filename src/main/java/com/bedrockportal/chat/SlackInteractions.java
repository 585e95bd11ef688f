package com.bedrockportal.chat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.audit.RefusalAudit;
import com.bedrockportal.identity.ActingUser;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.Hmac;
import com.bedrockportal.workflow.ApprovalService;
import com.bedrockportal.workflow.Stage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;

/**
 * Approve and Reject clicked on a Slack message. Each request must carry Slack's signature of its exact body under the
 * app's signing secret and a timestamp within {@code portal.chat.slack.tolerance}; a signature is accepted once (a
 * replay is refused). The clicking Slack user becomes the portal user with the same e-mail address (Slack's
 * {@code users.info}), and the decision is {@link ApprovalService#decide(long, Stage, boolean, String)} as that user:
 * the same rules as the page (no self-approval, the unit's managers, a reviewer other than the manager), and only for
 * the stage the message was written for. Refusals are audited and answered to the clicker alone; decisions are
 * answered in the message's thread.
 */
@Service
class SlackInteractions {

    /** What the endpoint answers Slack. */
    record Answer(int status, Object body) {
        static Answer ok() {
            return new Answer(200, Map.of());
        }
    }

    static final String AUDIT_REFUSED = "CHAT_SLACK_REFUSED";
    /** The audit target of refused calls to the endpoint. */
    static final String INTERACTIONS = "slack interactions";
    static final String AUDIT_DECIDED = "CHAT_SLACK_DECISION";
    static final String APPROVE = "portal_approve";
    static final String REJECT = "portal_reject";
    static final String REJECT_DIALOG = "portal_reject_dialog";
    private static final Pattern VALUE = Pattern.compile("(\\d{1,18}):(MANAGER|SECURITY)");
    private static final Pattern METADATA = Pattern.compile("(\\d{1,18}):(MANAGER|SECURITY):([A-Z0-9]{1,40}):"
            + "([0-9.]{1,40})");

    private final SlackProperties properties;
    private final SlackApi slack;
    private final UserDirectory directory;
    private final ApprovalService approvals;
    private final AuditLog audit;
    private final RefusalAudit refusals;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    SlackInteractions(SlackProperties properties, SlackApi slack, UserDirectory directory, ApprovalService approvals,
            AuditLog audit, RefusalAudit refusals, JdbcClient jdbc, Clock clock) {
        this.properties = properties;
        this.refusals = refusals;
        this.slack = slack;
        this.directory = directory;
        this.approvals = approvals;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Checks the signature, timestamp and replay, then acts on the interaction. */
    Answer handle(byte[] body, String timestamp, String signature, String from) {
        Instant now = clock.instant();
        long seconds;
        try {
            seconds = Long.parseLong(timestamp == null ? "" : timestamp.strip());
        } catch (NumberFormatException e) {
            return refused(401, "slack", "no or malformed X-Slack-Request-Timestamp", from);
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(properties.tolerance()) > 0) {
            return refused(401, "slack", "request timestamp outside " + properties.tolerance().toMinutes()
                    + " minutes", from);
        }
        byte[] base = concat(("v0:" + seconds + ":").getBytes(StandardCharsets.UTF_8), body);
        if (!Hmac.matches(properties.signingSecret(), base, signature, "v0=")) {
            return refused(401, "slack", signature == null ? "missing signature" : "bad signature", from);
        }
        jdbc.sql("delete from chat_seen_signature where seen_at < :old")
                .param("old", now.minus(properties.tolerance().multipliedBy(2)).atOffset(ZoneOffset.UTC)).update();
        try {
            jdbc.sql("insert into chat_seen_signature (signature, seen_at) values (:s, :at)")
                    // As the MAC it verified, not as spelled: another spelling of the same MAC (upper-case hex,
                    // spaces) is the same request again.
                    .param("s", "v0=" + java.util.HexFormat.of().formatHex(java.util.HexFormat.of()
                            .parseHex(signature.substring(3).strip())))
                    .param("at", now.atOffset(ZoneOffset.UTC)).update();
        } catch (DuplicateKeyException replay) {
            return refused(401, "slack", "replayed request (signature seen before)", from);
        }
        JsonNode payload;
        try {
            payload = json.readTree(payload(body));
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(400, Map.of("error", "expected a form with a JSON payload"));
        }
        // The clicking user's own workspace (user.team_id): in a channel shared with another organisation, team.id is
        // the workspace the message was posted in, whoever clicks.
        String team = payload.path("user").path("team_id").asText("");
        if (!properties.teamId().isBlank() && !List.of(properties.teamId().split("\\s*,\\s*")).contains(team)) {
            return refused(403, "slack", "a user of another Slack workspace (" + (team.length() > 20
                    ? team.substring(0, 20) : team) + ")", from);
        }
        return switch (payload.path("type").asText()) {
            case "block_actions" -> action(payload);
            case "view_submission" -> rejection(payload);
            default -> Answer.ok();
        };
    }

    private Answer action(JsonNode payload) {
        JsonNode action = payload.path("actions").path(0);
        String id = action.path("action_id").asText();
        if (!APPROVE.equals(id) && !REJECT.equals(id)) {
            return Answer.ok(); // "Open in the portal" is a link; Slack reports its click too.
        }
        Matcher value = VALUE.matcher(action.path("value").asText());
        String slackUser = payload.path("user").path("id").asText();
        String channel = payload.path("channel").path("id").asText();
        String ts = payload.path("message").path("ts").asText(payload.path("container").path("message_ts").asText());
        if (!value.matches()) {
            return new Answer(400, Map.of("error", "unknown button value"));
        }
        long requestId = Long.parseLong(value.group(1));
        Stage stage = Stage.valueOf(value.group(2));
        Deciding who = portalUser(slackUser, channel, ts, requestId);
        if (who.user() == null) {
            return Answer.ok();
        }
        if (APPROVE.equals(id)) {
            decide(who.user(), slackUser, channel, ts, requestId, stage, true, null);
            return Answer.ok();
        }
        Optional<String> whyNot = ActingUser.run(who.user(), () -> approvals.whyNot(requestId));
        if (whyNot.isPresent()) {
            refusedTo(who.user().username(), slackUser, channel, ts, requestId, whyNot.get());
            return Answer.ok();
        }
        slack.openDialog(payload.path("trigger_id").asText(), dialog(requestId, stage, channel, ts));
        return Answer.ok();
    }

    private Answer rejection(JsonNode payload) {
        JsonNode view = payload.path("view");
        if (!REJECT_DIALOG.equals(view.path("callback_id").asText())) {
            return Answer.ok();
        }
        Matcher meta = METADATA.matcher(view.path("private_metadata").asText());
        if (!meta.matches()) {
            return new Answer(400, Map.of("error", "unknown dialog"));
        }
        long requestId = Long.parseLong(meta.group(1));
        Stage stage = Stage.valueOf(meta.group(2));
        String channel = meta.group(3);
        String ts = meta.group(4);
        String slackUser = payload.path("user").path("id").asText();
        String reason = view.path("state").path("values").path("reason").path("reason").path("value").asText("");
        Deciding who = portalUser(slackUser, channel, ts, requestId);
        if (who.user() == null) {
            return errors(who.refusal());
        }
        String problem = decide(who.user(), slackUser, channel, ts, requestId, stage, false, reason);
        return problem == null ? Answer.ok() : errors(problem);
    }

    /** Decides as the user; answers in the thread. Returns the refusal, or null when decided. */
    private String decide(UserDirectory.KnownUser user, String slackUser, String channel, String ts, long requestId,
            Stage stage, boolean approve, String reason) {
        try {
            ActingUser.run(user, () -> approvals.decide(requestId, stage, approve, reason));
        } catch (FieldErrors e) {
            String message = e.errors().getOrDefault("comment", e.errors().getOrDefault("form",
                    String.join(" ", e.errors().values())));
            refusedTo(user.username(), slackUser, channel, ts, requestId, message);
            return message;
        } catch (AccessDeniedException e) {
            String message = "Only a manager of the unit or the security team decides requests.";
            refusedTo(user.username(), slackUser, channel, ts, requestId, message);
            return message;
        }
        audit.record(user.username(), AUDIT_DECIDED, "request:" + requestId, (approve ? "approved" : "rejected")
                + " the " + stage.name().toLowerCase(java.util.Locale.ROOT) + " stage from Slack (user " + slackUser
                + ")");
        slack.reply(channel, ts, (approve ? ":white_check_mark: Approved" : ":x: Rejected") + " by "
                + user.label() + " (" + stage.name().toLowerCase(java.util.Locale.ROOT) + " stage)"
                + (approve ? "." : ": " + reason.strip()));
        return null;
    }

    /** Who decides from Slack: the portal user, or null and why not. */
    private record Deciding(UserDirectory.KnownUser user, String refusal) {
    }

    /**
     * The portal user with the Slack user's e-mail address and a recent enough login; refused (audited, told, and the
     * reason returned) otherwise.
     */
    private Deciding portalUser(String slackUser, String channel, String ts, long requestId) {
        Optional<String> email = slackUser.isBlank() ? Optional.empty() : slack.email(slackUser);
        Optional<UserDirectory.KnownUser> user = email.flatMap(directory::findByEmail);
        if (user.isEmpty()) {
            String refusal = email.isEmpty()
                    ? "Slack did not tell the portal your e-mail address, so it cannot tell who you are."
                    : "No portal user has your Slack e-mail address. Log in to the portal once, or decide there.";
            refusedTo("slack:" + slackUser, slackUser, channel, ts, requestId, refusal);
            return new Deciding(null, refusal);
        }
        // The roles are those of the last login: one too long ago may name roles the provider has taken away since.
        Instant login = user.get().lastLoginAt();
        if (login == null || login.isBefore(clock.instant().minus(properties.maxRoleAge()))) {
            String refusal = "Your roles were last confirmed when you logged in to the portal" + (login == null ? ""
                    : " (" + login + ")") + ", more than " + com.bedrockportal.shared.ui.Durations.words(
                            properties.maxRoleAge()) + " ago. Open the request in the portal to decide: logging in "
                    + "confirms them.";
            refusedTo(user.get().username(), slackUser, channel, ts, requestId, refusal);
            return new Deciding(null, refusal);
        }
        return new Deciding(user.get(), null);
    }

    private void refusedTo(String actor, String slackUser, String channel, String ts, long requestId,
            String message) {
        audit.record(actor, AUDIT_REFUSED, "request:" + requestId, "Slack user " + slackUser + ": " + message);
        if (!channel.isBlank() && !ts.isBlank()) {
            slack.tell(channel, ts, slackUser, ":no_entry: " + message);
        }
    }

    /** Before the signature is verified: anyone can cause it, so audited rate-limited. */
    private Answer refused(int status, String actor, String reason, String from) {
        refusals.refused(actor, AUDIT_REFUSED, INTERACTIONS, from, reason);
        return new Answer(status, Map.of("error", reason));
    }

    private static Answer errors(String message) {
        return new Answer(200, Map.of("response_action", "errors", "errors", Map.of("reason", message)));
    }

    static Map<String, Object> dialog(long requestId, Stage stage, String channel, String ts) {
        return Map.of("type", "modal", "callback_id", REJECT_DIALOG,
                "private_metadata", requestId + ":" + stage.name() + ":" + channel + ":" + ts,
                "title", plain("Reject request #" + requestId), "submit", plain("Reject"), "close", plain("Cancel"),
                "blocks", List.of(Map.of("type", "input", "block_id", "reason", "label",
                        plain("Why? The requester sees this."), "element", Map.of("type", "plain_text_input",
                                "action_id", "reason", "multiline", true, "max_length", 2000))));
    }

    private static Map<String, Object> plain(String text) {
        return Map.of("type", "plain_text", "text", text);
    }

    /** The {@code payload} field of Slack's form body. */
    static String payload(byte[] body) {
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("payload")) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("no payload");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
