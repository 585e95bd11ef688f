package com.bedrockportal.shared;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.PostgresSupport;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

/**
 * The portal's scheduled jobs do not wait for one another: while the drift check hangs on AWS (ListUsers does not
 * answer), the mail outbox goes on sending. Until 6 December every scheduled job ran on one thread, and this test's
 * mail was not sent for as long as the drift check hung. This node alone has an SMTP server (the other test nodes on
 * the database write mails to the log), so a mail received was sent by this node's schedule. The context is closed
 * afterwards: its outbox polls every second, and would send the mails of the tests after it.
 */
@TestPropertySource(properties = { "portal.drift.enabled=true", "portal.drift.interval=PT1S",
        "portal.mail.poll-interval=PT1S" })
@DirtiesContext
class ScheduledJobsIT extends PostgresSupport {

    private static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    private static final CountDownLatch ASKED = new CountDownLatch(1);
    private static final CountDownLatch ANSWER = new CountDownLatch(1);
    private static final AtomicInteger ANSWERED = new AtomicInteger();

    static {
        SMTP.start();
    }

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

    @AfterAll
    static void stopSmtp() {
        ANSWER.countDown();
        SMTP.stop();
    }

    /**
     * AWS that does not answer ListUsers until the test ends, then refuses it: the drift check waits from its first
     * run on, and records nothing.
     */
    @TestConfiguration
    static class AwsThatDoesNotAnswer {
        @Bean
        @Primary
        IamUsers iamUsersWithoutAnswer(SimulatedAccount account) {
            IamUsers users = mock(IamUsers.class, delegatesTo(account));
            doAnswer(call -> {
                ASKED.countDown();
                ANSWER.await(2, TimeUnit.MINUTES);
                ANSWERED.incrementAndGet();
                throw new IllegalStateException("ListUsers: no answer (test)");
            }).when(users).listUsers(any(), anyInt());
            return users;
        }
    }

    @Autowired
    Notifier notifier;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ScheduledJobThreads threads;
    @Autowired
    ThreadPoolTaskScheduler scheduler;

    @Test
    void everyScheduledJobHasAThreadOfItsOwn() {
        assertThat(threads.jobs()).as("the node's scheduled jobs, found").isGreaterThanOrEqualTo(13);
        assertThat(threads.threads()).isGreaterThanOrEqualTo(threads.jobs());
        assertThat(ScheduledJobThreads.leavesAJobWaiting(threads.threads(), threads.jobs())).isFalse();
    }

    @Test
    void theMailOutboxSendsWhileTheDriftCheckWaitsForAws() throws InterruptedException {
        try {
            assertThat(ASKED.await(30, TimeUnit.SECONDS)).as("the scheduled drift check asks AWS").isTrue();
            // Other tests on this database leave mails behind; only this test's mail should be due.
            jdbc.update("update mail_outbox set status = 'LOGGED' where status in ('PENDING', 'SENDING')");
            String title = "While the drift check waits " + UUID.randomUUID();
            notifier.notify(List.of("alice"), title, "Your request was approved.", "requests/7");

            Awaitility.await("the outbox's schedule sends the mail").atMost(Duration.ofSeconds(20))
                    .until(() -> Arrays.stream(SMTP.getReceivedMessages())
                            .anyMatch(m -> subject(m).contains(title)));
            // The mail server has it before the outbox records it: its row is SENDING until the send's commit.
            Awaitility.await("the outbox records the mail sent").atMost(Duration.ofSeconds(20))
                    .until(() -> jdbc.queryForObject("select status from mail_outbox where subject like ?",
                            String.class, "%" + title), status -> !"SENDING".equals(status));
            assertThat(jdbc.queryForObject("select status from mail_outbox where subject like ?", String.class,
                    "%" + title)).isEqualTo("SENT");
            assertThat(ANSWERED).as("the drift check still waits for AWS").hasValue(0);
        } finally {
            ANSWER.countDown();
            // No more runs of this context's jobs; the ones running end (the drift check refused, its cluster lease
            // given back, for the tests after this one on the same database).
            ScheduledThreadPoolExecutor jobs = scheduler.getScheduledThreadPoolExecutor();
            jobs.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            jobs.shutdown();
        }
        assertThat(scheduler.getScheduledThreadPoolExecutor().awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ANSWERED).hasPositiveValue();
        assertThat(jdbc.queryForObject("select count(*) from cluster_run where name = 'drift' and lease_until is not "
                + "null", Integer.class)).isZero();
    }

    private static String subject(jakarta.mail.internet.MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
