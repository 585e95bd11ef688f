package com.bedrockportal.provisioning;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Decommissioning settings ({@code portal.applications.*}).
 *
 * @param secretRecoveryWindow how long a decommissioned application's Secrets Manager copy can still be restored
 *                             before AWS deletes it: 7 to 30 whole days (Secrets Manager's limits), checked at start
 */
@ConfigurationProperties("portal.applications")
record DecommissionProperties(@DefaultValue("P30D") Duration secretRecoveryWindow) {

    DecommissionProperties {
        long days = secretRecoveryWindow.toDays();
        if (!secretRecoveryWindow.equals(Duration.ofDays(days)) || days < Secrets.MIN_RECOVERY_DAYS
                || days > Secrets.MAX_RECOVERY_DAYS) {
            throw new IllegalArgumentException("portal.applications.secret-recovery-window must be 7 to 30 whole "
                    + "days (P7D to P30D), not " + secretRecoveryWindow);
        }
    }
}
