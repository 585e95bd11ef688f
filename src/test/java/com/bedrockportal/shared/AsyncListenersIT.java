package com.bedrockportal.shared;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.bedrockportal.testsupport.PostgresSupport;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's {@code @ApplicationModuleListener}s (a reveal lets the request's process go on; people leaving a unit
 * leave its applications' member lists and flag the applications they own) run on a bounded pool of {@code spring.task.execution.pool.core-size}
 * threads named {@code portal-async-}, the rest of a burst waiting in its queue. Until 6 December Boot's executor was
 * not created (Camunda's job executor is an {@code Executor}, so Boot stood back), and Spring ran every event on a new
 * thread of its own: a burst of events started as many threads, each wanting a database connection at once.
 */
class AsyncListenersIT extends PostgresSupport {

    /** One event of a run (events a run aborted earlier left behind, if sent again, are not counted). */
    record Burst(String run, int n) {
    }

    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger DONE = new AtomicInteger();
    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();
    /** Open but for the test's own burst: events of earlier runs sent again do not wait. */
    static volatile CountDownLatch release = new CountDownLatch(0);
    static volatile String run = "";

    /** A listener that waits until the test lets it go, counting how many wait at once and on which threads. */
    @TestConfiguration
    static class Listener {
        @Bean
        BurstListener burstListener() {
            return new BurstListener();
        }
    }

    static class BurstListener {
        @ApplicationModuleListener
        void on(Burst burst) throws InterruptedException {
            if (!burst.run().equals(run)) {
                return;
            }
            THREADS.add(Thread.currentThread().getName());
            RUNNING.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } finally {
                RUNNING.decrementAndGet();
                DONE.incrementAndGet();
            }
        }
    }

    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    org.springframework.context.ApplicationContext context;
    @org.springframework.beans.factory.annotation.Value("${spring.task.execution.pool.core-size}")
    int threads;

    @Test
    void aBurstOfEventsRunsOnTheBoundedPoolAndTheRestWaitsInItsQueue() {
        release = new CountDownLatch(1);
        RUNNING.set(0);
        DONE.set(0);
        THREADS.clear();
        String thisRun = java.util.UUID.randomUUID().toString();
        run = thisRun;
        int burst = threads + 20;
        try {
            transactions.executeWithoutResult(status -> {
                for (int i = 0; i < burst; i++) {
                    events.publishEvent(new Burst(thisRun, i));
                }
            });
            Awaitility.await("every thread of the pool busy").atMost(Duration.ofSeconds(30))
                    .until(() -> RUNNING.get() >= threads);
            ThreadPoolTaskExecutor executor = context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class);
            Awaitility.await("the rest of the burst queued").atMost(Duration.ofSeconds(30))
                    .until(() -> executor.getThreadPoolExecutor().getQueue().size() == burst - threads);
            assertThat(RUNNING).as("listeners running at once").hasValue(threads);
            assertThat(THREADS).hasSize(threads).allMatch(name -> name.startsWith("portal-async-"));
        } finally {
            release.countDown();
        }
        Awaitility.await("the whole burst handled").atMost(Duration.ofSeconds(60)).until(() -> DONE.get() == burst);
        assertThat(THREADS).hasSize(threads);
    }
}
