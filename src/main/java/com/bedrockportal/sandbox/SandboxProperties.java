package com.bedrockportal.sandbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Fault injection of the simulated account ({@code portal.sandbox.*}), to rehearse failures.
 *
 * @param latency        added to every call
 * @param throttlingRate share of calls (0 to 1) that fail with a throttling error, which is retried
 * @param failOperation  an operation that always fails (e.g. {@code CreateBudget}); empty for none
 * @param failKind       how it fails: TRANSIENT (retried, then an incident) or a business kind such as ACCESS_DENIED
 */
@ConfigurationProperties("portal.sandbox")
record SandboxProperties(@DefaultValue("PT0S") Duration latency, @DefaultValue("0") double throttlingRate,
        @DefaultValue("") String failOperation, @DefaultValue("TRANSIENT") String failKind) {
}
