package com.bedrockportal.sandbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Fault injection of the simulated account ({@code portal.sandbox.*}), to rehearse failures.
 *
 * @param latency        added to every call
 * @param throttlingRate share of calls (0 to 1) that fail with a throttling error, which is retried
 * @param failOperation  an operation that always fails (e.g. {@code CreateBudget}); empty for none
 * @param failKind       how it fails: TRANSIENT (retried, then an incident) or a business kind such as ACCESS_DENIED
 * @param failTarget     only calls of {@code failOperation} about this resource (an IAM user or budget name) fail;
 *                       empty: every call of it (one application's look-ups failing while the others' work)
 */
@ConfigurationProperties("portal.sandbox")
record SandboxProperties(@DefaultValue("PT0S") Duration latency, @DefaultValue("0") double throttlingRate,
        @DefaultValue("") String failOperation, @DefaultValue("TRANSIENT") String failKind,
        @DefaultValue("") String failTarget) {

    /** The one Spring binds (a record with a second constructor needs saying so). */
    @ConstructorBinding
    SandboxProperties {
        failTarget = failTarget == null ? "" : failTarget;
    }

    /** Faults for every call of the operation. */
    SandboxProperties(Duration latency, double throttlingRate, String failOperation, String failKind) {
        this(latency, throttlingRate, failOperation, failKind, "");
    }
}
