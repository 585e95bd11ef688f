package com.bedrockportal.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Two things at the same moment on PostgreSQL: the second waits for a lock the first's open transaction holds. */
public final class WhileHeld {

    private WhileHeld() {
    }

    /**
     * Runs {@code first} in a transaction that stays open until {@code second}, on another thread, waits for a lock
     * whose statement matches {@code waitingOn} (an SQL LIKE pattern); then commits and returns what {@code second}
     * returned, or the exception it threw.
     */
    public static Object secondWaits(PlatformTransactionManager transactionManager, JdbcTemplate jdbc, Runnable first,
            Callable<?> second, String waitingOn) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Object> later = new TransactionTemplate(transactionManager).execute(status -> {
                first.run(); // committed at the end of this transaction
                Future<Object> f = pool.submit(() -> {
                    try {
                        return second.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.lockWaiters(jdbc, waitingOn)
                        == 1);
                return f;
            });
            return later.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
