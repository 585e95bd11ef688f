package com.bedrockportal.workflow;

import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class JobConnectionsTest {

    @Test
    void theShippedSettingsLeavePagesTheirConnectionsAndHikarisAndCamundasDefaultsDoNot() {
        // application.yml: a pool of 20, three job threads; without them Hikari's 10 and the Camunda starter's 10.
        // Three steps may hold two connections each, three scheduled jobs one each: 11 of 20 are left for pages.
        assertThat(JobConnections.leftForPages(20, 3)).isEqualTo(11);
        assertThat(JobConnections.leavesPagesWaiting(20, 3)).isFalse();
        assertThat(JobConnections.leftForPages(20, 6)).isEqualTo(5);
        assertThat(JobConnections.leavesPagesWaiting(10, 10)).isTrue();
        assertThat(JobConnections.leavesPagesWaiting(19, 6)).isFalse();
        assertThat(JobConnections.leavesPagesWaiting(18, 6)).isTrue();
        // Another data source or job executor: nothing this check can count.
        assertThat(JobConnections.leavesPagesWaiting(0, 10)).isFalse();
        assertThat(JobConnections.leavesPagesWaiting(10, 0)).isFalse();
    }

    @Test
    void theWarningNamesBothSettingsWhatIsLeftAndWhatToSetThePoolTo() {
        String text = MessageFormatter.arrayFormat(JobConnections.WARNING,
                new Object[] { 10, 10, JobConnections.AWS_SCHEDULED_JOBS, 0, 27 }).getMessage();
        assertThat(text).isEqualTo("spring.datasource.hikari.maximum-pool-size is 10 and "
                + "camunda.bpm.job-execution.max-pool-size 10: while AWS is slow, the process steps (up to two "
                + "connections each) and the 3 scheduled jobs that call AWS can hold all but 0 of the connections, "
                + "and pages and approvals wait for one; set the pool to 27 or more (PORTAL_DB_POOL_SIZE), or run "
                + "fewer steps at once (PORTAL_JOB_THREADS)");
    }
}
