package com.bedrockportal.review;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access review settings ({@code portal.reviews.*}).
 *
 * @param schedule        cron (Camunda's, with seconds) of the scheduled campaigns; quarterly by default
 * @param deadline        how long the managers have to decide, from the campaign's start
 * @param reminderBefore  how long before the deadline the managers of a unit not done yet are reminded
 * @param onMissed        what happens to an application nobody decided on by the deadline
 * @param maxUnits        the most units one campaign reviews (more: the campaign is refused before anything starts)
 * @param maxApplications the most applications one unit's review lists (more: the campaign is refused)
 */
@ConfigurationProperties("portal.reviews")
record ReviewProperties(@DefaultValue("0 0 6 1 1,4,7,10 ?") String schedule, @DefaultValue("P14D") Duration deadline,
        @DefaultValue("P3D") Duration reminderBefore, @DefaultValue("DISABLE") AccessReviews.OnMissed onMissed,
        @DefaultValue("500") int maxUnits, @DefaultValue("500") int maxApplications) {
}
