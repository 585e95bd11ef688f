package com.bedrockportal.shortkeys;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * 12-hour keys ({@code portal.short-term-keys.*}).
 *
 * @param duration     how long a key (and the role session it is built from) lives; capped at 12 hours, at least 15
 *                     minutes (STS's shortest session)
 * @param reauthWithin how recent the member's login must be to get a key (older: log in again first)
 */
@ConfigurationProperties("portal.short-term-keys")
record ShortTermKeyProperties(@DefaultValue("PT12H") Duration duration, @DefaultValue("PT5M") Duration reauthWithin) {

    static final Duration SHORTEST = Duration.ofMinutes(15);

    /** The duration asked of STS: the setting, within 15 minutes and 12 hours. */
    Duration sessionDuration() {
        if (duration.compareTo(SHORTEST) < 0) {
            return SHORTEST;
        }
        return duration.compareTo(BedrockTokens.MAX_LIFETIME) > 0 ? BedrockTokens.MAX_LIFETIME : duration;
    }
}
