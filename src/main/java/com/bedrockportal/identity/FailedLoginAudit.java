package com.bedrockportal.identity;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes {@link SecurityEvents.LoginFailed} for failed logins, rate-limited: anyone can fail to log in, and each
 * failure would otherwise add an audit row. Per user and client address at most
 * {@code portal.identity.failed-login-audit.per-user-and-address} rows per window, and at most {@code total} rows
 * in all; the failures beyond are counted, and when their window ends one row says how many were suppressed.
 */
@Component
public class FailedLoginAudit {

    /** One fixed window of one user and address (or of all failures). */
    private static final class Window {
        final String username;
        final String address;
        final Instant start;
        Instant last;
        int recorded;
        int suppressed;

        Window(String username, String address, Instant start) {
            this.username = username;
            this.address = address;
            this.start = start;
            this.last = start;
        }
    }

    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final IdentityProperties.FailedLoginAudit limits;
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private Window total;

    FailedLoginAudit(ApplicationEventPublisher events, Clock clock, IdentityProperties props) {
        this.events = events;
        this.clock = clock;
        this.limits = props.failedLoginAudit();
    }

    /** A login failed: audits it, or counts it for a summary. */
    public void failed(String username, String clientAddress, String reason) {
        List<Object> due;
        synchronized (this) {
            Instant now = clock.instant();
            due = closeEnded(now);
            String key = (username == null ? "" : username) + "\n" + (clientAddress == null ? "" : clientAddress);
            Window window = windows.computeIfAbsent(key, k -> new Window(username, clientAddress, now));
            if (total == null) {
                total = new Window(null, null, now);
            }
            window.last = now;
            total.last = now;
            if (window.recorded >= limits.perUserAndAddress()) {
                window.suppressed++;
            } else if (total.recorded >= limits.total()) {
                total.suppressed++;
            } else {
                window.recorded++;
                total.recorded++;
                due.add(new SecurityEvents.LoginFailed(username, from(clientAddress) + reason));
            }
        }
        due.forEach(events::publishEvent);
    }

    /** Writes the summaries of windows that ended, also when no further failure comes. */
    @Scheduled(fixedDelayString = "PT10S", initialDelayString = "PT10S")
    public void flush() {
        List<Object> due;
        synchronized (this) {
            due = closeEnded(clock.instant());
        }
        due.forEach(events::publishEvent);
    }

    /** Removes the windows that ended and returns the summaries of those that suppressed failures. */
    private List<Object> closeEnded(Instant now) {
        List<Object> summaries = new ArrayList<>();
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext();) {
            Window w = it.next();
            if (ended(w, now)) {
                it.remove();
                if (w.suppressed > 0) {
                    summaries.add(new SecurityEvents.LoginFailed(w.username, from(w.address) + summary(w)
                            + " (at most " + limits.perUserAndAddress() + " rows per user and address in "
                            + limits.window() + ")"));
                }
            }
        }
        if (total != null && ended(total, now)) {
            if (total.suppressed > 0) {
                summaries.add(new SecurityEvents.LoginFailed(null, summary(total) + " for various users (at most "
                        + limits.total() + " failed-login rows in " + limits.window() + ")"));
            }
            total = null;
        }
        return summaries;
    }

    private boolean ended(Window w, Instant now) {
        return !w.start.plus(limits.window()).isAfter(now);
    }

    private static String summary(Window w) {
        return w.suppressed + " more failures suppressed between " + w.start.truncatedTo(ChronoUnit.SECONDS) + " and "
                + w.last.truncatedTo(ChronoUnit.SECONDS);
    }

    private static String from(String address) {
        return address == null || address.isBlank() ? "" : "from " + address + ": ";
    }
}
