package com.bedrockportal.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.testsupport.MutableClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

/**
 * A loop of bad requests to a webhook writes at most its allowance of audit rows per address and window, then one
 * row saying how many were left out; another address and another endpoint have their own allowance.
 */
class RefusalAuditTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final List<String> rows = new ArrayList<>();
    private final RefusalAudit refusals;

    RefusalAuditTest() {
        AuditLog audit = mock(AuditLog.class);
        doAnswer(call -> rows.add(call.getArgument(0) + " | " + call.getArgument(1) + " | " + call.getArgument(2)
                + " | " + call.getArgument(3))).when(audit).record(anyString(), anyString(), anyString(), anyString());
        refusals = new RefusalAudit(audit, clock, 3, 5, Duration.ofMinutes(1));
    }

    @Test
    void aFloodFromOneAddressWritesItsAllowanceThenOneSummaryRow() {
        for (int i = 0; i < 1000; i++) {
            clock.advance(Duration.ofMillis(50));
            refusals.refused("secret-scanner", "SECRET_SCANNING_REFUSED", "secret-scanning", "203.0.113.9",
                    "bad signature");
        }
        assertThat(rows).hasSize(3).allSatisfy(r -> assertThat(r)
                .isEqualTo("secret-scanner | SECRET_SCANNING_REFUSED | secret-scanning | bad signature (from "
                        + "203.0.113.9)"));

        clock.advance(Duration.ofSeconds(11)); // the window (from the first refusal) has ended
        refusals.flush();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(3)).isEqualTo("secret-scanner | SECRET_SCANNING_REFUSED | secret-scanning | 997 more "
                + "refusals suppressed between 2026-12-04T10:00:00Z and 2026-12-04T10:00:50Z (from 203.0.113.9; at "
                + "most 3 rows per address in PT1M)");
        refusals.flush();
        assertThat(rows).hasSize(4);
    }

    @Test
    void eachAddressHasItsOwnAllowanceUpToATotalPerEndpoint() {
        for (int address = 1; address <= 4; address++) {
            for (int i = 0; i < 2; i++) {
                refusals.refused("slack", "CHAT_SLACK_REFUSED", "slack interactions", "198.51.100." + address,
                        "bad signature");
            }
        }
        // 4 addresses x 2, but at most 5 rows for the endpoint in a window.
        assertThat(rows).hasSize(5);
        refusals.refused("secret-scanner", "SECRET_SCANNING_REFUSED", "secret-scanning", "198.51.100.1", "bad");
        assertThat(rows).hasSize(6);

        clock.advance(Duration.ofMinutes(1));
        refusals.flush();
        assertThat(rows.subList(6, rows.size())).singleElement().satisfies(r -> assertThat(r).startsWith(
                "slack | CHAT_SLACK_REFUSED | slack interactions | 3 more refusals suppressed between")
                .endsWith("from various addresses (at most 5 rows in PT1M)"));
    }
}
