package com.bedrockportal.identity;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.shared.SuppressionWindows;

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

    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final SuppressionWindows windows;

    FailedLoginAudit(ApplicationEventPublisher events, Clock clock, IdentityProperties props) {
        this.events = events;
        this.clock = clock;
        IdentityProperties.FailedLoginAudit limits = props.failedLoginAudit();
        this.windows = new SuppressionWindows(limits.perUserAndAddress(), limits.total(), limits.window());
    }

    /** A login failed: audits it, or counts it for a summary. */
    public void failed(String username, String clientAddress, String reason) {
        Instant now = clock.instant();
        List<Object> due = summaries(now);
        String key = key(username == null ? "" : username, clientAddress == null ? "" : clientAddress);
        if (windows.admit(key, now)) {
            due.add(new SecurityEvents.LoginFailed(username, from(clientAddress) + reason));
        }
        due.forEach(events::publishEvent);
    }

    /** Writes the summaries of windows that ended, also when no further failure comes. */
    @Scheduled(fixedDelayString = "PT10S", initialDelayString = "PT10S")
    public void flush() {
        summaries(clock.instant()).forEach(events::publishEvent);
    }

    /** The summaries of windows that ended and suppressed failures. */
    private List<Object> summaries(Instant now) {
        List<Object> summaries = new ArrayList<>();
        for (SuppressionWindows.Suppressed w : windows.ended(now)) {
            if (w.key() == null) {
                summaries.add(new SecurityEvents.LoginFailed(null, summary(w) + " for various users (at most "
                        + windows.total() + " failed-login rows in " + windows.length() + ")"));
            } else {
                int colon = w.key().indexOf(':');
                int end = colon + 1 + Integer.parseInt(w.key().substring(0, colon));
                String username = w.key().substring(colon + 1, end);
                String address = w.key().substring(end);
                summaries.add(new SecurityEvents.LoginFailed(username.isEmpty() ? null : username, from(address)
                        + summary(w) + " (at most " + windows.perKey() + " rows per user and address in "
                        + windows.length() + ")"));
            }
        }
        return summaries;
    }

    /**
     * One key per user and address, length-prefixed: a typed username can hold any character, so no separator could
     * keep it from passing for another user and address in the summary row.
     */
    private static String key(String username, String address) {
        return username.length() + ":" + username + address;
    }

    private static String summary(SuppressionWindows.Suppressed w) {
        return w.count() + " more failures suppressed between " + w.start().truncatedTo(ChronoUnit.SECONDS) + " and "
                + w.last().truncatedTo(ChronoUnit.SECONDS);
    }

    private static String from(String address) {
        return address == null || address.isBlank() ? "" : "from " + address + ": ";
    }
}
