package com.bedrockportal.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * When the expiry watch acts: a scheduled rotation by age or before expiry (the overlap and the margin, at most half
 * the key's lifetime), the one reminder due now, deletion after expiry.
 */
class ExpiryRulesTest {

    static final Instant CREATED = Instant.parse("2026-03-01T00:00:00Z");
    static final Duration OVERLAP = Duration.ofDays(7);
    static final Duration MARGIN = Duration.ofDays(3);
    static final List<Duration> REMIND = List.of(Duration.ofDays(7), Duration.ofDays(1));

    static Instant day(double d) {
        return CREATED.plus(Duration.ofMinutes(Math.round(d * 24 * 60)));
    }

    static Duration days(long d) {
        return Duration.ofDays(d);
    }

    @Test
    void aNinetyDayKeyRotatedEveryThirtyDaysIsDueAtThirtyDaysOfAge() {
        Instant expires = day(90);
        assertThat(ExpiryRules.rotationDue(CREATED, expires, days(30), OVERLAP, MARGIN, day(29.9))).isEmpty();
        assertThat(ExpiryRules.rotationDue(CREATED, expires, days(30), OVERLAP, MARGIN, day(30)))
                .contains(ExpiryRules.RotationDue.AGE);
    }

    @Test
    void aThirtyDayKeyIsRotatedBeforeItsExpiryLeavesRoomForTheMarginAndTheWholeOverlap() {
        Instant expires = day(30);
        // rotate every 90 days, but the key lives 30: due 7 + 3 days before it expires
        assertThat(ExpiryRules.rotationDue(CREATED, expires, days(90), OVERLAP, MARGIN, day(19.9))).isEmpty();
        assertThat(ExpiryRules.rotationDue(CREATED, expires, days(90), OVERLAP, MARGIN, day(20)))
                .contains(ExpiryRules.RotationDue.EXPIRY);
        // every 30 days on a 30-day key: the expiry comes first, at day 20, not at day 30
        assertThat(ExpiryRules.rotationDue(CREATED, expires, days(30), OVERLAP, MARGIN, day(20)))
                .contains(ExpiryRules.RotationDue.EXPIRY);
    }

    @Test
    void aShortLivedKeyIsNotRotatedAgainTheMomentItIsMadeTheLeadIsAtMostHalfItsLifetime() {
        Instant expires = day(7);
        assertThat(ExpiryRules.rotationDue(CREATED, expires, days(30), OVERLAP, MARGIN, day(0))).isEmpty();
        assertThat(ExpiryRules.rotationDue(CREATED, expires, days(30), OVERLAP, MARGIN, day(3.4))).isEmpty();
        assertThat(ExpiryRules.rotationDue(CREATED, expires, days(30), OVERLAP, MARGIN, day(3.5)))
                .contains(ExpiryRules.RotationDue.EXPIRY);
    }

    @Test
    void anExpiredKeyIsNotRotatedByTheSchedule() {
        assertThat(ExpiryRules.rotationDue(CREATED, day(30), days(30), OVERLAP, MARGIN, day(30))).isEmpty();
        assertThat(ExpiryRules.rotationDue(CREATED, day(30), days(7), OVERLAP, MARGIN, day(31))).isEmpty();
    }

    @Test
    void theSevenDayReminderFromSevenDaysBeforeExpiryThenTheOneDayReminder() {
        Instant expires = day(30);
        assertThat(ExpiryRules.reminderDue(CREATED, expires, REMIND, day(22.9))).isEmpty();
        assertThat(ExpiryRules.reminderDue(CREATED, expires, REMIND, day(23))).contains(days(7));
        assertThat(ExpiryRules.reminderDue(CREATED, expires, REMIND, day(28.9))).contains(days(7));
        assertThat(ExpiryRules.reminderDue(CREATED, expires, REMIND, day(29))).contains(days(1));
        assertThat(ExpiryRules.reminderDue(CREATED, expires, REMIND, day(30))).as("expired").isEmpty();
    }

    @Test
    void aCheckThatRunsLateSendsOnlyTheReminderThatStillMakesSense() {
        // The portal was down from day 22 to 29.5: at 12 hours before expiry only the one-day reminder is due.
        assertThat(ExpiryRules.reminderDue(CREATED, day(30), REMIND, day(29.5))).contains(days(1));
    }

    @Test
    void aReminderAsLongAsTheKeysLifetimeIsSkipped() {
        // A 5-day key gets no "7 days" reminder when it is made, only the 1-day one; a 7-day key neither the 7-day.
        assertThat(ExpiryRules.reminderDue(CREATED, day(5), REMIND, day(0))).isEmpty();
        assertThat(ExpiryRules.reminderDue(CREATED, day(5), REMIND, day(4))).contains(days(1));
        assertThat(ExpiryRules.reminderDue(CREATED, day(7), REMIND, day(0.5))).isEmpty();
    }

    @Test
    void anExpiredKeyIsDeletedSevenDaysAfterItsExpiry() {
        assertThat(ExpiryRules.deleteDue(day(30), days(7), day(36.9))).isFalse();
        assertThat(ExpiryRules.deleteDue(day(30), days(7), day(37))).isTrue();
        assertThat(ExpiryRules.deleteDue(day(30), Duration.ZERO, day(30))).isTrue();
    }

    @Test
    void remindersAreNamedByTheirPeriod() {
        assertThat(ExpiryRules.reminderName(days(7))).isEqualTo("P7D");
        assertThat(ExpiryRules.reminderName(days(1))).isEqualTo("P1D");
        assertThat(ExpiryRules.reminderName(Duration.ofHours(12))).isEqualTo("PT12H");
        assertThat(ExpiryRules.reminderName(Duration.ofHours(36))).isEqualTo("PT36H");
    }

    @Test
    void theSettingsListTheRemindersLongestFirstAndRefuseNonsense() {
        ExpiryWatchProperties p = new ExpiryWatchProperties(true, Duration.ofHours(1),
                List.of(days(1), days(7)), days(7), days(3));
        assertThat(p.remindBefore()).containsExactly(days(7), days(1));
        assertThat(p.longestReminder()).isEqualTo(days(7));
        assertThatThrownBy(() -> new ExpiryWatchProperties(true,
                Duration.ofHours(1), List.of(Duration.ofMinutes(5)), days(7), days(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remind-before");
        assertThatThrownBy(() -> new ExpiryWatchProperties(true,
                Duration.ofHours(1), List.of(days(1), days(1)), days(7), days(3)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
