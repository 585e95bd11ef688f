package com.bedrockportal.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node's witness of the audit chain: only forward, owner-only, and a node that cannot keep one does not start. */
class ChainWitnessTest {

    private static final String HASH = "ab".repeat(32);
    private static final Instant AT = Instant.parse("2026-12-06T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void itMovesOnlyForwardAndIsOwnerOnly() throws Exception {
        Path file = dir.resolve("data/audit-witness");
        ChainWitness witness = new ChainWitness(new AuditProperties(null, null, List.of(), file, java.time.Duration.ofMinutes(15)));
        assertThat(witness.read()).isEmpty();
        witness.advance(7, HASH, AT);
        assertThat(witness.read()).contains(new ChainWitness.Seen(7, HASH, AT));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        witness.advance(5, "cd".repeat(32), AT.plusSeconds(60));
        assertThat(witness.read()).as("never back").contains(new ChainWitness.Seen(7, HASH, AT));
        witness.advance(9, "cd".repeat(32), AT.plusSeconds(60));
        assertThat(witness.read().orElseThrow().seq()).isEqualTo(9);
        try (var left = Files.list(file.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).as("no temporary file left behind")
                    .containsExactlyInAnyOrder("audit-witness", "audit-witness.lock");
        }
    }

    /** A witness that can never be written protects nothing: the start fails naming the setting. */
    @Test
    void aNodeThatCannotKeepAWitnessDoesNotStart() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("data"), "a file where the folder should be");
        assertThatThrownBy(() -> new ChainWitness(new AuditProperties(null, null, List.of(),
                notAFolder.resolve("audit-witness"), java.time.Duration.ofMinutes(15)))).hasMessageContaining("portal.audit.witness-file")
                .hasMessageContaining("PORTAL_AUDIT_WITNESSFILE");
    }

    /**
     * Two contexts of one JVM given the same file (test nodes alike): their moves wait for each other instead of
     * failing on the file lock, and the witness ends at the later row.
     */
    @Test
    void twoWitnessesOfOneFileInOneJvmMoveOneAfterTheOther() throws Exception {
        Path file = dir.resolve("audit-witness");
        ChainWitness one = new ChainWitness(file);
        ChainWitness other = new ChainWitness(file);
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        Thread a = new Thread(() -> {
            for (int i = 1; i <= 200; i += 2) {
                if (!one.advance(i, HASH, AT)) {
                    failed.incrementAndGet();
                }
            }
        });
        Thread b = new Thread(() -> {
            for (int i = 2; i <= 200; i += 2) {
                if (!other.advance(i, HASH, AT)) {
                    failed.incrementAndGet();
                }
            }
        });
        a.start();
        b.start();
        a.join();
        b.join();
        assertThat(failed).as("moves that failed (a file lock taken twice in one JVM)").hasValue(0);
        assertThat(one.read().orElseThrow().seq()).isEqualTo(200);
    }

    @Test
    void aWitnessNamingNoRowIsNotOneThePortalWrote() throws Exception {
        Path file = Files.writeString(dir.resolve("audit-witness"), "0 " + HASH + " " + AT + "\n");
        assertThatThrownBy(() -> new ChainWitness(file).read()).isInstanceOf(ChainWitness.Unreadable.class)
                .hasMessageContaining("not a row the portal recorded");
    }
}
