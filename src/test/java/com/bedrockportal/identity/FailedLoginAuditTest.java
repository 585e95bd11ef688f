package com.bedrockportal.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.testsupport.MutableClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailedLoginAuditTest {

    private final List<SecurityEvents.LoginFailed> rows = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));

    private FailedLoginAudit audit(int perUserAndAddress, int total) {
        IdentityProperties props = new IdentityProperties(null, "portal", null, List.of("openid"),
                "preferred_username", "groups", null, null,
                new IdentityProperties.FailedLoginAudit(perUserAndAddress, total, Duration.ofMinutes(1)));
        return new FailedLoginAudit(e -> rows.add((SecurityEvents.LoginFailed) e), clock, props);
    }

    @Test
    void atMostNRowsPerUserAndAddressAMinuteThenOneRowSaysHowManyWereSuppressed() {
        FailedLoginAudit audit = audit(5, 1000);
        for (int i = 0; i < 25; i++) {
            clock.advance(Duration.ofSeconds(1));
            audit.failed("mallory", "203.0.113.7", "wrong username or password");
        }
        assertThat(rows).hasSize(5).allSatisfy(r -> {
            assertThat(r.username()).isEqualTo("mallory");
            assertThat(r.reason()).isEqualTo("from 203.0.113.7: wrong username or password");
        });

        // The minute ends: the timer writes the summary even though no further failure comes.
        clock.advance(Duration.ofSeconds(40));
        audit.flush();
        assertThat(rows).hasSize(6);
        assertThat(rows.get(5).username()).isEqualTo("mallory");
        assertThat(rows.get(5).reason()).startsWith("from 203.0.113.7: 20 more failures suppressed between "
                + "2026-03-02T10:00:01Z and 2026-03-02T10:00:25Z");

        audit.flush();
        assertThat(rows).hasSize(6);
        // A new minute starts from zero.
        audit.failed("mallory", "203.0.113.7", "wrong username or password");
        assertThat(rows).hasSize(7);
    }

    @Test
    void otherUsersAndAddressesHaveTheirOwnAllowance() {
        FailedLoginAudit audit = audit(2, 1000);
        for (int i = 0; i < 4; i++) {
            audit.failed("mallory", "203.0.113.7", "wrong");
            audit.failed("mallory", "203.0.113.8", "wrong");
            audit.failed("alice", "203.0.113.7", "wrong");
        }
        assertThat(rows).hasSize(6);
    }

    @Test
    void aSummaryIsWrittenBeforeTheNextFailureOnceTheWindowEnded() {
        FailedLoginAudit audit = audit(1, 1000);
        audit.failed("bob", "198.51.100.1", "wrong");
        audit.failed("bob", "198.51.100.1", "wrong");
        audit.failed("bob", "198.51.100.1", "wrong");
        clock.advance(Duration.ofSeconds(61));
        audit.failed("bob", "198.51.100.1", "wrong");
        assertThat(rows).extracting(SecurityEvents.LoginFailed::reason).containsExactly(
                "from 198.51.100.1: wrong",
                "from 198.51.100.1: 2 more failures suppressed between 2026-03-02T10:00:00Z and 2026-03-02T10:00:00Z"
                        + " (at most 1 rows per user and address in PT1M)",
                "from 198.51.100.1: wrong");
    }

    /** A typed username holds any character: it cannot pass for another user and address in the summary row. */
    @Test
    void aUsernameWithALineBreakCannotForgeTheSummarysUserOrAddress() {
        FailedLoginAudit audit = audit(1, 1000);
        audit.failed("alice\n6.6.6.6", "203.0.113.7", "wrong");
        audit.failed("alice\n6.6.6.6", "203.0.113.7", "wrong");
        clock.advance(Duration.ofSeconds(61));
        audit.flush();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).username()).isEqualTo("alice\n6.6.6.6");
        assertThat(rows.get(1).reason()).startsWith("from 203.0.113.7: 1 more failures suppressed");
    }

    @Test
    void aSprayOverManyUsernamesIsCappedInTotal() {
        FailedLoginAudit audit = audit(5, 10);
        for (int i = 0; i < 100; i++) {
            audit.failed("user" + i, "203.0.113.9", "wrong");
        }
        assertThat(rows).hasSize(10);
        clock.advance(Duration.ofSeconds(60));
        audit.flush();
        assertThat(rows).hasSize(11);
        assertThat(rows.get(10).username()).isNull();
        assertThat(rows.get(10).reason()).startsWith("90 more failures suppressed").contains("for various users");
    }
}
