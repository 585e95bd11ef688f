package com.bedrockportal.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When the expiry watch acts on a key — pure functions of the key's times, the settings and now, so each rule is
 * tested on its own ({@code ExpiryRulesTest}).
 */
final class ExpiryRules {

    /** Why a scheduled rotation is due. */
    enum RotationDue {
        /** The key is as old as the application's rotate-every. */
        AGE,
        /** The key expires within the overlap and the margin: the rotation must start now for the overlap to fit. */
        EXPIRY
    }

    private ExpiryRules() {
    }

    /**
     * Whether the application's newest working key is due for its scheduled rotation: it is {@code every} old, or it
     * expires within {@code overlap + margin} (so the new key exists, is revealed within the margin and the whole
     * overlap runs before the old key expires). That lead is at most half the key's lifetime: a key that lives
     * shorter than overlap and margin together is not rotated again the moment it is made. A key already expired is
     * not due: there is nothing left to overlap (its owner is reminded and can renew).
     */
    static Optional<RotationDue> rotationDue(Instant created, Instant expires, Duration every, Duration overlap,
            Duration margin, Instant now) {
        if (!expires.isAfter(now)) {
            return Optional.empty();
        }
        if (Duration.between(created, now).compareTo(every) >= 0) {
            return Optional.of(RotationDue.AGE);
        }
        Duration lifetime = Duration.between(created, expires);
        Duration lead = overlap.plus(margin);
        Duration half = lifetime.dividedBy(2);
        if (lead.compareTo(half) > 0) {
            lead = half;
        }
        return Duration.between(now, expires).compareTo(lead) <= 0 ? Optional.of(RotationDue.EXPIRY)
                : Optional.empty();
    }

    /**
     * The reminder due for a key now, if any: of the periods before expiry ({@code remindBefore}) that have begun,
     * the shortest — so a check that runs late (the portal was down) sends the one reminder that still makes sense,
     * never a "7 days" after the "1 day". A period as long as the key's whole lifetime or longer is skipped (a 5-day key
     * gets no "7 days" reminder the moment it is made). Nothing once the key has expired.
     */
    static Optional<Duration> reminderDue(Instant created, Instant expires, List<Duration> remindBefore, Instant now) {
        if (!expires.isAfter(now)) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, expires);
        Duration lifetime = Duration.between(created, expires);
        return remindBefore.stream().filter(d -> left.compareTo(d) <= 0 && lifetime.compareTo(d) > 0)
                .min(Duration::compareTo);
    }

    /** Whether a key still in AWS has been expired for {@code deleteAfter}: then it is deleted to free its slot. */
    static boolean deleteDue(Instant expires, Duration deleteAfter, Instant now) {
        return !expires.plus(deleteAfter).isAfter(now);
    }

    /** A reminder's name: its period before expiry in days ("P7D") when whole days, else as ISO-8601 ("PT12H"). */
    static String reminderName(Duration before) {
        return before.toHours() % 24 == 0 && before.toSecondsPart() == 0 && before.toMinutesPart() == 0
                ? "P" + before.toDays() + "D" : before.toString();
    }
}
