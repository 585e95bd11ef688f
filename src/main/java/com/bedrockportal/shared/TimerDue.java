package com.bedrockportal.shared;

import java.time.Duration;
import java.time.Instant;

/**
 * When a step that a process timer starts may act: not before the time the portal stored for it, give or take a
 * minute (the engine keeps due dates in milliseconds, and another node's clock may run a little ahead).
 */
public final class TimerDue {

    /** How early a timer may fire and its step still act. */
    public static final Duration TOLERANCE = Duration.ofMinutes(1);

    private TimerDue() {
    }

    /** True when {@code now} is more than {@link #TOLERANCE} before {@code due}: the step should refuse. */
    public static boolean early(Instant now, Instant due) {
        return due != null && now.plus(TOLERANCE).isBefore(due);
    }
}
