package com.bedrockportal.audit;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditHashesTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:15:30.123Z");

    @Test
    void hashDependsOnEveryFieldAndThePreviousHash() {
        String base = AuditHashes.hash(1, AT, "alice", "LOGIN_SUCCESS", "user:alice", "roles", AuditLog.GENESIS_HASH);
        assertThat(base).hasSize(64).isEqualTo(
                AuditHashes.hash(1, AT, "alice", "LOGIN_SUCCESS", "user:alice", "roles", AuditLog.GENESIS_HASH));
        assertThat(AuditHashes.hash(2, AT, "alice", "LOGIN_SUCCESS", "user:alice", "roles", AuditLog.GENESIS_HASH)).isNotEqualTo(base);
        assertThat(AuditHashes.hash(1, AT.plusMillis(1), "alice", "LOGIN_SUCCESS", "user:alice", "roles", AuditLog.GENESIS_HASH)).isNotEqualTo(base);
        assertThat(AuditHashes.hash(1, AT, "alicE", "LOGIN_SUCCESS", "user:alice", "roles", AuditLog.GENESIS_HASH)).isNotEqualTo(base);
        assertThat(AuditHashes.hash(1, AT, "alice", "LOGIN_FAILURE", "user:alice", "roles", AuditLog.GENESIS_HASH)).isNotEqualTo(base);
        assertThat(AuditHashes.hash(1, AT, "alice", "LOGIN_SUCCESS", "user:bob", "roles", AuditLog.GENESIS_HASH)).isNotEqualTo(base);
        assertThat(AuditHashes.hash(1, AT, "alice", "LOGIN_SUCCESS", "user:alice", null, AuditLog.GENESIS_HASH)).isNotEqualTo(base);
        assertThat(AuditHashes.hash(1, AT, "alice", "LOGIN_SUCCESS", "user:alice", "roles", "f".repeat(64))).isNotEqualTo(base);
    }

    @Test
    void fieldBoundariesCannotBeShiftedToForgeTheSameHash() {
        assertThat(AuditHashes.hash(1, AT, "ab", "c", null, null, AuditLog.GENESIS_HASH))
                .isNotEqualTo(AuditHashes.hash(1, AT, "a", "bc", null, null, AuditLog.GENESIS_HASH));
        assertThat(AuditHashes.hash(1, AT, "a", "b", "", null, AuditLog.GENESIS_HASH))
                .isNotEqualTo(AuditHashes.hash(1, AT, "a", "b", null, "", AuditLog.GENESIS_HASH));
    }

    @Test
    void csvCellsAreQuotedAndFormulasDefused() throws Exception {
        StringBuilder out = new StringBuilder();
        try (org.apache.commons.csv.CSVPrinter csv = new org.apache.commons.csv.CSVPrinter(out, AuditLog.CSV_RECORDS)) {
            csv.printRecord(1, AuditLog.defuse("plain"), AuditLog.defuse("say \"hi\", ok"),
                    AuditLog.defuse("=HYPERLINK(\"x\")"), AuditLog.defuse("@SUM(1)"), AuditLog.defuse(null));
        }
        assertThat(out.toString()).isEqualTo(
                "\"1\",\"plain\",\"say \"\"hi\"\", ok\",\"'=HYPERLINK(\"\"x\"\")\",\"'@SUM(1)\",\r\n");
    }
}
