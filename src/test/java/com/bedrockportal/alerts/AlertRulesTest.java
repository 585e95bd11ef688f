package com.bedrockportal.alerts;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.bedrockportal.alerts.Alert.Rule;
import com.bedrockportal.alerts.Alert.Severity;
import com.bedrockportal.alerts.AlertRules.Decision;
import com.bedrockportal.alerts.AlertRules.Event;
import com.bedrockportal.alerts.AlertRules.Finding;
import com.bedrockportal.shared.FormValidation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule at its boundary, the de-duplication, and what "materially worse" lets back in after a dismissal. */
class AlertRulesTest {

    static final Instant T0 = Instant.parse("2025-06-10T12:00:00Z");
    static final Instant NOW = Instant.parse("2025-06-10T18:00:00Z");

    static AlertsProperties.Rules rules(boolean on) {
        return new AlertsProperties.Rules(new AlertsProperties.Spend(on, Severity.HIGH, 80, 25),
                new AlertsProperties.DeniedBurst(on, Severity.HIGH, 10, Duration.ofMinutes(5), 2),
                new AlertsProperties.OutsideRange(on, Severity.HIGH, 1, 2),
                new AlertsProperties.UnusedKey(on, Severity.LOW, 30),
                new AlertsProperties.CreatedOutside(on, Severity.CRITICAL));
    }

    final AlertRules rules = new AlertRules(rules(true), FormValidation.standalone());
    final AlertRules off = new AlertRules(rules(false), FormValidation.standalone());

    static AlertRules.SpendRow spend(String budget, String actual, String forecast, Integer threshold) {
        return new AlertRules.SpendRow("APPLICATION", 7, "2025-06", 3, 7L, "campaign-copy", "Marketing",
                "marketing-campaign-copy-bedrock-monthly", new BigDecimal(budget), new BigDecimal(actual),
                forecast == null ? null : new BigDecimal(forecast), threshold, T0);
    }

    static Event denied(long app, Instant at, int n) {
        return new Event("ev-" + app + "-" + n + "-" + at.toEpochMilli(), app, "App " + app, 3, at, "InvokeModel",
                "198.51.100." + (n % 3), "us-east-1", "AccessDenied", "ACCA" + app, 40L + app);
    }

    /** {@code n} refused calls of application 7 spread evenly from T0 over {@code span}. */
    static List<Event> burst(int n, Duration span) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(denied(7, T0.plus(span.multipliedBy(i).dividedBy(Math.max(1, n - 1))), i));
        }
        return events;
    }

    static Alert alert(Finding f, Alert.Status status, long measure, String marks, Instant actedAt) {
        return new Alert(1, f.rule(), f.severity(), status, f.fingerprint(), f.applicationId(), "app", 3L, "unit",
                f.keyId(), "ABSKQmVkcm9j", f.title(), f.evidence(), measure, marks, f.firstSeen(), f.lastSeen(), 1,
                f.firstSeen(), status == Alert.Status.OPEN ? null : "sara", actedAt,
                status == Alert.Status.OPEN ? null : Alert.Action.DISMISSED, "known", null);
    }

    // --- spend

    @Test
    void spendAtTheThresholdIsNoAlertJustOverItIs() {
        assertThat(rules.spend(List.of(spend("300", "240.00", "290", 80)))).isEmpty();
        List<Finding> over = rules.spend(List.of(spend("300", "240.01", "290", 80)));
        assertThat(over).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(Rule.SPEND_OVER_BUDGET);
            assertThat(f.fingerprint()).isEqualTo("SPEND_OVER_BUDGET:APPLICATION:7:2025-06");
            assertThat(f.measure()).isEqualTo(80);
            assertThat(f.title()).contains("campaign-copy", "80 %", "80 % alert threshold");
            assertThat(f.evidence()).contains("USD 300.00", "USD 240.01", "USD 290.00");
        });
    }

    @Test
    void aForecastOverTheBudgetAlertsBeforeTheThresholdIsReached() {
        assertThat(rules.spend(List.of(spend("300", "100", "300", 80)))).isEmpty();
        assertThat(rules.spend(List.of(spend("300", "100", "300.01", 80)))).singleElement()
                .satisfies(f -> assertThat(f.title()).contains("forecast at 100 %"));
    }

    @Test
    void aBudgetWithoutThresholdUsesTheDefaultAndOneWithoutAmountIsSkipped() {
        assertThat(rules.spend(List.of(spend("100", "80.5", null, null)))).hasSize(1);
        assertThat(rules.spend(List.of(spend("0", "80.5", "500", null)))).isEmpty();
        assertThat(off.spend(List.of(spend("100", "99", "500", 50)))).isEmpty();
    }

    // --- AccessDenied burst

    @Test
    void tenRefusedCallsWithinFiveMinutesAreABurstNineAreNot() {
        assertThat(rules.deniedBursts(burst(9, Duration.ofMinutes(1)))).isEmpty();
        List<Finding> found = rules.deniedBursts(burst(10, Duration.ofMinutes(5)));
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.measure()).isEqualTo(10);
            assertThat(f.fingerprint()).isEqualTo("DENIED_BURST:app:7");
            assertThat(f.keyId()).isEqualTo(47L);
            assertThat(f.evidence()).contains("10 calls refused within 5 minutes", "AccessDenied", "198.51.100.")
                    .hasLineCount(1 + AlertRules.MAX_EVIDENCE_EVENTS);
        });
    }

    @Test
    void tenRefusedCallsSpreadOverMoreThanFiveMinutesAreNoBurst() {
        assertThat(rules.deniedBursts(burst(10, Duration.ofMinutes(5).plusSeconds(1)))).isEmpty();
        assertThat(off.deniedBursts(burst(30, Duration.ofMinutes(1)))).isEmpty();
    }

    @Test
    void eachApplicationIsCountedOnItsOwn() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(denied(7, T0.plusSeconds(i), i));
            events.add(denied(8, T0.plusSeconds(i), i));
        }
        assertThat(rules.deniedBursts(events)).isEmpty();
    }

    @Test
    void evidenceShowsAtMostTenEventsWhateverTheBurst() {
        Finding f = rules.deniedBursts(burst(500, Duration.ofMinutes(4))).get(0);
        assertThat(f.measure()).isEqualTo(500);
        assertThat(f.evidence().lines().count()).isEqualTo(1 + AlertRules.MAX_EVIDENCE_EVENTS);
    }

    // --- outside the ranges

    @Test
    void oneCallFromOutsideTheRangesIsAnAlertNoneIsNot() {
        assertThat(rules.outsideRange(List.of())).isEmpty();
        Finding f = rules.outsideRange(List.of(denied(7, T0, 0))).get(0);
        assertThat(f.rule()).isEqualTo(Rule.OUTSIDE_IP_RANGE);
        assertThat(f.marks()).containsExactly("198.51.100.0");
        assertThat(f.title()).contains("1 call(s) from 1 address(es)");
    }

    // --- unused keys

    static AlertRules.KeyUse use(Instant created, Instant lastUsed, Instant refreshed) {
        return new AlertRules.KeyUse(41, "ABSKQmVkcm9j", 7, "campaign-copy", 3, created, lastUsed, null, refreshed);
    }

    @Test
    void aKeyUnusedForThirtyDaysIsAnAlertTwentyNineDaysIsNot() {
        Instant created = T0.minus(Duration.ofDays(90));
        Instant lastUsed = T0.minus(Duration.ofDays(30));
        assertThat(rules.unusedKeys(List.of(use(created, lastUsed.plusSeconds(1), T0)))).isEmpty();
        assertThat(rules.unusedKeys(List.of(use(created, lastUsed, T0)))).singleElement().satisfies(f -> {
            assertThat(f.keyId()).isEqualTo(41L);
            assertThat(f.measure()).isEqualTo(30);
            assertThat(f.title()).contains("unused for 30 days");
        });
    }

    @Test
    void aKeyNeverUsedCountsFromItsCreationAndANewerCallOfAnOlderKeyDoesNotHelp() {
        assertThat(rules.unusedKeys(List.of(use(T0.minus(Duration.ofDays(31)), null, T0)))).hasSize(1);
        assertThat(rules.unusedKeys(List.of(use(T0.minus(Duration.ofDays(29)), null, T0)))).isEmpty();
        // The application's last call predates this key: the key itself was never used.
        assertThat(rules.unusedKeys(List.of(use(T0.minus(Duration.ofDays(31)), T0.minus(Duration.ofDays(60)), T0))))
                .hasSize(1);
    }

    // --- created outside the portal

    @Test
    void eachOpenDriftFindingOfAResourceCreatedOutsideThePortalIsOneCondition() {
        var d = new AlertRules.CreatedOutside(12, "KEY_OUTSIDE_PORTAL", "Key created outside the portal", 7L,
                "campaign-copy", 3L, "mk-campaign-copy-bedrock", "ACCAEXAMPLE", "Active in AWS", T0, NOW);
        assertThat(rules.createdOutside(List.of(d))).singleElement().satisfies(f -> {
            assertThat(f.fingerprint()).isEqualTo("CREATED_OUTSIDE_PORTAL:drift:12");
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.evidence()).contains("ACCAEXAMPLE", "drift finding #12");
        });
        assertThat(off.createdOutside(List.of(d))).isEmpty();
    }

    // --- de-duplication

    @Test
    void theSameEvidenceChangesNothingNewerEvidenceUpdatesTheOpenAlert() {
        Finding f = rules.deniedBursts(burst(10, Duration.ofMinutes(2))).get(0);
        assertThat(rules.decide(f, null, null, NOW, Duration.ofDays(30))).isEqualTo(Decision.RAISE);
        Alert open = alert(f, Alert.Status.OPEN, 10, null, null);
        assertThat(rules.decide(f, open, null, NOW, Duration.ofDays(30))).isEqualTo(Decision.UNCHANGED);
        List<Event> more = new ArrayList<>(burst(10, Duration.ofMinutes(2)));
        more.add(denied(7, T0.plus(Duration.ofMinutes(3)), 99));
        Finding newer = rules.deniedBursts(more).get(0);
        assertThat(rules.decide(newer, open, null, NOW, Duration.ofDays(30))).isEqualTo(Decision.UPDATE);
    }

    @Test
    void aDismissedBurstStaysQuietUntilTwiceAsManyCallsAreRefused() {
        Finding f = rules.deniedBursts(burst(10, Duration.ofMinutes(2))).get(0);
        Alert dismissed = alert(f, Alert.Status.DISMISSED, 10, null, NOW.minus(Duration.ofHours(1)));
        assertThat(rules.decide(f, null, dismissed, NOW, Duration.ofDays(30))).isEqualTo(Decision.QUIET);
        Finding nineteen = rules.deniedBursts(burst(19, Duration.ofMinutes(2))).get(0);
        assertThat(rules.decide(nineteen, null, dismissed, NOW, Duration.ofDays(30))).isEqualTo(Decision.QUIET);
        Finding twenty = rules.deniedBursts(burst(20, Duration.ofMinutes(2))).get(0);
        assertThat(rules.decide(twenty, null, dismissed, NOW, Duration.ofDays(30))).isEqualTo(Decision.RAISE);
        // After the quiet period the same condition is raised again.
        assertThat(rules.decide(f, null, dismissed, NOW.plus(Duration.ofDays(30)), Duration.ofDays(30)))
                .isEqualTo(Decision.RAISE);
    }

    @Test
    void aDismissedOutsideRangeAlertComesBackForANewAddressOnly() {
        Finding f = rules.outsideRange(List.of(denied(7, T0, 0), denied(7, T0.plusSeconds(1), 1))).get(0);
        Alert dismissed = alert(f, Alert.Status.DISMISSED, 2, "198.51.100.0,198.51.100.1", NOW);
        Finding same = rules.outsideRange(List.of(denied(7, T0, 0), denied(7, T0.plusSeconds(1), 1),
                denied(7, T0.plusSeconds(2), 0))).get(0);
        assertThat(rules.decide(same, null, dismissed, NOW, Duration.ofDays(30))).isEqualTo(Decision.QUIET);
        Finding newAddress = rules.outsideRange(List.of(denied(7, T0, 2))).get(0);
        assertThat(rules.decide(newAddress, null, dismissed, NOW, Duration.ofDays(30))).isEqualTo(Decision.RAISE);
    }

    @Test
    void aDismissedSpendAlertComesBackAt25PointsMoreOrOverTheBudget() {
        Finding f = rules.spend(List.of(spend("100", "81", null, 80))).get(0);
        Alert dismissed = alert(f, Alert.Status.DISMISSED, 81, null, NOW);
        assertThat(rules.decide(rules.spend(List.of(spend("100", "99", null, 80))).get(0), null, dismissed, NOW,
                Duration.ofDays(30))).isEqualTo(Decision.QUIET);
        assertThat(rules.decide(rules.spend(List.of(spend("100", "100", null, 80))).get(0), null, dismissed, NOW,
                Duration.ofDays(30))).isEqualTo(Decision.RAISE);
        Alert at95 = alert(f, Alert.Status.DISMISSED, 95, null, NOW);
        assertThat(rules.decide(rules.spend(List.of(spend("100", "119", null, 80))).get(0), null, at95, NOW,
                Duration.ofDays(30))).isEqualTo(Decision.RAISE);
        Alert at110 = alert(f, Alert.Status.DISMISSED, 110, null, NOW);
        assertThat(rules.decide(rules.spend(List.of(spend("100", "134", null, 80))).get(0), null, at110, NOW,
                Duration.ofDays(30))).isEqualTo(Decision.QUIET);
    }

    @Test
    void aDismissedUnusedKeyOrDriftAlertNeverComesBackWithinTheQuietPeriod() {
        Finding f = rules.unusedKeys(List.of(use(T0.minus(Duration.ofDays(31)), null, T0))).get(0);
        Alert dismissed = alert(f, Alert.Status.DISMISSED, 31, null, NOW);
        Finding later = rules.unusedKeys(List.of(use(T0.minus(Duration.ofDays(31)), null, T0.plus(Duration
                .ofDays(20))))).get(0);
        assertThat(later.measure()).isEqualTo(51);
        assertThat(rules.decide(later, null, dismissed, NOW, Duration.ofDays(30))).isEqualTo(Decision.QUIET);
        assertThat(rules.materiallyWorse(later, dismissed)).isFalse();
        assertThat(AlertRules.marks(" a, b ,,c")).isEqualTo(Set.of("a", "b", "c"));
    }
}
