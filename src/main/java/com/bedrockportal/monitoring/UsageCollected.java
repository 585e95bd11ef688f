package com.bedrockportal.monitoring;

import java.time.Instant;

/**
 * Published after each usage collection run, once its rows are committed (usage_day, usage_summary, usage_event,
 * spend_month): the alert rules and the dashboard read the new figures.
 *
 * @param at           when the run started (the figures' {@code refreshed_at})
 * @param applications applications collected
 * @param failures     applications whose look-up failed (their rows carry the error)
 */
public record UsageCollected(Instant at, int applications, int failures) {
}
