package com.bedrockportal.audit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/** The chain's verification against the head as it was when the walk began. */
class AuditVerifyTest {

    private final AuditRepository repository = mock(AuditRepository.class);
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EARLIER = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    private final ChainKeys keys = new ChainKeys(KEY, List.of(Base64.getEncoder().encodeToString(EARLIER)));
    /** Without a witness file: the chain alone. */
    private final AuditLog audit = new AuditLog(repository, keys, new ChainWitness((Path) null), Clock.systemUTC(),
            mock(PlatformTransactionManager.class));

    /** A chain of {@code unsigned} rows written before the chain was keyed, then {@code signed} rows. */
    private List<AuditEntry> chain(int unsigned, int signed) {
        List<AuditEntry> out = new ArrayList<>();
        String prev = AuditLog.GENESIS_HASH;
        for (long seq = 1; seq <= unsigned + signed; seq++) {
            ChainKeys.Key key = seq > unsigned ? keys.current() : null;
            prev = add(out, seq, prev, key, "row " + seq);
        }
        return out;
    }

    private static String add(List<AuditEntry> out, long seq, String prev, ChainKeys.Key key, String details) {
        Instant at = Instant.parse("2026-12-01T09:00:00Z").plusSeconds(seq);
        String hash = AuditHashes.hash(seq, at, "alice", "KEY_REVEALED", "key:" + seq, details, prev, key);
        out.add(new AuditEntry(seq, at, "alice", "KEY_REVEALED", "key:" + seq, details, prev, hash,
                key == null ? null : key.id()));
        return hash;
    }

    private static List<AuditEntry> chain(int rows) {
        return new AuditVerifyTest().chain(0, rows);
    }

    private ChainVerification verify(List<AuditEntry> rows) {
        stub(rows);
        return audit.verify();
    }

    /** The repository holds {@code rows}, its head the last of them. */
    private void stub(List<AuditEntry> rows) {
        AuditEntry last = rows.get(rows.size() - 1);
        given(repository.head()).willReturn(new AuditRepository.Head(last.seq(), last.hash()));
        given(repository.pageFrom(anyLong(), anyInt())).willAnswer(call -> rows.stream()
                .filter(e -> e.seq() >= (long) call.getArgument(0)).limit((int) call.getArgument(1)).toList());
    }

    private AuditLog withWitness(Path file) {
        return new AuditLog(repository, keys, new ChainWitness(file), Clock.systemUTC(),
                mock(PlatformTransactionManager.class));
    }

    /** Rows after the last of {@code rows} (a chain from row 1 on) up to {@code to}, signed with the current key. */
    private List<AuditEntry> appended(List<AuditEntry> rows, int to, String details) {
        List<AuditEntry> out = new ArrayList<>(rows);
        String prev = rows.get(rows.size() - 1).hash();
        for (long seq = rows.size() + 1; seq <= to; seq++) {
            prev = add(out, seq, prev, keys.current(), details + seq);
        }
        return out;
    }

    /**
     * Whoever owns the database can cut rows off the chain's end together with its head: every row left still links
     * and is signed, so the chain alone verifies. This node's witness, a file outside the database, remembers the
     * newest row it saw intact; rows cut behind it are reported, and so is a chain cut back and written on again.
     */
    @Test
    void rowsCutOffBehindTheNodesWitnessAreFound(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit-witness");
        AuditLog witnessed = withWitness(file);
        List<AuditEntry> rows = chain(1, 5);
        stub(rows);
        assertThat(witnessed.verify().intact()).isTrue();
        assertThat(Files.readString(file)).startsWith("6 " + rows.get(5).hash() + " ");

        List<AuditEntry> cut = rows.subList(0, 4);
        assertThat(verify(cut).intact()).as("the chain alone holds").isTrue();
        stub(cut);
        ChainVerification v = witnessed.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(5);
        assertThat(v.problem()).contains("the chain ends at row 4, but this node saw it intact up to row 6 on ")
                .doesNotContain(dir.toString()).endsWith("rows were removed from its end");

        // Cut back, then the portal wrote on: row 6 is another row now.
        stub(appended(cut, 7, "written after the cut "));
        v = witnessed.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(6);
        assertThat(v.problem()).contains("it is not the row this node saw there on ")
                .endsWith("the chain was cut back and written again from there");
        assertThat(Files.readString(file)).as("a broken chain does not move the witness").startsWith("6 ");
    }

    /**
     * The node's scheduled check reads only the rows added since its witness (the whole chain the first time) and
     * moves the witness forward; it finds rows cut behind it as a verification does.
     */
    @Test
    void theScheduledCheckReadsOnlyTheRowsSinceTheWitness(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit-witness");
        AuditLog witnessed = withWitness(file);
        List<AuditEntry> rows = appended(chain(0, 1), 1200, "row ");
        stub(rows.subList(0, 600));
        ChainVerification first = witnessed.checkSinceWitness();
        assertThat(first.intact()).isTrue();
        assertThat(first.rowsChecked()).isEqualTo(600);

        org.mockito.Mockito.clearInvocations(repository);
        stub(rows);
        ChainVerification next = witnessed.checkSinceWitness();
        assertThat(next.intact()).isTrue();
        assertThat(next.rowsChecked()).as("rows 601 to 1200").isEqualTo(600);
        org.mockito.Mockito.verify(repository).pageFrom(600, 1);
        org.mockito.Mockito.verify(repository, org.mockito.Mockito.never()).pageFrom(1, 500);
        assertThat(Files.readString(file)).startsWith("1200 ");
        // The scheduled method itself (its own transaction) moves it on as well.
        List<AuditEntry> more = appended(rows, 1300, "row ");
        stub(more);
        witnessed.witnessTheHead();
        assertThat(Files.readString(file)).startsWith("1300 " + more.get(1299).hash() + " ");

        stub(rows.subList(0, 1100));
        assertThat(witnessed.checkSinceWitness().problem()).contains("the chain ends at row 1100, but this node saw it "
                + "intact up to row 1300");
        stub(appended(rows.subList(0, 1100), 1350, "written after the cut "));
        ChainVerification rewritten = witnessed.checkSinceWitness();
        assertThat(rewritten.firstBrokenSeq()).isEqualTo(1300);
        assertThat(rewritten.problem()).contains("not the row this node saw there");
    }

    @Test
    void rowsBeforeTheChainWasKeyedThenSignedRowsVerify() {
        ChainVerification v = verify(chain(3, 2));
        assertThat(v.intact()).isTrue();
        assertThat(v.rowsChecked()).isEqualTo(5);
    }

    /**
     * A witness the portal did not write is reported, never taken for "nothing seen yet", and is left as it is; the
     * chain is still walked, and a break in it is reported as such.
     */
    @Test
    void anUnreadableWitnessIsReportedWhileTheChainIsStillWalked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit-witness");
        AuditLog witnessed = withWitness(file);
        List<AuditEntry> rows = appended(chain(0, 1), 1200, "row ");
        Files.writeString(file, "garbage");
        stub(rows);
        ChainVerification unverified = witnessed.verify();
        assertThat(unverified.intact()).isFalse();
        assertThat(unverified.firstBrokenSeq()).isEqualTo(-1);
        assertThat(unverified.rowsChecked()).isEqualTo(1200);
        assertThat(unverified.problem()).contains("witness (portal.audit.witness-file) cannot be read")
                .contains("not a row the portal recorded").doesNotContain(dir.toString());
        assertThat(Files.readString(file)).isEqualTo("garbage");
        List<AuditEntry> altered = new ArrayList<>(rows);
        altered.set(9, new AuditEntry(10, rows.get(9).occurredAt(), "mallory", rows.get(9).action(), rows.get(9)
                .target(), rows.get(9).details(), rows.get(9).prevHash(), rows.get(9).hash(), rows.get(9).chainKey()));
        stub(altered);
        assertThat(witnessed.verify().firstBrokenSeq()).isEqualTo(10);
        // Nor is a witness that cannot be read at all taken for "nothing seen" (a folder where the file should be).
        Files.delete(file);
        Files.createDirectory(file);
        stub(rows);
        assertThat(witnessed.verify().problem()).contains("cannot be read: IOException");
    }

    /**
     * Whoever writes the database but lacks the key: alters a row and recomputes every hash after it as the portal did
     * before the chain was keyed (plain SHA-256, no key id), the head included. Before 6 December that passed.
     */
    @Test
    void aChainRewrittenWithoutTheKeyIsFound() {
        List<AuditEntry> original = chain(1, 3);
        List<AuditEntry> forged = new ArrayList<>();
        String prev = AuditLog.GENESIS_HASH;
        for (AuditEntry e : original) {
            prev = add(forged, e.seq(), prev, null, e.seq() == 2 ? "amount=1000" : e.details());
        }
        ChainVerification v = verify(forged);
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(4);
        assertThat(v.problem()).contains("not signed with the current chain key");

        // Rewritten from the altered row on, keeping the signed rows before it: the first unsigned one shows.
        List<AuditEntry> tail = new ArrayList<>(original.subList(0, 2));
        prev = tail.get(1).hash();
        prev = add(tail, 3, prev, null, "amount=1000");
        add(tail, 4, prev, null, "row 4");
        v = verify(tail);
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(3);
        assertThat(v.problem()).contains("not signed with the chain key, though rows before it are");

        // Re-signed with another key: a key id the portal does not hold.
        List<AuditEntry> other = new ArrayList<>();
        ChainKeys.Key stranger = new ChainKeys(new byte[32], List.of()).current();
        prev = AuditLog.GENESIS_HASH;
        for (AuditEntry e : original) {
            prev = add(other, e.seq(), prev, stranger, e.details());
        }
        v = verify(other);
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(1);
        assertThat(v.problem()).contains("chain key " + stranger.id()).contains("does not hold");
    }

    /**
     * The first start after the upgrade finds the newest row unsigned and signs one after it; the chain then verifies.
     * Without that row, a chain of unsigned rows only is what a rewrite without the key leaves, and is reported.
     */
    @Test
    void theFirstStartAfterTheUpgradeSignsOneRow() {
        List<AuditEntry> rows = chain(3, 0);
        assertThat(verify(rows).problem()).contains("not signed with the current chain key");
        AuditEntry last = rows.get(2);
        given(repository.lockHead()).willReturn(new AuditRepository.Head(3, last.hash()));
        given(repository.signedWith(3)).willReturn(java.util.Optional.empty());

        audit.signTheChain();

        org.mockito.ArgumentCaptor<AuditEntry> written = org.mockito.ArgumentCaptor.forClass(AuditEntry.class);
        org.mockito.Mockito.verify(repository).insert(written.capture());
        AuditEntry signed = written.getValue();
        assertThat(signed.seq()).isEqualTo(4);
        assertThat(signed.action()).isEqualTo(AuditActions.AUDIT_CHAIN_KEYED);
        assertThat(signed.chainKey()).isEqualTo(keys.current().id());
        assertThat(signed.prevHash()).isEqualTo(last.hash());
        rows.add(signed);
        assertThat(verify(rows).intact()).isTrue();

        // A later start finds the newest row signed: nothing more.
        given(repository.lockHead()).willReturn(new AuditRepository.Head(4, signed.hash()));
        given(repository.signedWith(4)).willReturn(java.util.Optional.of(keys.current().id()));
        audit.signTheChain();
        org.mockito.Mockito.verify(repository, org.mockito.Mockito.times(1)).insert(org.mockito.ArgumentMatchers.any());
    }

    /** After a rotation of the chain key, rows signed with the earlier key still verify while it is configured. */
    @Test
    void rowsSignedWithAnEarlierKeyVerifyWhileItIsListed() {
        ChainKeys.Key earlier = new ChainKeys(EARLIER, List.of()).current();
        List<AuditEntry> rows = new ArrayList<>();
        String prev = add(rows, 1, AuditLog.GENESIS_HASH, earlier, "before the rotation");
        add(rows, 2, prev, keys.current(), "after the rotation");
        assertThat(verify(rows).intact()).isTrue();

        AuditLog withoutEarlier = new AuditLog(repository, new ChainKeys(KEY, List.of()),
                new ChainWitness((Path) null), Clock.systemUTC(), mock(PlatformTransactionManager.class));
        ChainVerification v = withoutEarlier.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("chain key " + earlier.id());
    }

    /**
     * The earlier key may have been seen (that is why it was rotated): a row it signs after rows of the current key,
     * or a chain cut back to rows of the earlier key, is reported, though each row's signature holds.
     */
    @Test
    void anEarlierKeySignsNothingAfterTheCurrentOne() {
        ChainKeys.Key earlier = new ChainKeys(EARLIER, List.of()).current();
        List<AuditEntry> rows = new ArrayList<>();
        String prev = add(rows, 1, AuditLog.GENESIS_HASH, earlier, "before the rotation");
        prev = add(rows, 2, prev, keys.current(), "after the rotation");
        add(rows, 3, prev, earlier, "forged with the leaked key");
        ChainVerification v = verify(rows);
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(3);
        assertThat(v.problem()).contains("older than the key of the row before it");

        v = verify(rows.subList(0, 1));
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("not signed with the current chain key");

        // The start after the rotation signs a row with the current key after the earlier key's rows.
        given(repository.lockHead()).willReturn(new AuditRepository.Head(1, rows.get(0).hash()));
        given(repository.signedWith(1)).willReturn(java.util.Optional.of(earlier.id()));
        audit.signTheChain();
        org.mockito.ArgumentCaptor<AuditEntry> written = org.mockito.ArgumentCaptor.forClass(AuditEntry.class);
        org.mockito.Mockito.verify(repository).insert(written.capture());
        assertThat(written.getValue().chainKey()).isEqualTo(keys.current().id());
        assertThat(verify(List.of(rows.get(0), written.getValue())).intact()).isTrue();
    }

    @Test
    void aRowWrittenWhileTheWalkRunsIsNotTakenForRowsRemoved() {
        List<AuditEntry> rows = chain(4);
        // The head says 3 rows when the walk begins; row 4 commits before the walk reads its page.
        given(repository.head()).willReturn(new AuditRepository.Head(3, rows.get(2).hash()),
                new AuditRepository.Head(4, rows.get(3).hash()));
        given(repository.pageFrom(anyLong(), anyInt())).willReturn(rows);
        ChainVerification v = audit.verify();
        assertThat(v.intact()).isTrue();
        assertThat(v.rowsChecked()).isEqualTo(3);
    }

    @Test
    void rowsRemovedFromTheEndAreStillFound() {
        List<AuditEntry> rows = chain(4);
        given(repository.head()).willReturn(new AuditRepository.Head(4, rows.get(3).hash()));
        given(repository.pageFrom(anyLong(), anyInt())).willReturn(rows.subList(0, 3));
        ChainVerification v = audit.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("rows after 3 were removed");
    }
}
