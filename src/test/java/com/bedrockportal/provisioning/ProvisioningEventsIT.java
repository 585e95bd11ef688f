package com.bedrockportal.provisioning;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.bedrockportal.testsupport.PostgresSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Open pages hear of a step once its transaction committed, never of one that rolled back. */
class ProvisioningEventsIT extends PostgresSupport {

    @Autowired
    ProvisioningEvents events;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void pagesHearOfCommittedStepsOnly() {
        List<Long> heard = new CopyOnWriteArrayList<>();
        Runnable unsubscribe = events.subscribe(heard::add);
        try {
            TransactionTemplate tx = new TransactionTemplate(transactions);
            tx.executeWithoutResult(status -> {
                events.changed(1);
                assertThat(heard).as("not before the commit").isEmpty();
            });
            assertThat(heard).containsExactly(1L);

            tx.executeWithoutResult(status -> {
                events.changed(2);
                status.setRollbackOnly();
            });
            assertThat(heard).as("a rolled-back step tells nobody").containsExactly(1L);

            events.changed(3);
            assertThat(heard).as("outside a transaction: at once").containsExactly(1L, 3L);
        } finally {
            unsubscribe.run();
        }
    }
}
