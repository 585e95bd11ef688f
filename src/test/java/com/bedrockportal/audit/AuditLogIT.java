package com.bedrockportal.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.bedrockportal.testsupport.PostgresSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLogIT extends PostgresSupport {

    @Autowired
    AuditLog audit;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ChainKeys keys;
    @Autowired
    org.springframework.context.ApplicationContext portal;
    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    @Test
    @WithMockUser(roles = "SECURITY")
    void concurrentAppendsKeepOneUnbrokenChain() throws Exception {
        long before = jdbc.queryForObject("select count(*) from audit_event", Long.class);
        String marker = "it-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<AuditEntry>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            writes.add(() -> audit.append("writer-" + (n % 8), "IT_WRITE", marker, "row " + n));
        }
        List<Long> seqs = new ArrayList<>();
        for (Future<AuditEntry> f : pool.invokeAll(writes)) {
            seqs.add(f.get().seq());
        }
        pool.shutdown();

        assertThat(seqs).doesNotHaveDuplicates().hasSize(200);
        assertThat(audit.count(new AuditFilter(null, "IT_WRITE", marker, null, null))).isEqualTo(200);
        ChainVerification verification = audit.verify();
        assertThat(verification.intact()).as(verification.problem()).isTrue();
        assertThat(verification.rowsChecked()).isGreaterThanOrEqualTo(before + 200);
    }


    /**
     * A transaction's rows are written in its last moment before the commit: while it still works, other writers
     * are not held up by the chain head (issue 16); its rows come in the order recorded, and a rollback writes none.
     */
    @Test
    @WithMockUser(roles = "SECURITY")
    void aTransactionsRowsAreWrittenAtItsCommitAndDoNotHoldUpOtherWriters() throws Exception {
        String marker = "commit-" + UUID.randomUUID();
        var tx = new org.springframework.transaction.support.TransactionTemplate(transactions);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            tx.executeWithoutResult(status -> {
                audit.record("it", "IT_FIRST", marker, null);
                audit.record("it", "IT_SECOND", marker, null);
                // Another writer commits while this transaction is still open (it used to wait for its commit).
                AuditEntry meanwhile;
                try {
                    meanwhile = other.submit(() -> audit.append("it", "IT_MEANWHILE", marker, null))
                            .get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("another writer waited for this transaction", e);
                }
                assertThat(meanwhile.seq()).isPositive();
                assertThat(jdbc.queryForObject("select count(*) from audit_event where target = ?", Integer.class,
                        marker)).as("nothing of this transaction yet").isEqualTo(1);
            });
            tx.executeWithoutResult(status -> {
                audit.record("it", "IT_ROLLED_BACK", marker, null);
                status.setRollbackOnly();
            });
        } finally {
            other.shutdown();
        }
        assertThat(jdbc.queryForList("select action from audit_event where target = ? order by seq", String.class,
                marker)).containsExactly("IT_MEANWHILE", "IT_FIRST", "IT_SECOND");
        ChainVerification verification = audit.verify();
        assertThat(verification.intact()).as(verification.problem()).isTrue();
    }

    /**
     * Rows recorded after a transaction committed (an after-commit callback: a page refreshed by a finished step
     * records a refusal) are written in a transaction of their own: one that recorded nothing before would otherwise
     * lose them, and one that did would write into a connection whose transaction is over.
     */
    @Test
    @WithMockUser(roles = "SECURITY")
    void rowsRecordedAfterTheCommitAreWrittenNotLost() {
        String marker = "after-commit-" + UUID.randomUUID();
        var tx = new org.springframework.transaction.support.TransactionTemplate(transactions);
        tx.executeWithoutResult(status -> afterCommit(() -> audit.record("it", "IT_LATE_ONLY", marker, null)));
        tx.executeWithoutResult(status -> {
            audit.record("it", "IT_IN_TX", marker, null);
            afterCommit(() -> audit.record("it", "IT_LATE_AFTER_ROWS", marker, null));
        });
        // After completion (synchronization already cleared, the finished transaction's connection still bound).
        tx.executeWithoutResult(status -> register(new org.springframework.transaction.support
                .TransactionSynchronization() {
            @Override
            public void afterCompletion(int completed) {
                audit.record("it", "IT_AFTER_COMPLETION", marker, null);
            }
        }));
        // Before the commit but after the rows were written (the chain's lock is this transaction's): joins it, so
        // neither waits for its own lock nor commits apart from its transaction.
        tx.executeWithoutResult(status -> {
            audit.record("it", "IT_BEFORE_COMMIT_ROWS", marker, null);
            register(new org.springframework.transaction.support.TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    audit.record("it", "IT_BEFORE_COMMIT_LATE", marker, null);
                }

                @Override
                public void beforeCompletion() {
                    audit.record("it", "IT_BEFORE_COMPLETION", marker, null);
                }

                @Override
                public int getOrder() {
                    return org.springframework.core.Ordered.LOWEST_PRECEDENCE;
                }
            });
        });
        assertThat(jdbc.queryForList("select action from audit_event where target = ? order by seq", String.class,
                marker)).containsExactly("IT_LATE_ONLY", "IT_IN_TX", "IT_LATE_AFTER_ROWS", "IT_AFTER_COMPLETION",
                        "IT_BEFORE_COMMIT_ROWS", "IT_BEFORE_COMMIT_LATE", "IT_BEFORE_COMPLETION");
        ChainVerification verification = audit.verify();
        assertThat(verification.intact()).as(verification.problem()).isTrue();
    }

    private static void afterCommit(Runnable action) {
        register(new org.springframework.transaction.support.TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    private static void register(org.springframework.transaction.support.TransactionSynchronization callback) {
        org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(callback);
    }

    /** A node of an earlier release (it writes no chain key) beside an upgraded one: its row is refused. */
    @Test
    void theDatabaseRefusesAnUnsignedRowOnceTheChainIsKeyed() {
        audit.append("it", "IT_GUARD", "guard", "signed");
        assertThatThrownBy(() -> jdbc.update("""
                insert into audit_event (seq, occurred_at, actor, action, target, details, prev_hash, hash)
                values ((select last_seq + 1 from audit_chain_head), now(), 'old-node', 'LOGIN_SUCCESS', null, null,
                    ?, ?)""", "0".repeat(64), "0".repeat(64))).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("an unsigned row is refused");
    }

    @Test
    void theDatabaseRefusesToUpdateOrDeleteAuditRows() {
        AuditEntry entry = audit.append("it", "IT_GUARD", "guard", "original");
        assertThatThrownBy(() -> jdbc.update("update audit_event set details = 'forged' where seq = ?", entry.seq()))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("delete from audit_event where seq = ?", entry.seq()))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
    }

    @Test
    @WithMockUser(roles = "SECURITY")
    void verifyReportsTheFirstRowAlteredBehindTheTriggersBack() {
        AuditEntry target = audit.append("it", "IT_TAMPER", "tamper-" + UUID.randomUUID(), "amount=10");
        audit.append("it", "IT_TAMPER", "after", "next row");
        try {
            // What an attacker with table-owner rights could do: switch the guard off and rewrite history.
            jdbc.execute("alter table audit_event disable trigger audit_event_no_update_delete");
            jdbc.update("update audit_event set details = 'amount=1000' where seq = ?", target.seq());
            ChainVerification result = audit.verify();
            assertThat(result.intact()).isFalse();
            assertThat(result.firstBrokenSeq()).isEqualTo(target.seq());
            assertThat(result.problem()).contains("altered");
        } finally {
            jdbc.update("update audit_event set details = 'amount=10' where seq = ?", target.seq());
            jdbc.execute("alter table audit_event enable trigger audit_event_no_update_delete");
        }
        assertThat(audit.verify().intact()).isTrue();
    }

    /**
     * Whoever owns the tables cuts the newest rows off the chain together with its head: every row left links and is
     * signed, so the chain alone holds. This node's witness, a file outside the database, saw the rows that were cut.
     * In one transaction, rolled back at the end.
     */
    @Test
    @WithMockUser(roles = "SECURITY")
    void rowsCutOffTheEndAreFoundByTheNodesWitness() {
        AuditEntry kept = audit.append("it", "IT_CUT", "cut-" + UUID.randomUUID(), "kept");
        audit.append("it", "IT_CUT", "cut", "cut 1");
        audit.append("it", "IT_CUT", "cut", "cut 2");
        assertThat(audit.verify().intact()).isTrue();
        new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(tx -> {
            jdbc.queryForObject("select last_seq from audit_chain_head where id = 1 for update", Long.class);
            jdbc.execute("alter table audit_event disable trigger audit_event_no_update_delete");
            jdbc.update("delete from audit_event where seq > ?", kept.seq());
            jdbc.update("update audit_chain_head set last_seq = ?, last_hash = ? where id = 1", kept.seq(),
                    kept.hash());

            ChainVerification result = audit.verify();
            assertThat(result.intact()).isFalse();
            assertThat(result.firstBrokenSeq()).isEqualTo(kept.seq() + 1);
            assertThat(result.problem()).contains("the chain ends at row " + kept.seq() + ", but this node saw it "
                    + "intact up to row ").endsWith("rows were removed from its end");
            tx.setRollbackOnly();
        });
        assertThat(audit.verify().intact()).isTrue();
    }

    /**
     * Whoever owns the tables but not the chain key: switches the guard off, alters a row and gives it and the head the
     * hash the portal wrote before the chain was keyed (plain SHA-256). Until 6 December the chain then verified. All
     * in one transaction, rolled back at the end (it holds the head's lock, so no other row is written meanwhile).
     */
    @Test
    @WithMockUser(roles = "SECURITY")
    void aRowReSignedWithoutTheChainKeyIsFound() {
        AuditEntry target = audit.append("it", "IT_TAMPER", "resign-" + UUID.randomUUID(), "amount=10");
        assertThat(target.chainKey()).isEqualTo(keys.current().id());
        assertThat(audit.verify().intact()).isTrue();
        new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(tx -> {
            jdbc.queryForObject("select last_seq from audit_chain_head where id = 1 for update", Long.class);
            jdbc.execute("alter table audit_event disable trigger audit_event_no_update_delete");
            String forged = AuditHashes.hash(target.seq(), target.occurredAt(), target.actor(), target.action(),
                    target.target(), "amount=1000", target.prevHash());
            jdbc.update("update audit_event set details = 'amount=1000', hash = ?, chain_key = null where seq = ?",
                    forged, target.seq());
            jdbc.update("update audit_chain_head set last_hash = ? where id = 1 and last_seq = ?", forged,
                    target.seq());

            ChainVerification result = audit.verify();
            assertThat(result.intact()).isFalse();
            assertThat(result.firstBrokenSeq()).isEqualTo(target.seq());
            assertThat(result.problem()).contains("not signed with the chain key, though rows before it are");
            tx.setRollbackOnly();
        });
        assertThat(audit.verify().intact()).isTrue();
    }

    /** Evidence packs share a verification of the last minute instead of each walking the whole chain. */
    @Test
    @WithMockUser(roles = "MANAGER")
    void aRecentVerificationIsSharedAndAFreshOneCoversNewRows() {
        AuditLog.Verified first = audit.verifiedWithin(Duration.ZERO);
        audit.append("it", "IT_VERIFY", "shared-" + UUID.randomUUID(), null);
        assertThat(audit.verifiedWithin(Duration.ofMinutes(1))).isSameAs(first);
        AuditLog.Verified fresh = audit.verifiedWithin(Duration.ZERO);
        assertThat(fresh.result().intact()).isTrue();
        assertThat(fresh.result().rowsChecked()).isGreaterThan(first.result().rowsChecked());
        assertThat(fresh.at()).isAfterOrEqualTo(first.at());
    }

    @Test
    @WithMockUser(roles = "SECURITY")
    void aFromBoundInsideARowsMillisecondStillFindsTheRow() {
        String marker = "from-" + UUID.randomUUID();
        AuditEntry entry = audit.append("it", "IT_FROM", marker, null);
        // Rows keep milliseconds; "since" taken a few microseconds before the write lands inside that millisecond.
        Instant inside = entry.occurredAt().plusNanos(999_999);
        assertThat(audit.find(new AuditFilter(null, "IT_FROM", marker, inside, null), 0, 10))
                .extracting(AuditEntry::seq).containsExactly(entry.seq());
        assertThat(audit.find(new AuditFilter(null, "IT_FROM", marker, entry.occurredAt().plusMillis(1), null), 0, 10))
                .isEmpty();
    }

    @Test
    @WithMockUser(roles = "REQUESTER")
    void requestersCannotReadTheAuditLog() {
        assertThatThrownBy(() -> audit.find(AuditFilter.none(), 0, 10))
                .isInstanceOf(org.springframework.security.authorization.AuthorizationDeniedException.class);
        assertThatThrownBy(() -> audit.verify())
                .isInstanceOf(org.springframework.security.authorization.AuthorizationDeniedException.class);
    }

    /**
     * More rows match than the Audit log page lists: the count stops one past the cap (the page then says so), the
     * export still writes every row, newest first, each once, across its pages; the action filter's choices hold every
     * action, each once.
     */
    @Test
    @WithMockUser(roles = "SECURITY")
    void pastTheCapTheCountStopsTheExportHasEveryRowAndTheActionsAreEachListedOnce() throws Exception {
        String actor = "volume-" + UUID.randomUUID().toString().substring(0, 8);
        AuditVolume.appendLocked(jdbc, portal, AuditLog.MAX_LISTED + 5, actor, "VOLUME_TEST");
        AuditFilter mine = new AuditFilter(actor, null, null, null, null);
        assertThat(audit.count(mine)).isEqualTo(AuditLog.MAX_LISTED + 1);
        assertThat(audit.count(new AuditFilter(actor, "NO_SUCH_ACTION", null, null, null))).isZero();

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        audit.exportCsv(mine, out);
        List<String> lines = out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().skip(1).toList();
        List<Long> seqs = lines.stream().map(l -> Long.parseLong(l.substring(1, l.indexOf('"', 1)))).toList();
        assertThat(seqs).hasSize(AuditLog.MAX_LISTED + 5).doesNotHaveDuplicates()
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());

        // Rows are never deleted: every action the table held before the call is among its answer.
        List<String> held = jdbc.queryForList("select distinct action from audit_event", String.class);
        List<String> actions = audit.knownActions();
        assertThat(actions).contains("VOLUME_TEST").doesNotHaveDuplicates().containsAll(held);
        assertThat(audit.verify().intact()).isTrue();
    }
}
