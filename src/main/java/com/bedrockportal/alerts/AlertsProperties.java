package com.bedrockportal.alerts;

import java.time.Duration;

import com.bedrockportal.alerts.Alert.Severity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The alert rules and their evaluation ({@code portal.alerts.*}; application.yml says what each does).
 *
 * @param enabled       whether the scheduled evaluation runs ("Evaluate now" and the usage collection's hook work
 *                      either way)
 * @param interval      between the end of one scheduled evaluation and the next (and the first's delay)
 * @param lookback      how far back the event rules read the notable calls (CloudTrail delivers late, and a burst
 *                      between two evaluations must still be seen)
 * @param maxEvents     the most notable calls one evaluation reads per rule (read cap, before any work)
 * @param maxConditions the most conditions one evaluation weighs (the rest wait for the next)
 * @param maxNew        the most alerts one evaluation raises (the rest are raised by the next)
 * @param quietAfterClose how long a dismissed or acted-on alert keeps its condition quiet unless it gets materially
 *                      worse
 * @param maxListed     the most alerts the inbox lists at once
 */
@ConfigurationProperties("portal.alerts")
record AlertsProperties(@DefaultValue("true") boolean enabled, @DefaultValue("PT15M") Duration interval,
        @DefaultValue("PT24H") Duration lookback, @DefaultValue("20000") int maxEvents,
        @DefaultValue("5000") int maxConditions, @DefaultValue("100") int maxNew,
        @DefaultValue("P30D") Duration quietAfterClose, @DefaultValue("500") int maxListed,
        @DefaultValue Rules rules) {

    /** The rules, each on or off with its severity and parameters. */
    record Rules(@DefaultValue Spend spend, @DefaultValue DeniedBurst deniedBurst,
            @DefaultValue OutsideRange outsideRange, @DefaultValue UnusedKey unusedKey,
            @DefaultValue CreatedOutside createdOutside) {
    }

    /**
     * Spend: month-to-date actual over the budget's alert threshold, or forecast over 100 %.
     *
     * @param defaultThreshold percent used when a budget row carries no threshold
     * @param worseByPoints    a closed alert comes back when actual spend rose by this many points of the budget
     */
    record Spend(@DefaultValue("true") boolean enabled, @DefaultValue("HIGH") Severity severity,
            @DefaultValue("80") int defaultThreshold, @DefaultValue("25") int worseByPoints) {
    }

    /**
     * AccessDenied burst: at least {@code count} refused calls of one application within {@code within}.
     *
     * @param worseFactor a closed alert comes back when a window holds this many times the calls it showed
     */
    record DeniedBurst(@DefaultValue("true") boolean enabled, @DefaultValue("HIGH") Severity severity,
            @DefaultValue("10") int count, @DefaultValue("PT5M") Duration within,
            @DefaultValue("2") int worseFactor) {
    }

    /**
     * Calls from outside the application's IP ranges: at least {@code minCalls} within the lookback.
     *
     * @param worseFactor a closed alert comes back on a new source address, or this many times the calls
     */
    record OutsideRange(@DefaultValue("true") boolean enabled, @DefaultValue("HIGH") Severity severity,
            @DefaultValue("1") int minCalls, @DefaultValue("2") int worseFactor) {
    }

    /** A key no accepted call used for {@code days} days. */
    record UnusedKey(@DefaultValue("true") boolean enabled, @DefaultValue("LOW") Severity severity,
            @DefaultValue("30") int days) {
    }

    /** A key or IAM user created outside the portal (open drift findings of those kinds). */
    record CreatedOutside(@DefaultValue("true") boolean enabled, @DefaultValue("CRITICAL") Severity severity) {
    }
}
