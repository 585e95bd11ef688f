package com.bedrockportal.monitoring;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A key's evidence ({@code portal.evidence.*}).
 *
 * @param trailWindow how far back the IAM user's CloudTrail events are read (CloudTrail's event history keeps 90 days)
 * @param maxEvents   the most events read (newest first; at most the port's 500); the evidence says when it was cut
 * @param spendDays   the spend compared: the last this many days (today included) against the as many before
 */
@ConfigurationProperties("portal.evidence")
record EvidenceProperties(@DefaultValue("P7D") Duration trailWindow, @DefaultValue("200") int maxEvents,
        @DefaultValue("30") int spendDays) {

    EvidenceProperties {
        if (trailWindow.isNegative() || trailWindow.isZero() || trailWindow.compareTo(Duration.ofDays(90)) > 0) {
            throw new IllegalArgumentException("portal.evidence.trail-window must be between PT1S and P90D");
        }
        if (maxEvents < 1 || maxEvents > com.bedrockportal.provisioning.ActivityTrail.MAX_EVENTS) {
            throw new IllegalArgumentException("portal.evidence.max-events must be between 1 and "
                    + com.bedrockportal.provisioning.ActivityTrail.MAX_EVENTS);
        }
        if (spendDays < 1 || spendDays > 180) {
            throw new IllegalArgumentException("portal.evidence.spend-days must be between 1 and 180");
        }
    }
}
