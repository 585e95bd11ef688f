package com.bedrockportal.metrics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The portal's metrics ({@code portal.metrics.*}).
 *
 * @param refreshInterval how often the gauges' counts are read again (between the end of one refresh and the next)
 * @param scrapeUser      the user a Prometheus server scrapes {@code /actuator/prometheus} as (HTTP Basic)
 * @param scrapePassword  its password, plain or as a Spring Security encoded value ({@code {bcrypt}...}); empty: no
 *                        scrape user (then only an admin's session may read the endpoint)
 */
@ConfigurationProperties("portal.metrics")
record MetricsProperties(@DefaultValue("PT30S") Duration refreshInterval,
        @DefaultValue("prometheus") String scrapeUser, @DefaultValue("") String scrapePassword) {

    MetricsProperties {
        if (refreshInterval.compareTo(Duration.ofSeconds(1)) < 0 || refreshInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("portal.metrics.refresh-interval must be PT1S to PT1H");
        }
    }
}
