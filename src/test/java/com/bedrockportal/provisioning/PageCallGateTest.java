package com.bedrockportal.provisioning;

import com.bedrockportal.sandbox.SimulatedAccount;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate counts the cloud ports' operations only: not the simulated account's own methods, such as the sandbox
 * console's switch for call logging (an admin turning faults off while pages wait on AWS is never refused).
 */
class PageCallGateTest {

    @Test
    void onlyTheOperationsOfAPortTheClassImplementsAreGated() throws Exception {
        assertThat(PageCallGate.isPortMethod(SimulatedAccount.class.getMethod("createUser", String.class,
                String.class, java.util.Map.class), SimulatedAccount.class)).isTrue();
        assertThat(PageCallGate.isPortMethod(SimulatedAccount.class.getMethod("updateServiceCredentialStatus",
                String.class, String.class, boolean.class), SimulatedAccount.class)).isTrue();
        assertThat(PageCallGate.isPortMethod(SimulatedAccount.class.getMethod("invocationLogging", boolean.class),
                SimulatedAccount.class)).isFalse();
        assertThat(PageCallGate.isPortMethod(Object.class.getMethod("toString"), SimulatedAccount.class)).isFalse();
    }
}
