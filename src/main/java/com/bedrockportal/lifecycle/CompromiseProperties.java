package com.bedrockportal.lifecycle;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Compromise response settings ({@code portal.compromise.*}).
 *
 * @param reportDue         how long the owner has for the post-incident report before the unit's managers are told
 * @param scannerSecret     shared secret of the secret-scanning endpoint's HMAC-SHA256 signature; empty: endpoint off
 * @param scannerMaxAlerts  the most tokens one alert request may carry (more: refused whole)
 * @param scannerMaxBody    the largest alert request body accepted
 * @param maxOpenListed     the most cases the security list shows
 */
@ConfigurationProperties("portal.compromise")
record CompromiseProperties(@DefaultValue("PT24H") Duration reportDue, @DefaultValue("") String scannerSecret,
        @DefaultValue("100") int scannerMaxAlerts, @DefaultValue("64KB") DataSize scannerMaxBody,
        @DefaultValue("500") int maxOpenListed) {

    boolean scannerEnabled() {
        return scannerSecret != null && !scannerSecret.isBlank();
    }
}
