package com.bedrockportal.shared;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Reads remembered until the current transaction ends: a row that many steps of one transaction look up (a request's
 * business unit, the model catalog) is read from the database once per transaction instead of once per caller. A
 * provisioning step, an approval or a submission asked for the same unit up to a dozen times; the portal's throughput
 * benchmark (issue 16) counted the unit's three statements 24 times per request.
 *
 * <p>What is remembered is what this transaction read first, as if it had read at repeatable-read isolation; a write
 * through the owning repository forgets its kind at once ({@link #forget}), so a transaction always reads its own
 * writes. Outside a transaction nothing is remembered. A transaction suspended for an inner {@code REQUIRES_NEW} one
 * takes its reads with it and gets them back when it resumes, so the inner transaction reads afresh. At most
 * {@value #MAX_ENTRIES} values per transaction (a batch going through thousands of rows just reads them).
 *
 * <p>Only for values that are immutable and that no caller locks before reading: a request's own row and its
 * decisions, which every step re-checks under the request's lock, are always read afresh.
 */
public final class TransactionReads {

    static final int MAX_ENTRIES = 1_000;

    private static final Object RESOURCE = TransactionReads.class.getName() + ".reads";

    private TransactionReads() {
    }

    /** What was read: its kind ("business-unit") and which one. */
    private record Key(String kind, Object id) {
    }

    /** The value this transaction read for {@code kind} and {@code id}, loading it on the first ask. */
    @SuppressWarnings("unchecked")
    public static <V> V get(String kind, Object id, Supplier<V> load) {
        Map<Key, Object> reads = reads();
        if (reads == null) {
            return load.get();
        }
        Key key = new Key(kind, id);
        if (reads.containsKey(key)) {
            return (V) reads.get(key);
        }
        V value = load.get();
        if (reads.size() < MAX_ENTRIES) {
            reads.put(key, value);
        }
        return value;
    }

    /** Forgets what this transaction read of {@code kind}: called by every write to it. */
    public static void forget(String kind) {
        Object bound = TransactionSynchronizationManager.getResource(RESOURCE);
        if (bound instanceof Map<?, ?> reads) {
            reads.keySet().removeIf(key -> key instanceof Key k && k.kind().equals(kind));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Key, Object> reads() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        Object bound = TransactionSynchronizationManager.getResource(RESOURCE);
        if (bound != null) {
            return (Map<Key, Object>) bound;
        }
        Map<Key, Object> reads = new HashMap<>();
        TransactionSynchronizationManager.bindResource(RESOURCE, reads);
        TransactionSynchronizationManager.registerSynchronization(new Release(reads));
        return reads;
    }

    /** Unbinds the reads when the transaction ends, and while it is suspended. */
    private record Release(Map<Key, Object> reads) implements TransactionSynchronization {

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResourceIfPossible(RESOURCE);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(RESOURCE, reads);
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(RESOURCE);
        }
    }
}
