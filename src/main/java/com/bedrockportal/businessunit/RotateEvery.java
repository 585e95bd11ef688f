package com.bedrockportal.businessunit;

import java.time.Period;
import java.util.Optional;

/**
 * How often scheduled rotation replaces an application's key: every 7, 30, 60 or 90 days, or never ({@link #OFF}).
 * A unit's setting is the default of its applications; an application may override it or turn it off. Stored as the
 * name (the ISO-8601 period, or {@code OFF}).
 */
public enum RotateEvery {
    P7D(7), P30D(30), P60D(60), P90D(90), OFF(0);

    /** What a unit starts with. */
    public static final RotateEvery UNIT_DEFAULT = P30D;

    private final int days;

    RotateEvery(int days) {
        this.days = days;
    }

    /** The period between rotations; empty when scheduled rotation is off. */
    public Optional<Period> period() {
        return this == OFF ? Optional.empty() : Optional.of(Period.ofDays(days));
    }

    /** Days between rotations (0 when off). */
    public int days() {
        return days;
    }

    public boolean on() {
        return this != OFF;
    }

    /**
     * The setting a stored or submitted text names, or empty for anything else (null, blank, another period): the
     * server accepts these five values only.
     */
    public static Optional<RotateEvery> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (RotateEvery r : values()) {
            if (r.name().equals(text.strip())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
