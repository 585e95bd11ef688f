package com.bedrockportal.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import com.bedrockportal.testsupport.PostgresSupport;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox against a real SMTP server (GreenMail): delivery, retry with backoff after a failure, giving up. */
class MailOutboxIT extends PostgresSupport {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Autowired
    Notifier notifier;
    @Autowired
    JdbcClient jdbcClient;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ChatPoster chat;

    /** Other tests on this shared database leave mails behind; only this test's mails should be due. */
    @org.junit.jupiter.api.BeforeEach
    void setAsideOtherTestsMails() {
        jdbc.update("update mail_outbox set status = 'LOGGED' where status in ('PENDING', 'SENDING')");
    }

    @Test
    void aNotificationIsDeliveredBySmtpWithALinkToThePortal() throws Exception {
        String title = "Delivered " + UUID.randomUUID();
        notifier.notify(List.of("alice"), title, "Your request was approved.", "requests/7");
        int handled = outbox(sender(smtp.getSmtp().getPort()), Clock.systemUTC()).dispatchDue();

        assertThat(handled).isGreaterThanOrEqualTo(1);
        MimeMessage[] received = smtp.getReceivedMessages();
        MimeMessage mail = java.util.Arrays.stream(received).filter(m -> subject(m).contains(title)).findFirst()
                .orElseThrow();
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("alice@example.com");
        assertThat(mail.getContent().toString()).contains("Your request was approved.")
                .contains("http://localhost:8080/requests/7");
        assertThat(statusOf(title)).isEqualTo("SENT");
    }

    @Test
    void aFailedSendIsRetriedLaterAndThenDelivered() {
        String title = "Retried " + UUID.randomUUID();
        notifier.notify(List.of("mike"), title, "Please decide.", null);
        MutableClock clock = new MutableClock(Instant.now());
        int closedPort = 1; // nothing listens there: connection refused
        outbox(sender(closedPort), clock).dispatchDue();
        assertThat(statusOf(title)).isEqualTo("PENDING");
        assertThat(jdbc.queryForObject("select attempts from mail_outbox where subject like ?", Integer.class,
                "%" + title)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select last_error from mail_outbox where subject like ?", String.class,
                "%" + title)).isNotBlank();

        MailOutbox healthy = outbox(sender(smtp.getSmtp().getPort()), clock);
        healthy.dispatchDue();
        assertThat(statusOf(title)).as("not due before the backoff").isEqualTo("PENDING");
        clock.advance(Duration.ofMinutes(1));
        healthy.dispatchDue();
        assertThat(statusOf(title)).isEqualTo("SENT");
        assertThat(java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> subject(m).contains(title)))
                .hasSize(1);
    }

    @Test
    void afterTheLastAttemptTheMailIsMarkedFailedAndTheNotificationStays() {
        String title = "Given up " + UUID.randomUUID();
        notifier.notify(List.of("sara"), title, "Review needed.", null);
        MutableClock clock = new MutableClock(Instant.now());
        MailOutbox broken = new MailOutbox(jdbcClient, provider(sender(1)),
                new MailProperties("portal@example.com", "http://localhost:8080", Duration.ofSeconds(5), 2,
                        Duration.ofSeconds(30)), clock, chat);
        broken.dispatchDue();
        clock.advance(Duration.ofMinutes(5));
        broken.dispatchDue();
        assertThat(statusOf(title)).isEqualTo("FAILED");
        assertThat(jdbc.queryForObject("select count(*) from notification where title = ?", Integer.class, title))
                .isEqualTo(1);
    }

    /**
     * Node A's send outlives its claim: while its SMTP server hangs, the claim turns stale and node B takes the row
     * and delivers it. A's send then fails; its result must not put B's SENT back to PENDING (until 6 December it
     * did, and the mail went out again at the next poll). The row's claim time is its own: a batch's late rows are not
     * given away for the batch's start.
     */
    @Test
    void aSendThatOutlivedItsClaimLeavesTheNodeThatTookItOverToFinish() {
        String title = "Taken over " + UUID.randomUUID();
        notifier.notify(List.of("mike"), title, "Two nodes, one mail.", null);
        MutableClock clock = new MutableClock(Instant.now());
        MailOutbox nodeB = outbox(sender(smtp.getSmtp().getPort()), clock);
        JavaMailSenderImpl hanging = new JavaMailSenderImpl() {
            @Override
            public void send(org.springframework.mail.SimpleMailMessage... messages) {
                // The SMTP server answers nothing for eleven minutes; meanwhile node B polls.
                clock.advance(MailOutbox.STALE.plusMinutes(1));
                assertThat(nodeB.dispatchDue()).as("node B takes the stale claim").isEqualTo(1);
                throw new org.springframework.mail.MailSendException("read timed out");
            }
        };
        MailOutbox nodeA = outbox(hanging, clock);

        nodeA.dispatchDue();

        assertThat(statusOf(title)).isEqualTo("SENT");
        assertThat(jdbc.queryForObject("select attempts from mail_outbox where subject like ?", Integer.class,
                "%" + title)).isEqualTo(1);
        clock.advance(Duration.ofHours(1));
        nodeB.dispatchDue();
        assertThat(java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> subject(m).contains(title)))
                .as("delivered once").hasSize(1);
    }

    /** A batch claims rows for two minutes at most; the rest wait for the next poll, claimed at their own time. */
    @Test
    void aSlowBatchLeavesItsLaterRowsToTheNextPoll() {
        String first = "Slow first " + UUID.randomUUID();
        String second = "Slow second " + UUID.randomUUID();
        notifier.notify(List.of("alice"), first, "One.", null);
        notifier.notify(List.of("alice"), second, "Two.", null);
        MutableClock clock = new MutableClock(Instant.now());
        JavaMailSenderImpl slow = new JavaMailSenderImpl() {
            @Override
            public void send(org.springframework.mail.SimpleMailMessage... messages) {
                clock.advance(MailOutbox.BATCH_CLAIMS_FOR.plusSeconds(1));
            }
        };
        assertThat(outbox(slow, clock).dispatchDue()).isEqualTo(1);
        assertThat(statusOf(first)).isEqualTo("SENT");
        assertThat(statusOf(second)).isEqualTo("PENDING");
    }

    @Test
    void withoutAnSmtpServerMailsAreLoggedNotLost() {
        String title = "Logged " + UUID.randomUUID();
        notifier.notify(List.of("adam"), title, "FYI.", null);
        new MailOutbox(jdbcClient, new StaticListableBeanFactory().getBeanProvider(JavaMailSender.class),
                properties(), Clock.systemUTC(), chat).dispatchDue();
        assertThat(statusOf(title)).isEqualTo("LOGGED");
    }

    private String statusOf(String title) {
        return jdbc.queryForObject("select status from mail_outbox where subject like ?", String.class, "%" + title);
    }

    private MailOutbox outbox(JavaMailSender sender, Clock clock) {
        return new MailOutbox(jdbcClient, provider(sender), properties(), clock, chat);
    }

    private static MailProperties properties() {
        return new MailProperties("portal@example.com", "http://localhost:8080", Duration.ofSeconds(5), 8,
                Duration.ofSeconds(30));
    }

    private static org.springframework.beans.factory.ObjectProvider<JavaMailSender> provider(JavaMailSender sender) {
        StaticListableBeanFactory factory = new StaticListableBeanFactory();
        factory.addBean("mailSender", sender);
        return factory.getBeanProvider(JavaMailSender.class);
    }

    private static JavaMailSender sender(int port) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        Properties props = new Properties();
        props.put("mail.smtp.connectiontimeout", "2000");
        props.put("mail.smtp.timeout", "2000");
        sender.setJavaMailProperties(props);
        return sender;
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
