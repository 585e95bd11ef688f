package com.bedrockportal.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Test data at volume: appends {@code n} audit rows that continue the hash chain (so the log still verifies), in
 * batches, and moves the chain head. For benchmarks on a database of their own.
 */
public final class AuditVolume {

    private AuditVolume() {
    }

    /** {@code n} rows signed with the chain key of the portal in {@code portal}. */
    public static void append(JdbcTemplate jdbc, ApplicationContext portal, int n) {
        append(jdbc, portal.getBean(ChainKeys.class).current(), n, null, null);
    }

    /**
     * {@code n} rows by {@code actor} with {@code action}, appended in one transaction that holds the chain head's
     * lock first, as the portal does: on a database the running portal also writes to, its rows wait and the chain
     * stays whole.
     */
    public static void appendLocked(JdbcTemplate jdbc, ApplicationContext portal, int n, String actor,
            String action) {
        ChainKeys.Key key = portal.getBean(ChainKeys.class).current();
        new TransactionTemplate(portal.getBean(PlatformTransactionManager.class)).executeWithoutResult(status -> {
            jdbc.queryForMap("select last_seq from audit_chain_head where id = 1 for update");
            append(jdbc, key, n, actor, action);
        });
    }

    /** {@code n} rows; by generated actors and three actions where {@code actor} and {@code action} are null. */
    private static void append(JdbcTemplate jdbc, ChainKeys.Key key, int n, String fixedActor,
            String fixedAction) {
        var head = jdbc.queryForMap("select last_seq, last_hash from audit_chain_head where id = 1");
        long seq = ((Number) head.get("last_seq")).longValue();
        String prev = ((String) head.get("last_hash")).trim();
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minusSeconds(n);
        List<Object[]> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seq++;
            Instant when = at.plusSeconds(i);
            String actor = fixedActor != null ? fixedActor : "user" + (i % 500);
            String action = fixedAction != null ? fixedAction
                    : i % 3 == 0 ? "LOGIN_SUCCESS" : i % 3 == 1 ? "REQUEST_SUBMITTED" : "KEY_REVEALED";
            String target = "request:" + (i % 100_000);
            String details = "generated row " + i;
            String hash = AuditHashes.hash(seq, when, actor, action, target, details, prev, key);
            batch.add(new Object[] { seq, Timestamp.from(when), actor, action, target, details, prev, hash,
                key.id() });
            prev = hash;
            if (batch.size() == 5_000 || i == n - 1) {
                jdbc.batchUpdate("insert into audit_event (seq, occurred_at, actor, action, target, details, "
                        + "prev_hash, hash, chain_key) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch);
                batch.clear();
            }
        }
        jdbc.update("update audit_chain_head set last_seq = ?, last_hash = ? where id = 1", seq, prev);
    }
}
