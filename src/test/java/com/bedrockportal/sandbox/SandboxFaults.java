package com.bedrockportal.sandbox;

import java.time.Duration;

/** Fault injection of the simulated account for tests of other modules (its settings record is package-private). */
public final class SandboxFaults {

    private SandboxFaults() {
    }

    /** Makes every call of {@code operation} fail with {@code kind} (a CloudException.Kind name) until cleared. */
    public static void fail(SimulatedAccount account, String operation, String kind) {
        account.rehearse(new SandboxProperties(Duration.ZERO, 0, operation, kind));
    }

    /** Makes the calls of {@code operation} about {@code target} (an IAM user or budget name) fail until cleared. */
    public static void fail(SimulatedAccount account, String operation, String kind, String target) {
        account.rehearse(new SandboxProperties(Duration.ZERO, 0, operation, kind, target));
    }

    /** Makes every call of the account take {@code latency} longer (at most 10 s, as the console allows) until cleared. */
    public static void latency(SimulatedAccount account, Duration latency) {
        account.rehearse(new SandboxProperties(latency, 0, "", "TRANSIENT"));
    }

    /** Makes every call take {@code latency} longer and every call of {@code operation} fail, until cleared. */
    public static void failSlowly(SimulatedAccount account, String operation, String kind, Duration latency) {
        account.rehearse(new SandboxProperties(latency, 0, operation, kind));
    }

    public static void clear(SimulatedAccount account) {
        account.rehearse(new SandboxProperties(Duration.ZERO, 0, "", "TRANSIENT"));
    }
}
