package com.bedrockportal.shared;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.stereotype.Component;

/**
 * The portal's scheduled jobs (mail outbox, drift check, usage collection, dashboard, alerts, expiry watch, audit
 * witness, ...) share one scheduler, {@code spring.task.scheduling.pool.size} threads. With fewer threads than jobs, a
 * job waiting on AWS or an SMTP server holds up the others: until 6 December there was one thread, and a drift check
 * stuck on ListUsers stopped every mail. Says so at start when the setting leaves a job without a thread.
 */
@Component
public class ScheduledJobThreads {

    private static final Logger log = LoggerFactory.getLogger(ScheduledJobThreads.class);

    private final List<ScheduledTaskHolder> holders;
    private final ObjectProvider<ThreadPoolTaskScheduler> scheduler;

    ScheduledJobThreads(List<ScheduledTaskHolder> holders, ObjectProvider<ThreadPoolTaskScheduler> scheduler) {
        this.holders = holders;
        this.scheduler = scheduler;
    }

    /** How many scheduled jobs this node runs. */
    public int jobs() {
        return holders.stream().mapToInt(h -> h.getScheduledTasks().size()).sum();
    }

    /** How many threads may run them at once; 0 when the scheduler is not the configured thread pool. */
    public int threads() {
        ThreadPoolTaskScheduler pool = scheduler.getIfUnique();
        return pool == null ? 0 : pool.getScheduledThreadPoolExecutor().getCorePoolSize();
    }

    @EventListener(ApplicationReadyEvent.class)
    void checkAtStart() {
        int threads = threads();
        int jobs = jobs();
        if (leavesAJobWaiting(threads, jobs)) {
            log.warn(WARNING, threads, jobs, jobs);
        }
    }

    /** What an operator is told at start: the setting, its value, the jobs, what to set it to. */
    static final String WARNING = "spring.task.scheduling.pool.size is {} for {} scheduled jobs: a job waiting on AWS "
            + "or the mail server will hold up others (the mail outbox among them); set it to {} or more";

    /** Whether {@code threads} cannot give each of {@code jobs} a thread (0 threads: not the configured pool). */
    static boolean leavesAJobWaiting(int threads, int jobs) {
        return threads > 0 && threads < jobs;
    }
}
