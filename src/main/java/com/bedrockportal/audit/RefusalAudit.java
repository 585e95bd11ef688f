package com.bedrockportal.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.bedrockportal.shared.SuppressionWindows;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Audits refused calls to the endpoints anyone on the network can reach (the secret-scanning webhook, Slack's
 * interactions), rate-limited like failed logins: each refusal would otherwise be a row of the hash-chained audit log,
 * written under its one lock, so a loop of bad requests would grow the log without end and hold up every audited
 * action. Per endpoint and client address at most {@code portal.http.refusal-audit.per-address} rows per window, at
 * most {@code total} per endpoint; the refusals beyond are counted, and when their window ends one row says how many
 * were suppressed.
 */
@Component
public class RefusalAudit {

    private record Channel(String actor, String action, String target) {
    }

    private final AuditLog audit;
    private final Clock clock;
    private final int perAddress;
    private final int total;
    private final Duration window;
    private final Map<Channel, SuppressionWindows> channels = new ConcurrentHashMap<>();

    RefusalAudit(AuditLog audit, Clock clock,
            @Value("${portal.http.refusal-audit.per-address:10}") int perAddress,
            @Value("${portal.http.refusal-audit.total:60}") int total,
            @Value("${portal.http.refusal-audit.window:PT1M}") Duration window) {
        this.audit = audit;
        this.clock = clock;
        this.perAddress = perAddress;
        this.total = total;
        this.window = window;
    }

    /**
     * A call from {@code from} was refused for {@code reason}: a row ({@code actor}, {@code action}, {@code target},
     * "reason (from address)"), or a count for the window's summary.
     */
    public void refused(String actor, String action, String target, String from, String reason) {
        Instant now = clock.instant();
        Channel channel = new Channel(actor, action, target);
        SuppressionWindows windows = channels.computeIfAbsent(channel,
                c -> new SuppressionWindows(perAddress, total, window));
        writeSummaries(channel, windows, now);
        String address = from == null ? "" : from;
        if (windows.admit(address, now)) {
            audit.record(actor, action, target, reason + " (from " + address + ")");
        }
    }

    /** Writes the summaries of windows that ended, also when no further refusal comes. */
    @Scheduled(fixedDelayString = "PT10S", initialDelayString = "PT10S")
    public void flush() {
        Instant now = clock.instant();
        channels.forEach((channel, windows) -> writeSummaries(channel, windows, now));
    }

    private void writeSummaries(Channel channel, SuppressionWindows windows, Instant now) {
        List<SuppressionWindows.Suppressed> ended = windows.ended(now);
        for (SuppressionWindows.Suppressed w : ended) {
            String between = w.count() + " more refusals suppressed between " + w.start().truncatedTo(ChronoUnit.SECONDS)
                    + " and " + w.last().truncatedTo(ChronoUnit.SECONDS);
            audit.record(channel.actor(), channel.action(), channel.target(), w.key() == null
                    ? between + " from various addresses (at most " + total + " rows in " + window + ")"
                    : between + " (from " + w.key() + "; at most " + perAddress + " rows per address in " + window
                            + ")");
        }
    }
}
