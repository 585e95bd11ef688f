package com.bedrockportal.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The append-only, hash-chained audit log. {@link #record} joins the caller's transaction, so an action and its
 * audit row commit or roll back together: if the row cannot be written, the action fails.
 */
@Service
public class AuditLog {

    static final String GENESIS_HASH = "0".repeat(64);
    private static final int PAGE = 500;

    private final AuditRepository repository;
    private final Clock clock;

    AuditLog(AuditRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * Appends a row. Serialised across threads and nodes by a row lock on the chain head, taken in the caller's
     * transaction (or a new one when there is none).
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public AuditEntry record(String actor, String action, String target, String details) {
        AuditRepository.Head head = repository.lockHead();
        long seq = head.lastSeq() + 1;
        // Truncated so that the hash survives the database's timestamp precision on every engine.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String safeActor = limit(blankTo(actor, "anonymous"), 200);
        String safeTarget = limit(target, 300);
        String safeDetails = limit(details, 4000);
        String hash = AuditHashes.hash(seq, now, safeActor, action, safeTarget, safeDetails, head.lastHash());
        AuditEntry entry = new AuditEntry(seq, now, safeActor, action, safeTarget, safeDetails, head.lastHash(), hash);
        repository.insert(entry);
        repository.advanceHead(seq, hash);
        return entry;
    }

    @RolesAllowed({ "SECURITY", "ADMIN" })
    @Transactional(readOnly = true)
    public List<AuditEntry> find(AuditFilter filter, int offset, int limit) {
        return repository.find(filter, offset, Math.min(limit, 1000));
    }

    /**
     * One target's entries whose action starts with {@code actionPrefix}, oldest first, at most {@code limit} (200
     * at most): a module's timeline of its own records. The calling module decides who may see it.
     */
    @Transactional(readOnly = true)
    public List<AuditEntry> timeline(String target, String actionPrefix, int limit) {
        return repository.ofTarget(target, actionPrefix, Math.min(limit, 200));
    }

    @RolesAllowed({ "SECURITY", "ADMIN" })
    @Transactional(readOnly = true)
    public int count(AuditFilter filter) {
        return repository.count(filter);
    }

    @RolesAllowed({ "SECURITY", "ADMIN" })
    @Transactional(readOnly = true)
    public List<String> knownActions() {
        return repository.distinctActions();
    }

    /**
     * Walks the whole chain page by page and reports the first broken link. Managers run it too: their units'
     * evidence packs carry a fresh verification (it reveals no row, only whether the chain holds).
     */
    @RolesAllowed({ "SECURITY", "ADMIN", "MANAGER" })
    @Transactional(readOnly = true)
    public ChainVerification verify() {
        String expectedPrev = GENESIS_HASH;
        long expectedSeq = 1;
        long checked = 0;
        while (true) {
            List<AuditEntry> page = repository.pageFrom(expectedSeq, PAGE);
            for (AuditEntry e : page) {
                checked++;
                if (e.seq() != expectedSeq) {
                    return broken(checked, expectedSeq, "row " + expectedSeq + " is missing");
                }
                if (!e.prevHash().equals(expectedPrev)) {
                    return broken(checked, e.seq(), "its previous-hash does not match row " + (e.seq() - 1));
                }
                String recomputed = AuditHashes.hash(e.seq(), e.occurredAt(), e.actor(), e.action(), e.target(),
                        e.details(), e.prevHash());
                if (!recomputed.equals(e.hash())) {
                    return broken(checked, e.seq(), "its content was altered after it was written");
                }
                expectedPrev = e.hash();
                expectedSeq++;
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        AuditRepository.Head head = repository.head();
        if (head.lastSeq() != expectedSeq - 1 || !head.lastHash().equals(expectedPrev)) {
            return broken(checked, expectedSeq, "rows after " + (expectedSeq - 1) + " were removed");
        }
        return new ChainVerification(true, checked, -1, null);
    }

    /** Writes the filtered rows as CSV, page by page, never holding the whole table in memory. */
    @RolesAllowed({ "SECURITY", "ADMIN" })
    @Transactional(readOnly = true)
    public void exportCsv(AuditFilter filter, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.write(String.join(",", CSV_HEADER) + "\r\n");
        CSVPrinter csv = new CSVPrinter(writer, CSV_RECORDS);
        int offset = 0;
        while (true) {
            List<AuditEntry> page = repository.find(filter, offset, PAGE);
            for (AuditEntry e : page) {
                csv.printRecord(e.seq(), e.occurredAt(), defuse(e.actor()), defuse(e.action()), defuse(e.target()),
                        defuse(e.details()), e.prevHash(), e.hash());
            }
            if (page.size() < PAGE) {
                break;
            }
            offset += PAGE;
        }
        csv.flush();
    }

    private static ChainVerification broken(long checked, long seq, String problem) {
        return new ChainVerification(false, checked, seq, problem);
    }

    static final String[] CSV_HEADER = { "seq", "occurred_at", "actor", "action", "target", "details", "prev_hash",
            "hash" };
    /** RFC 4180 (CRLF), every non-null cell quoted; the header line is written as it is. */
    static final CSVFormat CSV_RECORDS = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL_NON_NULL)
            .setNullString("").get();

    /** Defuses spreadsheet formulas: a cell that starts like one gets a leading apostrophe. */
    static String defuse(String value) {
        return value != null && !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    private static String blankTo(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }

    private static String limit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
