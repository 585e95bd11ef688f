package com.bedrockportal.monitoring;

import java.time.Duration;

import com.bedrockportal.provisioning.ApplicationSpend;
import com.bedrockportal.provisioning.BedrockCalls;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The usage collection ({@code portal.usage.*}).
 *
 * @param enabled         whether the scheduled collection runs ("Refresh now" works either way)
 * @param interval        how often it runs (also its first delay); nodes share one run per interval
 * @param window          how far back CloudTrail's Bedrock calls are read (CloudTrail's event history keeps 90 days)
 * @param maxApplications active applications collected at most per run, checked before any AWS look-up; the others
 *                        are counted as skipped
 * @param maxCalls        Bedrock calls read per application and run at most (newest first); the summary says when cut
 * @param maxCostGroups   application tag groups kept from the one Cost Explorer report at most
 * @param maxEvents       notable calls (refused, from outside the ranges) kept per application and run at most
 * @param initialDelay    the first scheduled run after start
 * @param costTagPrefix   how Cost Explorer names the IAM-principal tags (read by the AWS adapter; here for binding)
 */
@ConfigurationProperties("portal.usage")
record UsageProperties(@DefaultValue("true") boolean enabled, @DefaultValue("PT15M") Duration interval,
        @DefaultValue("P14D") Duration window, @DefaultValue("500") int maxApplications,
        @DefaultValue("2000") int maxCalls, @DefaultValue("1000") int maxCostGroups,
        @DefaultValue("200") int maxEvents, @DefaultValue("PT1M") Duration initialDelay,
        @DefaultValue("iamPrincipal/") String costTagPrefix) {

    UsageProperties {
        if (interval == null || interval.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("portal.usage.interval must be at least PT1M, e.g. PT15M");
        }
        if (window == null || window.compareTo(Duration.ofDays(1)) < 0 || window.compareTo(Duration.ofDays(90)) > 0) {
            throw new IllegalArgumentException("portal.usage.window must be between P1D and P90D, e.g. P14D");
        }
        if (maxApplications < 1 || maxApplications > 100_000) {
            throw new IllegalArgumentException("portal.usage.max-applications must be between 1 and 100000");
        }
        if (maxCalls < 1 || maxCalls > BedrockCalls.MAX_CALLS) {
            throw new IllegalArgumentException("portal.usage.max-calls must be between 1 and " + BedrockCalls.MAX_CALLS);
        }
        if (maxCostGroups < 1 || maxCostGroups > ApplicationSpend.MAX_GROUPS) {
            throw new IllegalArgumentException("portal.usage.max-cost-groups must be between 1 and "
                    + ApplicationSpend.MAX_GROUPS);
        }
        if (maxEvents < 0 || maxEvents > 1000) {
            throw new IllegalArgumentException("portal.usage.max-events must be between 0 and 1000");
        }
    }

    /** Whole days of the window (the usage_day rows written per application). */
    int windowDays() {
        return (int) Math.max(1, window.toDays());
    }
}
