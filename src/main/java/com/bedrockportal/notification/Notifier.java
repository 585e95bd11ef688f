package com.bedrockportal.notification;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.key.SealedSettings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells people about something: an in-app notification for each recipient and, where their e-mail address is
 * known, a mail in the outbox. Both are written in the caller's transaction; the mail is sent later by the
 * dispatcher, so a slow or failing mail server never blocks or loses the action that caused it.
 */
@Service
public class Notifier {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final JdbcClient jdbc;
    private final UserDirectory directory;
    private final MailProperties properties;
    private final Clock clock;
    private final SealedSettings settings;
    /** Looked up when needed: the unit service's budget keepers notify through this class. */
    private final ObjectProvider<BusinessUnitService> units;

    Notifier(JdbcClient jdbc, UserDirectory directory, MailProperties properties, Clock clock,
            SealedSettings settings, ObjectProvider<BusinessUnitService> units) {
        this.jdbc = jdbc;
        this.units = units;
        this.settings = settings;
        this.directory = directory;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param usernames who to tell
     * @param title     one line
     * @param body      plain text
     * @param link      a portal path such as {@code requests/42}, or null
     */
    @Transactional
    public void notify(Collection<String> usernames, String title, String body, String link) {
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        for (String username : new LinkedHashSet<>(usernames)) {
            jdbc.sql("""
                    insert into notification (recipient, title, body, link, created_at)
                    values (:u, :title, :body, :link, :now)""")
                    .param("u", username).param("title", limit(title, 200)).param("body", limit(body, 2000))
                    .param("link", link).param("now", now).update();
            String email = directory.find(username).map(UserDirectory.KnownUser::email).orElse(null);
            if (email == null || email.isBlank()) {
                log.info("No e-mail address known for {}; in-app notification only: {}", username, title);
                continue;
            }
            String text = body + (link == null ? "" : "\n\nOpen: " + properties.baseUrl() + "/" + link)
                    + "\n\n-- \nBedrock Access Portal";
            jdbc.sql("""
                    insert into mail_outbox (recipient, subject, body, status, attempts, next_attempt_at, created_at)
                    values (:to, :subject, :body, 'PENDING', 0, :now, :now)""")
                    .param("to", email).param("subject", limit("[Bedrock Access Portal] " + title, 300))
                    .param("body", limit(text, 8000)).param("now", now).update();
        }
    }

    /** A decision someone may take from the chat message (Slack buttons); {@code stage} is MANAGER or SECURITY. */
    public record ChatApproval(long requestId, String stage) {
    }

    /**
     * Posts to the unit's chat channels (its Slack and Teams webhooks, where set) through the outbox, in the caller's
     * transaction. Worded for a channel, with a link to the page; never a key. Returns how many posts were queued.
     *
     * @param link     a portal path such as {@code requests/42}; empty for the portal's home, null for no link
     * @param approval Approve/Reject buttons on the Slack message, or null
     */
    @Transactional
    public int chat(long unitId, String title, String body, String link, ChatApproval approval) {
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        String url = link == null ? null : properties.baseUrl() + "/" + link;
        String unit = units.getObject().find(unitId).map(BusinessUnit::displayName).orElse("unit " + unitId);
        int queued = 0;
        for (ChatWebhooks.Channel channel : ChatWebhooks.Channel.values()) {
            if (settings.describe(ChatWebhooks.name(unitId, channel)).isEmpty()) {
                continue;
            }
            String payload = channel == ChatWebhooks.Channel.SLACK
                    ? ChatMessages.slack(limit(title, 200), limit(body, 2000), url, approval)
                    : ChatMessages.teams(limit(title, 200), limit(body, 2000), url);
            jdbc.sql("""
                    insert into mail_outbox (recipient, subject, body, status, attempts, next_attempt_at, created_at,
                                             channel, unit_id)
                    values (:to, :subject, :body, 'PENDING', 0, :now, :now, :channel, :unit)""")
                    .param("to", limit(channel.label() + " · " + unit, 320)).param("subject", limit(title, 300))
                    .param("body", payload).param("now", now).param("channel", channel.name())
                    .param("unit", unitId).update();
            queued++;
        }
        return queued;
    }

    private static String limit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
