package com.bedrockportal.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.security.RolesAllowed;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The append-only, hash-chained audit log. {@link #record} joins the caller's transaction, so an action and its
 * audit row commit or roll back together: if the row cannot be written, the action fails. The rows are written
 * just before the commit.
 */
@Service
public class AuditLog {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditLog.class);

    static final String GENESIS_HASH = "0".repeat(64);
    private static final int PAGE = 500;
    /** The most rows the Audit log page lists for one filter, newest first (narrow the filter, or export, for more). */
    public static final int MAX_LISTED = 10_000;

    private final AuditRepository repository;
    private final ChainKeys keys;
    private final ChainWitness witness;
    private final Clock clock;
    private final ReentrantLock verifying = new ReentrantLock();
    private final TransactionTemplate reading;
    private volatile Verified lastVerified;

    private final TransactionTemplate now;
    /** For rows recorded after the caller's transaction committed: they cannot join it any more. */
    private final TransactionTemplate separate;

    AuditLog(AuditRepository repository, ChainKeys keys, ChainWitness witness, Clock clock,
            PlatformTransactionManager transactions) {
        this.repository = repository;
        this.keys = keys;
        this.witness = witness;
        this.clock = clock;
        this.now = new TransactionTemplate(transactions);
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
    }

    /**
     * Appends a row with the caller's transaction: the row is written in the transaction's last moment before its
     * commit (with every other row the transaction recorded), so an action and its audit row commit or roll back
     * together, and if the row cannot be written, the action fails. The chain head's row lock, which serialises
     * writers across threads and nodes, is held from then until the commit only, not through the rest of the
     * caller's work (held from the first record to the commit, it made every audited transaction of the portal wait
     * for the one before: issue 16). Without a transaction the row is written at once in one of its own. A row's
     * time is the moment it is written, so seq and time order agree.
     */
    public void record(String actor, String action, String target, String details) {
        Pending row = Pending.of(actor, action, target, details);
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            // No transaction, or one that is over (its after-completion callbacks run with synchronization cleared
            // and its connection still bound): a transaction of its own.
            separate.executeWithoutResult(status -> write(List.of(row)));
            return;
        }
        // The current transaction's own list (an inner REQUIRES_NEW transaction has its own synchronizations).
        for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
            if (s instanceof PendingRows mine && mine.log == this) {
                if (mine.committed) {
                    // After the commit (an after-commit callback): the transaction is done, its lock released.
                    separate.executeWithoutResult(status -> write(List.of(row)));
                } else if (mine.written) {
                    // Recorded by something that runs before the commit after the rows were written: at once.
                    now.executeWithoutResult(status -> write(List.of(row)));
                } else {
                    mine.rows.add(row);
                }
                return;
            }
        }
        PendingRows mine = new PendingRows(this);
        mine.rows.add(row);
        TransactionSynchronizationManager.registerSynchronization(mine);
        TransactionSynchronizationManager.registerSynchronization(new Committed(mine));
    }

    /**
     * At start: when the newest row is not signed with the current chain key (rows written before the chain was keyed,
     * or under the key before a rotation), signs one, so the chain the portal writes to always ends in a row signed
     * with the current key, and a chain rewritten without it shows. Under the head's lock: two nodes starting together
     * sign one row at most.
     */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    public void signTheChain() {
        now.executeWithoutResult(status -> {
            AuditRepository.Head head = repository.lockHead();
            if (head.lastSeq() > 0
                    && !repository.signedWith(head.lastSeq()).filter(keys.current().id()::equals).isPresent()) {
                write(List.of(Pending.of("system", AuditActions.AUDIT_CHAIN_KEYED, "audit", "rows after "
                        + head.lastSeq() + " are signed with chain key " + keys.current().id())));
            }
        });
    }

    /** Appends a row at once (joining the caller's transaction, or in one of its own) and returns it. */
    AuditEntry append(String actor, String action, String target, String details) {
        Pending row = Pending.of(actor, action, target, details);
        return now.execute(status -> write(List.of(row)).get(0));
    }

    /** A row to write, its fields capped to their columns. */
    private record Pending(String actor, String action, String target, String details) {

        static Pending of(String actor, String action, String target, String details) {
            return new Pending(limit(blankTo(actor, "anonymous"), 200), action, limit(target, 300), limit(details,
                    4000));
        }
    }

    /** The rows a transaction recorded, written just before it commits. */
    private static final class PendingRows implements TransactionSynchronization {

        private final AuditLog log;
        private final List<Pending> rows = new ArrayList<>();
        private boolean written;
        private boolean committed;

        PendingRows(AuditLog log) {
            this.log = log;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            written = true;
            log.write(rows);
        }

        /**
         * Rows recorded after the commit by a transaction that had recorded none before (registered too late for
         * {@link #beforeCommit}) are written in a transaction of their own instead of being lost.
         */
        @Override
        public void afterCompletion(int status) {
            if (!written && status == STATUS_COMMITTED && !rows.isEmpty()) {
                written = true;
                try {
                    log.separate.executeWithoutResult(s -> log.write(rows));
                } catch (RuntimeException e) {
                    // Spring only logs what an after-completion callback throws: say how many rows are missing.
                    LOG.error("{} audit row(s) recorded after their transaction's commit could not be written",
                            rows.size(), e);
                }
            }
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE; // after everything else that writes before the commit
        }
    }

    /**
     * Marks its transaction's rows committed, before any other after-commit callback runs (one that records is then
     * after the commit, and writes in a transaction of its own). Not a flag set before the commit: a callback that
     * runs then, after the rows were written, must join the transaction that holds the chain's lock.
     */
    private record Committed(PendingRows rows) implements TransactionSynchronization {

        @Override
        public void afterCommit() {
            rows.committed = true;
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    private List<AuditEntry> write(List<Pending> rows) {
        AuditRepository.Head head = repository.lockHead();
        long seq = head.lastSeq();
        String prev = head.lastHash();
        ChainKeys.Key key = keys.current();
        List<AuditEntry> written = new ArrayList<>(rows.size());
        for (Pending row : rows) {
            seq++;
            // Truncated so that the hash survives the database's timestamp precision on every engine.
            Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            String hash = AuditHashes.hash(seq, at, row.actor(), row.action(), row.target(), row.details(), prev,
                    key);
            AuditEntry entry = new AuditEntry(seq, at, row.actor(), row.action(), row.target(), row.details(), prev,
                    hash, key.id());
            repository.insert(entry);
            written.add(entry);
            prev = hash;
        }
        repository.advanceHead(seq, prev);
        return written;
    }

    @RolesAllowed({ "SECURITY", "ADMIN" })
    @Transactional(readOnly = true)
    public List<AuditEntry> find(AuditFilter filter, int offset, int limit) {
        return repository.find(filter, offset, Math.min(limit, 1000));
    }

    /**
     * One target's entries whose action starts with {@code actionPrefix}, oldest first: the newest {@code limit} (200
     * at most), so a long history shows its recent part. A module's timeline of its own records; the calling module
     * decides who may see it.
     */
    @Transactional(readOnly = true)
    public List<AuditEntry> timeline(String target, String actionPrefix, int limit) {
        return repository.ofTarget(target, actionPrefix, Math.min(limit, 200));
    }

    /**
     * How many rows match, counted up to {@link #MAX_LISTED} + 1: a result above {@link #MAX_LISTED} means "more than
     * the Audit log page lists" (it lists the newest {@link #MAX_LISTED}; the CSV export has every one). Counting a
     * million rows exactly took 180 ms on PostgreSQL, for a figure nobody scrolls through.
     */
    @RolesAllowed({ "SECURITY", "ADMIN" })
    @Transactional(readOnly = true)
    public int count(AuditFilter filter) {
        return repository.countUpTo(filter, MAX_LISTED + 1);
    }

    @RolesAllowed({ "SECURITY", "ADMIN" })
    @Transactional(readOnly = true)
    public List<String> knownActions() {
        return repository.distinctActions();
    }

    /** A verification and when it ran. */
    public record Verified(ChainVerification result, Instant at) {
    }

    /**
     * A verification at most {@code maxAge} old, or a fresh one. One runs at a time on a node and the callers waiting
     * for it share its result: the evidence packs any manager can download each carry a verification, and each would
     * otherwise walk the whole chain (a million rows: seconds of a core).
     */
    @RolesAllowed({ "SECURITY", "ADMIN", "MANAGER" })
    public Verified verifiedWithin(Duration maxAge) {
        Verified last = lastVerified;
        if (last != null && !last.at().plus(maxAge).isBefore(clock.instant())) {
            return last;
        }
        verifying.lock();
        try {
            last = lastVerified;
            if (last != null && !last.at().plus(maxAge).isBefore(clock.instant())) {
                return last;
            }
            Instant at = clock.instant();
            // The walk's reads in a transaction begun only once the lock is held (or the caller's own, if it has one):
            // a caller without a transaction waits for the lock without holding a connection.
            Verified fresh = new Verified(reading.execute(status -> verify()), at);
            // A broken chain is reported as found, and looked at again by the next caller; an intact chain that could
            // not be verified against an unreadable witness is kept like an intact one (each caller would otherwise
            // walk the whole chain again until someone looks at the witness).
            lastVerified = fresh.result().intact() || fresh.result().unverified() ? fresh : null;
            return fresh;
        } finally {
            verifying.unlock();
        }
    }

    /**
     * Walks the whole chain page by page and reports the first broken link, and rows cut off its end behind the newest
     * row this node saw intact ({@link ChainWitness}), which an intact walk moves forward. Managers run it too: their
     * units' evidence packs carry a fresh verification (it reveals no row, only whether the chain holds).
     */
    @RolesAllowed({ "SECURITY", "ADMIN", "MANAGER" })
    @Transactional(readOnly = true)
    public ChainVerification verify() {
        return check(true);
    }

    /**
     * Every {@code portal.audit.witness-interval}: checks the rows added since the newest row this node saw intact (that
     * row is unchanged, each later one links to the one before and is signed in order, the head is the last) and moves
     * the witness to the head, so that rows cut off the end later are found by the next verification even if nobody
     * verified meanwhile. A node that has seen no row yet walks the whole chain once. A broken chain is logged as an
     * error; the audit page's Verify chain says where.
     */
    @org.springframework.scheduling.annotation.Scheduled(
            fixedDelayString = "${portal.audit.witness-interval:PT15M}",
            initialDelayString = "${portal.audit.witness-interval:PT15M}")
    void witnessTheHead() {
        try {
            ChainVerification result = reading.execute(status -> checkSinceWitness());
            if (result != null && !result.intact()) {
                LOG.error("Audit chain {}: {} (Verify chain on the audit page shows it)",
                        ChainVerification.verdict(false, result.firstBrokenSeq()), printable(result.problem()));
            }
        } catch (RuntimeException e) {
            LOG.warn("Checking the audit chain since its witness failed: {}", printable(e.toString()));
        }
    }

    /** The rows since the witness, as {@link #witnessTheHead} checks them (the whole chain if none was seen yet). */
    ChainVerification checkSinceWitness() {
        return check(false);
    }

    /** The whole chain, or ({@code whole} false) the rows since the witness; each against the witness. */
    private ChainVerification check(boolean whole) {
        // The witness before the head: it names only rows committed before it was written, so a head read after it is
        // as new or newer (read the other way round, another thread's move of the witness in between looked like rows
        // removed from the end).
        Optional<ChainWitness.Seen> seen;
        try {
            seen = witness.read();
        } catch (ChainWitness.Unreadable e) {
            // The chain is still walked, so a break in it is reported as such; the witness's problem otherwise.
            ChainVerification chain = walk(repository.head(), Optional.empty(), Walk.fromGenesis(), false);
            return chain.intact() ? new ChainVerification(false, chain.rowsChecked(), -1, e.getMessage(), null) : chain;
        }
        // The head before the walk: rows written while it runs come after it and are left for the next verification
        // (read after the walk, a row committed in between looked like rows removed from the end).
        AuditRepository.Head head = repository.head();
        if (whole || seen.isEmpty()) {
            return walk(head, seen, Walk.fromGenesis(), true);
        }
        if (head.lastSeq() < seen.get().seq()) {
            return broken(0, head.lastSeq() + 1, cutBack(head.lastSeq(), seen.get()));
        }
        AuditEntry row = repository.pageFrom(seen.get().seq(), 1).stream().findFirst()
                .filter(e -> e.seq() == seen.get().seq()).orElse(null);
        if (row == null) {
            return broken(0, seen.get().seq(), "row " + seen.get().seq() + ", which this node saw intact on "
                    + seen.get().at().truncatedTo(ChronoUnit.SECONDS) + ", is missing");
        }
        if (!row.hash().equals(seen.get().hash())) {
            return broken(1, seen.get().seq(), rewritten(seen.get()));
        }
        ChainKeys.Key key = row.chainKey() == null ? null : keys.byId(row.chainKey()).orElse(null);
        if (row.chainKey() != null && key == null) {
            return broken(1, row.seq(), unknownKey(row.chainKey()));
        }
        return walk(head, seen, new Walk(row.seq() + 1, row.hash(), key), true);
    }

    /** Where a walk stands: the row it expects next, the hash that row must name, and the key of the row before. */
    private static final class Walk {
        long expectedSeq;
        String expectedPrev;
        long checked;
        boolean keyed; // once one row is signed with a chain key, every later one must be
        String signedWith;
        int age = -1; // the age of the key that signed the row before: never older for a later row

        static Walk fromGenesis() {
            return new Walk(1, GENESIS_HASH, null);
        }

        Walk(long from, String previousHash, ChainKeys.Key previousKey) {
            this.expectedSeq = from;
            this.expectedPrev = previousHash;
            if (previousKey != null) {
                keyed = true;
                signedWith = previousKey.id();
                age = previousKey.age();
            }
        }
    }

    /**
     * Walks from where {@code w} stands to the head page by page: the first broken link, a row that is not the one this
     * node saw there, or rows cut off behind it; moves the witness to the head when all holds.
     */
    private ChainVerification walk(AuditRepository.Head head, Optional<ChainWitness.Seen> seen, Walk w,
            boolean advance) {
        walk: while (true) {
            List<AuditEntry> page = repository.pageFrom(w.expectedSeq, PAGE);
            for (AuditEntry e : page) {
                if (e.seq() > head.lastSeq()) {
                    break walk;
                }
                w.checked++;
                String problem = step(w, e);
                if (problem != null) {
                    return broken(w.checked, w.expectedSeq, problem);
                }
                if (seen.isPresent() && e.seq() == seen.get().seq() && !e.hash().equals(seen.get().hash())) {
                    return broken(w.checked, e.seq(), rewritten(seen.get()));
                }
                w.expectedPrev = e.hash();
                w.expectedSeq++;
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        long last = w.expectedSeq - 1;
        if (head.lastSeq() != last || !head.lastHash().equals(w.expectedPrev)) {
            return broken(w.checked, w.expectedSeq, "rows after " + last + " were removed");
        }
        if (seen.isPresent() && seen.get().seq() > last) {
            return broken(w.checked, w.expectedSeq, cutBack(last, seen.get()));
        }
        if (last > 0 && !keys.current().id().equals(w.signedWith)) {
            // The portal signs every row with the current key, and signs one at start when the newest is not: a chain
            // that ends otherwise was rewritten without the key, or cut back to rows of an earlier key.
            return broken(w.checked, last, "it is not signed with the current chain key, as the newest row always is");
        }
        if (!advance) {
            return new ChainVerification(true, w.checked, -1, null, w.signedWith);
        }
        advanceAfterCommit(last, w.expectedPrev);
        // A copy of the head in the log store too.
        LOG.info("Audit chain intact up to row {} (hash {}), its newest row signed with chain key {}", last,
                w.expectedPrev, w.signedWith);
        return new ChainVerification(true, w.checked, -1, null, w.signedWith);
    }

    /**
     * Moves the witness to a row seen intact once the transaction the walk read in commits: a caller's transaction
     * that wrote rows of its own and then rolled back must not leave the witness naming rows that never were.
     */
    private void advanceAfterCommit(long seq, String hash) {
        Instant at = clock.instant();
        com.bedrockportal.shared.AfterCommit.run(() -> witness.advance(seq, hash, at));
    }

    /**
     * Takes row {@code e} into the walk: what is wrong with it where the walk stands, or null when it links and is
     * signed in order, its key then recorded as the one the next row's must not be older than.
     */
    private String step(Walk w, AuditEntry e) {
        if (e.seq() != w.expectedSeq) {
            return "row " + w.expectedSeq + " is missing";
        }
        if (!e.prevHash().equals(w.expectedPrev)) {
            return "its previous-hash does not match row " + (e.seq() - 1);
        }
        ChainKeys.Key key = null;
        if (e.chainKey() != null) {
            key = keys.byId(e.chainKey()).orElse(null);
            if (key == null) {
                return unknownKey(e.chainKey());
            }
            if (key.age() < w.age) {
                return "it is signed with chain key " + key.id() + ", older than the key of the row before it";
            }
            w.age = key.age();
            w.keyed = true;
            w.signedWith = key.id();
        } else if (w.keyed) {
            return "it is not signed with the chain key, though rows before it are";
        }
        String recomputed = AuditHashes.hash(e.seq(), e.occurredAt(), e.actor(), e.action(), e.target(), e.details(),
                e.prevHash(), key);
        return recomputed.equals(e.hash()) ? null : "its content was altered after it was written";
    }

    /** A text that may hold what the database held (a key id), its control characters replaced: one log line. */
    private static String printable(String text) {
        return text == null ? null : text.replaceAll("\\p{Cntrl}", "?");
    }

    private static String unknownKey(String id) {
        return "it is signed with chain key " + id + ", which this portal does not hold "
                + "(portal.audit.previous-chain-keys)";
    }

    private static String cutBack(long last, ChainWitness.Seen seen) {
        return "the chain ends at row " + last + ", but this node saw it intact up to row " + seen.seq() + " on "
                + seen.at().truncatedTo(ChronoUnit.SECONDS) + " (its witness file): rows were removed from its end";
    }

    private static String rewritten(ChainWitness.Seen seen) {
        return "it is not the row this node saw there on " + seen.at().truncatedTo(ChronoUnit.SECONDS)
                + " (its witness file): the chain was cut back and written again from there";
    }

    /**
     * Writes the filtered rows as CSV, newest first, page by page (each page after the last one's sequence number),
     * never holding the whole table in memory.
     */
    @RolesAllowed({ "SECURITY", "ADMIN" })
    @Transactional(readOnly = true)
    public void exportCsv(AuditFilter filter, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.write(String.join(",", CSV_HEADER) + "\r\n");
        CSVPrinter csv = new CSVPrinter(writer, CSV_RECORDS);
        long before = Long.MAX_VALUE;
        while (true) {
            List<AuditEntry> page = repository.findBefore(filter, before, PAGE);
            for (AuditEntry e : page) {
                csv.printRecord(e.seq(), e.occurredAt(), defuse(e.actor()), defuse(e.action()), defuse(e.target()),
                        defuse(e.details()), e.prevHash(), e.hash(), e.chainKey());
                before = e.seq();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        csv.flush();
    }

    private static ChainVerification broken(long checked, long seq, String problem) {
        return new ChainVerification(false, checked, seq, problem, null);
    }

    static final String[] CSV_HEADER = { "seq", "occurred_at", "actor", "action", "target", "details", "prev_hash",
            "hash", "chain_key" };
    /** RFC 4180 (CRLF), every non-null cell quoted; the header line is written as it is. */
    static final CSVFormat CSV_RECORDS = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL_NON_NULL)
            .setNullString("").get();

    /** Defuses spreadsheet formulas: a cell that starts like one gets a leading apostrophe. */
    static String defuse(String value) {
        return com.bedrockportal.shared.SpreadsheetCells.defuse(value);
    }

    private static String blankTo(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }

    private static String limit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
