package com.bedrockportal.workflow;

import javax.sql.DataSource;

import com.bedrockportal.provisioning.PageCallGate;
import com.zaxxer.hikari.HikariDataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Every process step that calls AWS (provisioning, rotation, revocation, decommissioning, compromise containment, an
 * access review's deadline) runs on Camunda's job executor inside a transaction, so it holds one of the node's pooled
 * database connections for as long as AWS takes to answer (up to {@code portal.aws.call-timeout}, 30 s), and a step
 * that opens a transaction of its own inside the job's holds two: an access review's deadline disables each missed
 * application's keys in one, and it fires for every unit of a campaign at once. So can the
 * {@value #AWS_SCHEDULED_JOBS} scheduled jobs that call AWS inside a transaction (drift check, expiry watch, orphan
 * check), one connection each. If those can take the whole pool, a slow AWS stops every page and every approval: until
 * 6 December the job executor ran up to 10 steps at once on Hikari's 10 connections, and an approval made while IAM
 * did not answer failed after 30 s waiting for a connection. Pages that call AWS inside their transaction (a key's
 * disable or revoke, a 12-hour key, a handover, a unit's budget, a drift or review action) hold one each while they
 * wait, at most {@code portal.aws.page-calls} at once ({@link PageCallGate}). Says so at start when the settings
 * leave the other pages and approvals fewer than {@value #PAGE_RESERVE} connections.
 */
@Component
public class JobConnections {

    private static final Logger log = LoggerFactory.getLogger(JobConnections.class);

    /** The scheduled jobs that may hold a connection while they wait on AWS. */
    static final int AWS_SCHEDULED_JOBS = 3;
    /** The connections one process step may hold while it waits on AWS. */
    static final int PER_STEP = 2;
    /** Connections that stay for pages, approvals and the job executor's own acquisition while AWS is slow. */
    static final int PAGE_RESERVE = 4;

    private final ObjectProvider<DataSource> dataSource;
    private final ObjectProvider<TaskExecutor> jobExecutor;
    private final ObjectProvider<PageCallGate> pageCalls;

    JobConnections(ObjectProvider<DataSource> dataSource,
            @Qualifier("camundaTaskExecutor") ObjectProvider<TaskExecutor> jobExecutor,
            ObjectProvider<PageCallGate> pageCalls) {
        this.dataSource = dataSource;
        this.jobExecutor = jobExecutor;
        this.pageCalls = pageCalls;
    }

    /** The pool's size; 0 when the data source is not Hikari's pool. */
    int poolSize() {
        DataSource ds = dataSource.getIfUnique();
        try {
            return ds != null && ds.isWrapperFor(HikariDataSource.class)
                    ? ds.unwrap(HikariDataSource.class).getMaximumPoolSize()
                    : 0;
        } catch (java.sql.SQLException e) {
            return 0;
        }
    }

    /** How many process steps may run at once; 0 when the job executor is not Camunda's thread pool. */
    int jobThreads() {
        return jobExecutor.getIfAvailable() instanceof ThreadPoolTaskExecutor pool ? pool.getMaxPoolSize() : 0;
    }

    /** How many pages may wait on AWS at once inside a transaction ({@code portal.aws.page-calls}). */
    int pageCalls() {
        PageCallGate gate = pageCalls.getIfAvailable();
        return gate == null ? 0 : gate.size();
    }

    @EventListener(ApplicationReadyEvent.class)
    void checkAtStart() {
        int pool = poolSize();
        int jobs = jobThreads();
        int pages = pageCalls();
        if (leavesPagesWaiting(pool, jobs, pages)) {
            log.warn(WARNING, pool, jobs, AWS_SCHEDULED_JOBS, pages, Math.max(0, leftForPages(pool, jobs, pages)),
                    heldWhileAwsWaits(jobs, pages) + PAGE_RESERVE);
        }
    }

    /** What an operator is told at start: both settings, what is left for pages, what to set the pool to. */
    static final String WARNING = "spring.datasource.hikari.maximum-pool-size is {} and "
            + "camunda.bpm.job-execution.max-pool-size {}: while AWS is slow, the process steps (up to two connections "
            + "each), the {} scheduled jobs that call AWS and the {} pages that may wait on AWS at once "
            + "(portal.aws.page-calls) can hold all but {} of the connections, and other pages and approvals wait for "
            + "one; set the pool to {} or more (PORTAL_DB_POOL_SIZE), or run fewer steps at once (PORTAL_JOB_THREADS) "
            + "or let fewer pages wait on AWS (PORTAL_AWS_PAGE_CALLS)";

    /**
     * The connections every job thread, AWS-calling scheduled job and page allowed to call AWS in a transaction can
     * hold while they wait on AWS.
     */
    static int heldWhileAwsWaits(int jobThreads, int pageCalls) {
        return PER_STEP * jobThreads + AWS_SCHEDULED_JOBS + pageCalls;
    }

    /** The connections left for the other pages and approvals meanwhile. */
    public static int leftForPages(int pool, int jobThreads, int pageCalls) {
        return pool - heldWhileAwsWaits(jobThreads, pageCalls);
    }

    /** Whether those are fewer than {@link #PAGE_RESERVE} (0 for pool or job threads: not the pools this checks). */
    public static boolean leavesPagesWaiting(int pool, int jobThreads, int pageCalls) {
        return pool > 0 && jobThreads > 0 && leftForPages(pool, jobThreads, pageCalls) < PAGE_RESERVE;
    }
}
