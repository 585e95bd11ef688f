package com.bedrockportal.notification;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;

import com.bedrockportal.identity.UserDirectory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    Notifier(JdbcClient jdbc, UserDirectory directory, MailProperties properties, Clock clock) {
        this.jdbc = jdbc;
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

    private static String limit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
