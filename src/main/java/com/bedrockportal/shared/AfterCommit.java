package com.bedrockportal.shared;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Work to do once the current transaction has committed, and not at all if it rolls back; at once when there is no
 * transaction. A plain callback: unlike a transactional event listener, Spring Modulith does not record it in its
 * event publication table (a statement and a second connection per call). Not from inside another after-commit
 * callback: Spring runs the callbacks registered when the commit began, so one registered then would never run.
 */
public final class AfterCommit implements TransactionSynchronization {

    /** A class, not a record: two callbacks with equal work are still two (Spring keeps them in a set). */
    private final Runnable work;

    private AfterCommit(Runnable work) {
        this.work = work;
    }

    /** Runs {@code work} after the current transaction commits, or now without one. */
    public static void run(Runnable work) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new AfterCommit(work));
        } else {
            work.run();
        }
    }

    @Override
    public void afterCommit() {
        work.run();
    }
}
