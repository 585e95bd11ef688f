package com.bedrockportal.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.bedrockportal.identity.PortalRole;

import jakarta.annotation.security.RolesAllowed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The transactional outbox of mails and chat posts (a unit's Slack or Teams webhook, {@link ChatPoster}): rows written with the action that caused them and sent here, one claim
 * per row (so two nodes never send the same mail), retried with a doubling delay, and marked FAILED after the last
 * attempt. Without an SMTP server ({@code spring.mail.host}) each mail is written to the log and marked LOGGED.
 */
@Service
public class MailOutbox {

    /** One outbox row, for the admin's outbox view. */
    public record Mail(long id, String recipient, String subject, String body, String status, int attempts,
            Instant createdAt, Instant sentAt, Instant nextAttemptAt, String lastError, String channel, Long unitId) {
    }

    private static final Logger log = LoggerFactory.getLogger(MailOutbox.class);

    private final JdbcClient jdbc;
    private final ObjectProvider<JavaMailSender> mailSender;
    private final MailProperties properties;
    private final Clock clock;
    private final ChatPoster chat;

    MailOutbox(JdbcClient jdbc, ObjectProvider<JavaMailSender> mailSender, MailProperties properties, Clock clock,
            ChatPoster chat) {
        this.jdbc = jdbc;
        this.chat = chat;
        this.mailSender = mailSender;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${portal.mail.poll-interval:PT5S}", initialDelayString = "${portal.mail.poll-interval:PT5S}")
    public void dispatchScheduled() {
        dispatchDue();
    }

    /**
     * A row in SENDING whose claim is older than this is given back (its node died while sending). Sends end long
     * before: SMTP's timeouts (application.yml) and a chat post's are seconds, and a batch stops claiming after
     * {@link #BATCH_CLAIMS_FOR}.
     */
    static final Duration STALE = Duration.ofMinutes(10);
    /** A batch claims no more rows after this long: each claim is far younger than {@link #STALE} when sent. */
    static final Duration BATCH_CLAIMS_FOR = Duration.ofMinutes(2);

    /** Sends every due mail; returns how many were handled (sent, logged or failed). */
    public int dispatchDue() {
        Instant started = clock.instant();
        // A node that died while sending leaves rows in SENDING: give them back after a while.
        jdbc.sql("update mail_outbox set status = 'PENDING', claim_token = null where status = 'SENDING' "
                + "and next_attempt_at < :stale").param("stale", at(started.minus(STALE))).update();
        List<Long> due = jdbc.sql("""
                select id from mail_outbox where status = 'PENDING' and next_attempt_at <= :now
                order by id limit 50""").param("now", at(started)).query(Long.class).list();
        int handled = 0;
        for (long id : due) {
            Instant now = clock.instant();
            if (now.isAfter(started.plus(BATCH_CLAIMS_FOR))) {
                break; // the next poll takes the rest
            }
            // The claim's own time and token: the stale rule counts from it, and only this claim may end the row.
            String token = java.util.UUID.randomUUID().toString();
            boolean claimed = jdbc.sql("""
                    update mail_outbox set status = 'SENDING', next_attempt_at = :now, claim_token = :token
                    where id = :id and status = 'PENDING'""").param("id", id).param("now", at(now))
                    .param("token", token).update() == 1;
            if (claimed) {
                send(id, token);
                handled++;
            }
        }
        return handled;
    }

    private void send(long id, String token) {
        Mail mail = find(id);
        if (!"MAIL".equals(mail.channel())) {
            try {
                chat.post(mail.unitId(), ChatWebhooks.Channel.valueOf(mail.channel()), mail.body());
                finish(id, token, "SENT");
            } catch (ChatPoster.Failed e) {
                failed(mail, token, e.getMessage(), e.permanent());
            }
            return;
        }
        JavaMailSender sender = mailSender.getIfAvailable();
        try {
            if (sender == null) {
                log.info("MAIL (no SMTP server configured) to={} subject=\"{}\"", mail.recipient(), mail.subject());
                finish(id, token, "LOGGED");
                return;
            }
            SimpleMailMessage message = new SimpleMailMessage();
            message.setFrom(properties.from());
            message.setTo(mail.recipient());
            message.setSubject(mail.subject());
            message.setText(mail.body());
            sender.send(message);
            finish(id, token, "SENT");
        } catch (MailException | IllegalStateException e) {
            failed(mail, token, e.getClass().getSimpleName() + ": " + e.getMessage(), false);
        }
    }

    /** Counts the attempt; retries with a doubling delay (at most an hour) until the last, then FAILED. */
    private void failed(Mail mail, String token, String error, boolean permanent) {
        int attempts = mail.attempts() + 1;
        boolean last = permanent || attempts >= properties.maxAttempts();
        Duration delay = properties.firstRetry().multipliedBy(1L << Math.min(attempts - 1, 16));
        if (delay.compareTo(Duration.ofHours(1)) > 0) {
            delay = Duration.ofHours(1);
        }
        int ended = jdbc.sql("""
                update mail_outbox set status = :status, attempts = :attempts, next_attempt_at = :next,
                       last_error = :error, claim_token = null
                where id = :id and status = 'SENDING' and claim_token = :token""")
                .param("status", last ? "FAILED" : "PENDING").param("attempts", attempts)
                .param("next", at(clock.instant().plus(delay))).param("error", limit(error, 1000))
                .param("id", mail.id()).param("token", token).update();
        if (ended == 0) {
            overtaken(mail.id());
            return;
        }
        log.warn("Outbox {} to {} failed (attempt {} of {}){}: {}", mail.id(), mail.recipient(), attempts,
                properties.maxAttempts(), last ? ", giving up" : ", will retry in " + delay, error);
    }

    private void finish(long id, String token, String status) {
        int ended = jdbc.sql("update mail_outbox set status = :s, attempts = attempts + 1, sent_at = :now, "
                + "claim_token = null where id = :id and status = 'SENDING' and claim_token = :token")
                .param("s", status).param("now", at(clock.instant())).param("id", id).param("token", token).update();
        if (ended == 0) {
            overtaken(id);
        }
    }

    /** This node's send ended after its claim was given back and taken again: that claim's result stands. */
    private static void overtaken(long id) {
        log.warn("Outbox {}: its claim was taken over while this node was sending it; the other claim's result stands",
                id);
    }

    /** The most the outbox list holds, whatever a caller asks. */
    public static final int MAX_RECENT = 500;

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    public List<Mail> recent(int limit) {
        return jdbc.sql("select * from mail_outbox order by id desc limit :limit")
                .param("limit", Math.max(0, Math.min(limit, MAX_RECENT)))
                .query((rs, i) -> map(rs)).list();
    }

    /** Puts a FAILED mail back in the queue. */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    public void retry(long id) {
        jdbc.sql("update mail_outbox set status = 'PENDING', next_attempt_at = :now where id = :id and status = 'FAILED'")
                .param("now", at(clock.instant())).param("id", id).update();
    }

    private Mail find(long id) {
        return jdbc.sql("select * from mail_outbox where id = :id").param("id", id).query((rs, i) -> map(rs)).single();
    }

    private static Mail map(java.sql.ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime sent = rs.getObject("sent_at", OffsetDateTime.class);
        return new Mail(rs.getLong("id"), rs.getString("recipient"), rs.getString("subject"), rs.getString("body"),
                rs.getString("status"), rs.getInt("attempts"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), sent == null ? null : sent.toInstant(),
                rs.getObject("next_attempt_at", OffsetDateTime.class).toInstant(), rs.getString("last_error"),
                rs.getString("channel"), rs.getObject("unit_id") == null ? null : rs.getLong("unit_id"));
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String limit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
