package com.bedrockportal.provisioning;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What both adapters of {@link AccountIdentity} must do alike. */
public interface AccountIdentityContract {

    AccountIdentity accountIdentity();

    @Test
    default void callerIdentityNamesTheAccount() {
        AccountIdentity.CallerIdentity caller = accountIdentity().callerIdentity();
        assertThat(caller.account()).matches("\\d{12}");
        assertThat(caller.arn()).startsWith("arn:aws:").contains(":" + caller.account() + ":");
    }
}
