package com.bedrockportal.shared;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.testsupport.PostgresSupport;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;

/**
 * The portal's scheduled jobs do not wait for one another: while the drift check hangs on AWS (ListUsers does not
 * answer), the mail outbox goes on sending. Until 6 December every scheduled job ran on one thread, and this test's
 * mail stayed PENDING for as long as the drift check hung. The context is closed afterwards: its outbox polls every
 * second, and would send the mails of the tests after it.
 */
@TestPropertySource(properties = { "portal.drift.enabled=true", "portal.drift.interval=PT1S",
        "portal.mail.poll-interval=PT1S" })
@DirtiesContext
class ScheduledJobsIT extends PostgresSupport {

    @MockitoSpyBean
    IamUsers users;
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
        assertThat(threads.jobs()).as("the portal's scheduled jobs, found").isGreaterThanOrEqualTo(11);
        assertThat(threads.threads()).isGreaterThanOrEqualTo(threads.jobs());
        assertThat(ScheduledJobThreads.leavesAJobWaiting(threads.threads(), threads.jobs())).isFalse();
    }

    @Test
    void theMailOutboxSendsWhileTheDriftCheckWaitsForAws() throws InterruptedException {
        CountDownLatch answer = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(1);
        AtomicInteger answered = new AtomicInteger();
        // AWS does not answer ListUsers until the end of the test, then refuses it: the drift check records nothing.
        doAnswer(call -> {
            asked.countDown();
            answer.await(2, TimeUnit.MINUTES);
            answered.incrementAndGet();
            throw new IllegalStateException("ListUsers: no answer (test)");
        }).when(users).listUsers(any(), anyInt());
        try {
            Awaitility.await("the scheduled drift check asks AWS").atMost(Duration.ofSeconds(30))
                    .until(() -> asked.getCount() == 0);
            // Other tests on this database leave mails behind; only this test's mail should be due.
            jdbc.update("update mail_outbox set status = 'LOGGED' where status in ('PENDING', 'SENDING')");
            String title = "While the drift check waits " + UUID.randomUUID();
            notifier.notify(List.of("alice"), title, "Your request was approved.", "requests/7");
            assertThat(status(title)).isEqualTo("PENDING");

            // No SMTP server in tests: the outbox writes the mail to the log and marks it LOGGED.
            Awaitility.await("the outbox handles the mail").atMost(Duration.ofSeconds(20))
                    .until(() -> "LOGGED".equals(status(title)));
            assertThat(answered).as("the drift check still waits for AWS").hasValue(0);
        } finally {
            answer.countDown();
            // No more runs of this context's jobs; the ones running end (the drift check refused, its cluster lease
            // given back, for the tests after this one on the same database).
            java.util.concurrent.ScheduledThreadPoolExecutor jobs = scheduler.getScheduledThreadPoolExecutor();
            jobs.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            jobs.shutdown();
        }
        assertThat(scheduler.getScheduledThreadPoolExecutor().awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(answered).hasPositiveValue();
        assertThat(jdbc.queryForObject("select count(*) from cluster_run where name = 'drift' and lease_until is not "
                + "null", Integer.class)).isZero();
    }

    private String status(String title) {
        return jdbc.queryForObject("select status from mail_outbox where subject like ?", String.class, "%" + title);
    }
}
