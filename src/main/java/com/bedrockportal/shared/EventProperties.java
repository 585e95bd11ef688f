package com.bedrockportal.shared;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Events whose listener has not finished ({@code portal.events.*}; {@link EventRedelivery}).
 *
 * @param redeliverAfter     an event still unfinished this long after it was published, or after it was last sent
 *                           again, is sent again; longer than any listener runs (PT30S to P1D)
 * @param redeliveryInterval how often a node looks for such events (PT5S to PT1H)
 * @param maxPerRun          at most this many are sent again in one look, the oldest first (1 to 1,000)
 * @param redeliveryEnabled  false: the node does not look by itself (tests, which call {@link EventRedelivery#redeliver}
 *                           when they mean to); unfinished events then wait for good
 */
@ConfigurationProperties("portal.events")
public record EventProperties(@DefaultValue("PT5M") Duration redeliverAfter,
        @DefaultValue("PT1M") Duration redeliveryInterval, @DefaultValue("100") int maxPerRun,
        @DefaultValue("true") boolean redeliveryEnabled) {

    public EventProperties {
        if (redeliverAfter.compareTo(Duration.ofSeconds(30)) < 0 || redeliverAfter.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("portal.events.redeliver-after must be PT30S to P1D");
        }
        if (redeliveryInterval.compareTo(Duration.ofSeconds(5)) < 0
                || redeliveryInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("portal.events.redelivery-interval must be PT5S to PT1H");
        }
        if (maxPerRun < 1 || maxPerRun > 1000) {
            throw new IllegalArgumentException("portal.events.max-per-run must be 1 to 1000");
        }
    }
}
