package com.bedrockportal.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What keying the audit chain costs per row: plain SHA-256 (rows written before 6 December) against HMAC-SHA256 under
 * the chain key, over the same rows, as written and as Verify chain recomputes them. Prints numbers; not part of
 * {@code mvn verify}: {@code mvn test -Dtest=AuditHashBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class AuditHashBenchmark {

    private static final int ROWS = 1_000_000;
    private static final int ROUNDS = 5;

    @Test
    void hashPerRow() {
        ChainKeys.Key key = new ChainKeys(new byte[32], List.of()).current();
        run(null); // warm-up of both paths
        run(key);
        long[] plain = new long[ROUNDS];
        long[] keyed = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) { // alternated, so a busy moment of the machine falls on both
            plain[i] = run(null);
            keyed[i] = run(key);
        }
        System.out.printf("audit hash per row over %,d rows, median of %d: SHA-256 %d ns, HMAC-SHA256 %d ns; "
                + "a million rows: %.2f s against %.2f s%n", ROWS, ROUNDS, median(plain) / ROWS, median(keyed) / ROWS,
                median(plain) / 1e9, median(keyed) / 1e9);
    }

    /** Nanoseconds to hash {@link #ROWS} rows chained as the portal chains them. */
    private static long run(ChainKeys.Key key) {
        Instant at = Instant.parse("2026-12-06T07:00:00Z");
        String prev = AuditLog.GENESIS_HASH;
        long t = System.nanoTime();
        for (long seq = 1; seq <= ROWS; seq++) {
            prev = AuditHashes.hash(seq, at.plusMillis(seq), "user" + (seq % 500), "KEY_REVEALED",
                    "request:" + (seq % 100_000), "generated row " + seq, prev, key);
        }
        return System.nanoTime() - t;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
