package com.bedrockportal.shared;

import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator is told at start when the scheduler's threads cannot give every scheduled job one. */
class ScheduledJobThreadsTest {

    @Test
    void fewerThreadsThanJobsAreNamedWithTheSettingAndWhatToSetItTo() {
        assertThat(ScheduledJobThreads.leavesAJobWaiting(1, 13)).isTrue();
        assertThat(ScheduledJobThreads.leavesAJobWaiting(12, 13)).isTrue();
        assertThat(MessageFormatter.arrayFormat(ScheduledJobThreads.WARNING, new Object[] { 1, 13, 13 }).getMessage())
                .startsWith("spring.task.scheduling.pool.size is 1 for 13 scheduled jobs")
                .contains("the mail outbox").endsWith("set it to 13 or more");
    }

    @Test
    void enoughThreadsOrAnotherSchedulerSayNothing() {
        assertThat(ScheduledJobThreads.leavesAJobWaiting(13, 13)).isFalse();
        assertThat(ScheduledJobThreads.leavesAJobWaiting(16, 13)).isFalse();
        assertThat(ScheduledJobThreads.leavesAJobWaiting(0, 13)).as("not the configured pool").isFalse();
    }
}
