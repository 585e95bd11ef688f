package com.bedrockportal.monitoring;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.bedrockportal.provisioning.ActivityTrail;
import com.bedrockportal.provisioning.ActivityTrail.TrailEvent;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.SpendReports;
import com.bedrockportal.testsupport.MutableClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A key's evidence: the window asked, the cap said, both spend periods summed, a failing part reported, not thrown. */
class KeyEvidenceTest {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    final MutableClock clock = new MutableClock(NOW);
    final List<Object[]> trailAsked = new ArrayList<>();
    final AtomicReference<Object[]> spendAsked = new AtomicReference<>();
    List<TrailEvent> events = List.of();
    RuntimeException trailFails;
    RuntimeException spendFails;

    final ActivityTrail trail = (user, from, to, max) -> {
        trailAsked.add(new Object[] { user, from, to, max });
        if (trailFails != null) {
            throw trailFails;
        }
        return events.stream().limit(max).toList();
    };

    final SpendReports spend = (unit, app, from, to) -> {
        spendAsked.set(new Object[] { unit, app, from, to });
        if (spendFails != null) {
            throw spendFails;
        }
        return from.datesUntil(to).map(d -> new SpendReports.DailySpend(d, d.isBefore(LocalDate.of(2026, 2, 1))
                ? new BigDecimal("1.00") : new BigDecimal("0.50"))).toList();
    };

    KeyEvidence evidence(int maxEvents) {
        return new KeyEvidence(null, null, null, trail, spend, new EvidenceProperties(Duration.ofDays(7), maxEvents,
                30), clock);
    }

    static TrailEvent event(int i, String credential, String error) {
        return new TrailEvent("e" + i, NOW.minusSeconds(60L * i), "InvokeModel", "bedrock.amazonaws.com",
                "192.0.2.1", "python-requests/2.32.3", "us-east-1", error, credential);
    }

    @Test
    void readsTheLastSevenDaysAndComparesTheLastThirtyDaysWithTheThirtyBefore() {
        events = List.of(event(1, "ACCA1", null), event(2, "ACCA1", "AccessDenied"), event(3, "AKIAPORTAL", null));
        KeyEvidence.Evidence e = evidence(200).gather(7, "marketing-chat-bedrock", "ACCA1", "marketing", "chat");

        assertThat(trailAsked).singleElement().satisfies(a -> {
            assertThat(a[0]).isEqualTo("marketing-chat-bedrock");
            assertThat(a[1]).isEqualTo(NOW.minus(Duration.ofDays(7)));
            assertThat(a[2]).isEqualTo(NOW);
            assertThat(a[3]).isEqualTo(201);
        });
        assertThat(e.events()).hasSize(3);
        assertThat(e.eventsCut()).isFalse();
        assertThat(e.eventsWithTheKey()).isEqualTo(2);
        assertThat(e.refusedEvents()).isEqualTo(1);

        // 2026-03-02 is today: the last 30 days are 2026-02-01..03-02, the 30 before 2026-01-02..01-31
        assertThat(spendAsked.get()).containsExactly("marketing", "chat", LocalDate.of(2026, 1, 2),
                LocalDate.of(2026, 3, 3));
        assertThat(e.daily()).hasSize(60);
        assertThat(e.recentUsd()).isEqualByComparingTo("15.00");
        assertThat(e.previousUsd()).isEqualByComparingTo("30.00");
        assertThat(e.eventsError()).isNull();
        assertThat(e.spendError()).isNull();
    }

    @Test
    void saysWhenTheEventsWereCut() {
        List<TrailEvent> many = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            many.add(event(i, "ACCA1", null));
        }
        events = many;
        KeyEvidence.Evidence e = evidence(10).gather(7, "u", "ACCA1", "marketing", null);
        assertThat(e.events()).hasSize(10).first().isEqualTo(many.get(0));
        assertThat(e.eventsCut()).isTrue();
        assertThat(spendAsked.get()[1]).as("no application: the unit's spend").isNull();
    }

    @Test
    void aFailingPartIsReportedAndTheOtherStillGathered() {
        trailFails = new CloudException(CloudException.Kind.TRANSIENT, "LookupEvents", "ThrottlingException: Rate "
                + "exceeded");
        KeyEvidence.Evidence e = evidence(200).gather(7, "u", "ACCA1", "marketing", "chat");
        assertThat(e.eventsError()).contains("Rate exceeded");
        assertThat(e.transientFailure()).isTrue();
        assertThat(e.recentUsd()).isEqualByComparingTo("15.00");

        trailFails = null;
        spendFails = new CloudException(CloudException.Kind.ACCESS_DENIED, "GetCostAndUsage", "AccessDeniedException");
        KeyEvidence.Evidence denied = evidence(200).gather(7, "u", "ACCA1", "marketing", "chat");
        assertThat(denied.spendError()).contains("AccessDenied");
        assertThat(denied.transientFailure()).isFalse();
        assertThat(denied.recentUsd()).isZero();
    }
}
