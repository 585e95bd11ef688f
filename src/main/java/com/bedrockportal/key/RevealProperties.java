package com.bedrockportal.key;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The reveal ({@code portal.keys.*}).
 *
 * @param reauthWithin how recent the requester's login must be to reveal a key (older: log in again first)
 */
@ConfigurationProperties("portal.keys")
record RevealProperties(@DefaultValue("PT5M") Duration reauthWithin) {
}
