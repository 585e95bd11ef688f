package com.bedrockportal.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/** The chain's verification against the head as it was when the walk began. */
class AuditVerifyTest {

    private final AuditRepository repository = mock(AuditRepository.class);
    private final AuditLog audit = new AuditLog(repository, Clock.systemUTC(), mock(PlatformTransactionManager.class));

    private static List<AuditEntry> chain(int rows) {
        List<AuditEntry> out = new ArrayList<>();
        String prev = AuditLog.GENESIS_HASH;
        for (long seq = 1; seq <= rows; seq++) {
            Instant at = Instant.parse("2026-12-01T09:00:00Z").plusSeconds(seq);
            String hash = AuditHashes.hash(seq, at, "alice", "KEY_REVEALED", "key:" + seq, "row " + seq, prev);
            out.add(new AuditEntry(seq, at, "alice", "KEY_REVEALED", "key:" + seq, "row " + seq, prev, hash));
            prev = hash;
        }
        return out;
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
