package com.bedrockportal.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The expiry watch ({@code portal.keys.*}).
 *
 * @param expiryCheckEnabled  whether the scheduled check runs (tests and a second portal that should stay quiet turn
 *                            it off; two nodes may both run it: every step happens once per key either way)
 * @param expiryCheckInterval time between the end of one check and the start of the next (also the first's delay)
 * @param remindBefore        how long before a key's expiry its owner is reminded, each once per key (longest first
 *                            after binding; at most 5, each between one hour and 90 days)
 * @param deleteExpiredAfter  how long after its expiry a key is deleted from AWS to free its slot
 * @param rotationMargin      scheduled rotation starts this much earlier than the overlap before a key's expiry: time
 *                            for the owner to reveal the new key, so the whole overlap runs before the old one expires
 */
@ConfigurationProperties("portal.keys")
record ExpiryWatchProperties(@DefaultValue("true") boolean expiryCheckEnabled,
        @DefaultValue("PT1H") Duration expiryCheckInterval, @DefaultValue("P7D,P1D") List<Duration> remindBefore,
        @DefaultValue("P7D") Duration deleteExpiredAfter, @DefaultValue("P3D") Duration rotationMargin) {

    static final int MAX_REMINDERS = 5;
    static final Duration SHORTEST_REMINDER = Duration.ofHours(1);
    static final Duration LONGEST_REMINDER = Duration.ofDays(90);

    ExpiryWatchProperties {
        List<Duration> sorted = new ArrayList<>(remindBefore == null ? List.of() : remindBefore);
        sorted.sort(Comparator.reverseOrder());
        if (sorted.size() > MAX_REMINDERS || sorted.stream().distinct().count() != sorted.size()
                || sorted.stream().anyMatch(d -> d.compareTo(SHORTEST_REMINDER) < 0
                        || d.compareTo(LONGEST_REMINDER) > 0)) {
            throw new IllegalArgumentException("portal.keys.remind-before must list at most " + MAX_REMINDERS
                    + " different periods between PT1H and P90D, e.g. P7D,P1D; it is " + remindBefore);
        }
        remindBefore = List.copyOf(sorted);
        if (deleteExpiredAfter == null || deleteExpiredAfter.isNegative()) {
            throw new IllegalArgumentException("portal.keys.delete-expired-after must be zero or more, e.g. P7D");
        }
        if (rotationMargin == null || rotationMargin.isNegative()) {
            throw new IllegalArgumentException("portal.keys.rotation-margin must be zero or more, e.g. P3D");
        }
        if (expiryCheckInterval == null || expiryCheckInterval.isNegative() || expiryCheckInterval.isZero()) {
            throw new IllegalArgumentException("portal.keys.expiry-check-interval must be positive, e.g. PT1H");
        }
    }

    /** The longest reminder period (how far ahead the check looks), or zero without reminders. */
    Duration longestReminder() {
        return remindBefore.isEmpty() ? Duration.ZERO : remindBefore.get(0);
    }
}
