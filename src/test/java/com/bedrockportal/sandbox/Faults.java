package com.bedrockportal.sandbox;

import java.time.Duration;

/** Fault injection of the simulated account for tests outside this package (its settings record is internal). */
public final class Faults {

    private Faults() {
    }

    /** Every call of {@code operation} fails with {@code kind} (TRANSIENT or a business kind such as ACCESS_DENIED). */
    public static void failing(SimulatedAccount account, String operation, String kind) {
        account.rehearse(new SandboxProperties(Duration.ZERO, 0, operation, kind));
    }

    public static void none(SimulatedAccount account) {
        account.rehearse(new SandboxProperties(Duration.ZERO, 0, "", "TRANSIENT"));
    }
}
