package com.bedrockportal.layout;

import java.time.Duration;
import java.time.Instant;

import com.bedrockportal.shared.ui.Durations;
import com.vaadin.flow.component.Component;

/** How long something has waited, in words a person reads at a glance: "5 minutes", "3 hours", "2 days". */
public final class Ages {

    private Ages() {
    }

    /** The age of something that started at {@code since}, as of {@code now} ("3 hours"). */
    public static String of(Component c, Instant since, Instant now) {
        Duration d = Duration.between(since, now);
        if (d.toMinutes() < 1) {
            return c.getTranslation("age.underAMinute");
        }
        // Only the largest unit: an age is read at a glance.
        Duration largest = d.toDays() > 0 ? Duration.ofDays(d.toDays())
                : d.toHours() > 0 ? Duration.ofHours(d.toHours()) : Duration.ofMinutes(d.toMinutes());
        return Durations.words(largest);
    }

    /** "3 hours ago"; "just now" under a minute. */
    public static String ago(Component c, Instant since, Instant now) {
        if (Duration.between(since, now).toMinutes() < 1) {
            return c.getTranslation("age.justNow");
        }
        return c.getTranslation("age.ago", of(c, since, now));
    }
}
