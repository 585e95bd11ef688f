package com.bedrockportal.evidence;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Evidence packs ({@code portal.evidence-packs.*}).
 *
 * @param maxRows         rows per section of one application's pack (requests, keys, alerts, cases, audit rows);
 *                        a section cut there says so
 * @param maxApplications applications one unit or all-units pack lists at most (checked before any is assembled)
 * @param maxPeriodDays   the longest period a unit or all-units pack may cover
 * @param reviewEvery     an access review older than this does not count as this quarter's
 */
@ConfigurationProperties("portal.evidence-packs")
record EvidencePackProperties(@DefaultValue("200") int maxRows, @DefaultValue("200") int maxApplications,
        @DefaultValue("400") int maxPeriodDays, @DefaultValue("P92D") Duration reviewEvery) {

    EvidencePackProperties {
        if (maxRows < 10 || maxRows > 1000) {
            throw new IllegalArgumentException("portal.evidence-packs.max-rows must be between 10 and 1000");
        }
        if (maxApplications < 1 || maxApplications > 2000) {
            throw new IllegalArgumentException("portal.evidence-packs.max-applications must be between 1 and 2000");
        }
        if (maxPeriodDays < 1 || maxPeriodDays > 3660) {
            throw new IllegalArgumentException("portal.evidence-packs.max-period-days must be between 1 and 3660");
        }
        if (reviewEvery.isNegative() || reviewEvery.isZero()) {
            throw new IllegalArgumentException("portal.evidence-packs.review-every must be positive");
        }
    }
}
