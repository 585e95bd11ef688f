package com.bedrockportal.shared;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rate limits for rows anyone can cause (a failed login, a refused webhook call): per key (who, from where) at most
 * {@code perKey} occurrences are let through in a fixed window, and at most {@code total} in all; those beyond are
 * counted, and when their window ends its count is handed back once, for one summary row. Thread-safe.
 */
public final class SuppressionWindows {

    /** What a window suppressed: its key ({@code null} for the window of all keys), how many, first and last time. */
    public record Suppressed(String key, int count, Instant start, Instant last) {
    }

    private static final class Window {
        final Instant start;
        Instant last;
        int admitted;
        int suppressed;

        Window(Instant start) {
            this.start = start;
            this.last = start;
        }
    }

    private final int perKey;
    private final int total;
    private final Duration length;
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private Window all;

    public SuppressionWindows(int perKey, int total, Duration length) {
        this.perKey = perKey;
        this.total = total;
        this.length = length;
    }

    /** An occurrence: true when it may be recorded, false when it was counted for a summary. */
    public synchronized boolean admit(String key, Instant now) {
        Window window = windows.computeIfAbsent(key, k -> new Window(now));
        if (all == null) {
            all = new Window(now);
        }
        window.last = now;
        all.last = now;
        if (window.admitted >= perKey) {
            window.suppressed++;
            return false;
        }
        if (all.admitted >= total) {
            all.suppressed++;
            return false;
        }
        window.admitted++;
        all.admitted++;
        return true;
    }

    /** Removes the windows that ended by {@code now} and returns what those suppressed (keys first, then all). */
    public synchronized List<Suppressed> ended(Instant now) {
        List<Suppressed> ended = new ArrayList<>();
        for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Window> e = it.next();
            Window w = e.getValue();
            if (ended(w, now)) {
                it.remove();
                if (w.suppressed > 0) {
                    ended.add(new Suppressed(e.getKey(), w.suppressed, w.start, w.last));
                }
            }
        }
        if (all != null && ended(all, now)) {
            if (all.suppressed > 0) {
                ended.add(new Suppressed(null, all.suppressed, all.start, all.last));
            }
            all = null;
        }
        return ended;
    }

    public int perKey() {
        return perKey;
    }

    public int total() {
        return total;
    }

    public Duration length() {
        return length;
    }

    private boolean ended(Window w, Instant now) {
        return !w.start.plus(length).isAfter(now);
    }
}
