package com.bedrockportal.workflow;

import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class JobConnectionsTest {

    @Test
    void theShippedSettingsLeavePagesTheirConnectionsAndHikarisAndCamundasDefaultsDoNot() {
        // application.yml: a pool of 20, three job threads, four pages calling AWS at once; without them Hikari's 10
        // and the Camunda starter's 10. Three steps may hold two connections each, three scheduled jobs one each, and
        // four pages one each: 7 of 20 are left for other pages.
        assertThat(JobConnections.leftForPages(20, 3, 4)).isEqualTo(7);
        assertThat(JobConnections.leavesPagesWaiting(20, 3, 4)).isFalse();
        assertThat(JobConnections.leftForPages(20, 6, 4)).isEqualTo(1);
        assertThat(JobConnections.leavesPagesWaiting(20, 6, 4)).isTrue();
        assertThat(JobConnections.leavesPagesWaiting(10, 10, 0)).isTrue();
        assertThat(JobConnections.leavesPagesWaiting(23, 6, 4)).isFalse();
        assertThat(JobConnections.leavesPagesWaiting(22, 6, 4)).isTrue();
        // Another data source or job executor: nothing this check can count.
        assertThat(JobConnections.leavesPagesWaiting(0, 10, 4)).isFalse();
        assertThat(JobConnections.leavesPagesWaiting(10, 0, 4)).isFalse();
    }

    @Test
    void theWarningNamesBothSettingsWhatIsLeftAndWhatToSetThePoolTo() {
        String text = MessageFormatter.arrayFormat(JobConnections.WARNING,
                new Object[] { 10, 10, JobConnections.AWS_SCHEDULED_JOBS, 4, 0, 31 }).getMessage();
        assertThat(text).isEqualTo("spring.datasource.hikari.maximum-pool-size is 10 and "
                + "camunda.bpm.job-execution.max-pool-size 10: while AWS is slow, the process steps (up to two "
                + "connections each), the 3 scheduled jobs that call AWS and the 4 pages that may wait on AWS at once "
                + "(portal.aws.page-calls) can hold all but 0 of the connections, and other pages and approvals wait "
                + "for one; set the pool to 31 or more (PORTAL_DB_POOL_SIZE), or run fewer steps at once "
                + "(PORTAL_JOB_THREADS) or let fewer pages wait on AWS (PORTAL_AWS_PAGE_CALLS)");
    }
}
