package com.bedrockportal.shared.ui;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Durations as people read them: "7 days", "12 hours", "6 minutes", "1 day 12 hours" — never ISO-8601 ({@code P7D},
 * {@code PT6M}), which settings and process timers use. Plain Java (no session needed), so process steps that word
 * notifications use it as well as views.
 */
public final class Durations {

    private Durations() {
    }

    /** The two largest non-zero units, e.g. "2 days 3 hours"; seconds only below a minute; "0 seconds" for zero. */
    public static String words(Duration duration) {
        if (duration == null) {
            return "";
        }
        Duration d = duration.abs();
        long[] amounts = { d.toDays(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart() };
        String[] units = { "day", "hour", "minute", "second" };
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < amounts.length && parts.size() < 2; i++) {
            if (amounts[i] > 0) {
                parts.add(amounts[i] + " " + units[i] + (amounts[i] == 1 ? "" : "s"));
            } else if (!parts.isEmpty()) {
                break;
            }
            if (i == 2 && !parts.isEmpty()) {
                break;
            }
        }
        return parts.isEmpty() ? "0 seconds" : String.join(" ", parts);
    }
}
