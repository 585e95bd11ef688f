package com.bedrockportal.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Mail settings ({@code portal.mail.*}); the SMTP server itself is {@code spring.mail.*}. Without
 * {@code spring.mail.host} mails are written to the log and kept in the outbox view instead of being sent.
 *
 * @param from          sender address
 * @param baseUrl       the portal's public URL, for links in mails
 * @param pollInterval  how often the outbox is checked for due mails
 * @param maxAttempts   attempts before a mail is marked FAILED
 * @param firstRetry    delay before the first retry; doubles with each attempt, at most one hour
 */
@ConfigurationProperties("portal.mail")
record MailProperties(@DefaultValue("bedrock-portal@localhost") String from,
        @DefaultValue("http://localhost:8080") String baseUrl, @DefaultValue("PT5S") Duration pollInterval,
        @DefaultValue("8") int maxAttempts, @DefaultValue("PT30S") Duration firstRetry) {
}
