package com.bedrockportal.shared;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionReadsTest {

    final DataSourceTransactionManager manager = new DataSourceTransactionManager(
            new DriverManagerDataSource("jdbc:h2:mem:transaction-reads;DB_CLOSE_DELAY=-1"));
    final TransactionTemplate tx = new TransactionTemplate(manager);
    final AtomicInteger loads = new AtomicInteger();

    String read(Object id) {
        return TransactionReads.get("unit", id, () -> "unit " + id + " read #" + loads.incrementAndGet());
    }

    @Test
    void aTransactionLoadsEachValueOnce() {
        tx.executeWithoutResult(s -> {
            assertThat(read(1)).isEqualTo("unit 1 read #1");
            assertThat(read(1)).isEqualTo("unit 1 read #1");
            assertThat(read(2)).isEqualTo("unit 2 read #2");
            assertThat(TransactionReads.get("catalog", 1, () -> "catalog")).isEqualTo("catalog");
        });
        assertThat(loads).hasValue(2);
    }

    @Test
    void theNextTransactionAndCodeOutsideOneReadAfresh() {
        tx.executeWithoutResult(s -> read(1));
        tx.executeWithoutResult(s -> assertThat(read(1)).isEqualTo("unit 1 read #2"));
        assertThat(read(1)).isEqualTo("unit 1 read #3");
        assertThat(read(1)).isEqualTo("unit 1 read #4");
        assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
    }

    @Test
    void aWriteForgetsItsKindOnly() {
        tx.executeWithoutResult(s -> {
            read(1);
            String catalog = TransactionReads.get("catalog", 1, () -> "catalog #" + loads.incrementAndGet());
            TransactionReads.forget("unit");
            assertThat(read(1)).isEqualTo("unit 1 read #3");
            assertThat(TransactionReads.get("catalog", 1, () -> "catalog again")).isEqualTo(catalog);
        });
    }

    @Test
    void anInnerNewTransactionReadsAfreshAndTheOuterKeepsWhatItRead() {
        TransactionTemplate inner = new TransactionTemplate(manager);
        inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        tx.executeWithoutResult(s -> {
            assertThat(read(1)).isEqualTo("unit 1 read #1");
            inner.executeWithoutResult(i -> {
                assertThat(read(1)).isEqualTo("unit 1 read #2");
                TransactionReads.forget("unit");
            });
            assertThat(read(1)).isEqualTo("unit 1 read #1");
        });
    }

    @Test
    void aRolledBackTransactionLeavesNothingBehind() {
        tx.executeWithoutResult(s -> {
            read(1);
            s.setRollbackOnly();
        });
        assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
        tx.executeWithoutResult(s -> assertThat(read(1)).isEqualTo("unit 1 read #2"));
    }

    @Test
    void nullIsRememberedToo() {
        tx.executeWithoutResult(s -> {
            assertThat(TransactionReads.<String>get("unit", 9, () -> {
                loads.incrementAndGet();
                return null;
            })).isNull();
            assertThat(TransactionReads.<String>get("unit", 9, () -> "loaded again")).isNull();
        });
        assertThat(loads).hasValue(1);
    }

    @Test
    void aBatchBeyondTheCapJustReads() {
        tx.executeWithoutResult(s -> {
            for (int i = 0; i < TransactionReads.MAX_ENTRIES + 5; i++) {
                read(i);
            }
            read(TransactionReads.MAX_ENTRIES + 1);
            read(0);
        });
        assertThat(loads).hasValue(TransactionReads.MAX_ENTRIES + 6);
    }
}
