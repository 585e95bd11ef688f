package com.bedrockportal.application;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Application settings ({@code portal.applications.*}).
 *
 * @param orphanGrace         how long an application whose owner left its unit may wait for a new owner before its
 *                            working keys are disabled
 * @param orphanCheckInterval how often the portal looks for applications past that grace period
 * @param maxMembers          the most members (besides the owner) one application may list
 */
@ConfigurationProperties("portal.applications")
record ApplicationProperties(@DefaultValue("P14D") Duration orphanGrace,
        @DefaultValue("PT1H") Duration orphanCheckInterval, @DefaultValue("25") int maxMembers) {
}
