package com.bedrockportal.drift;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The drift reconciliation ({@code portal.drift.*}).
 *
 * @param enabled  whether the scheduled run happens ("Check now" works either way)
 * @param interval time between the end of one scheduled run and the start of the next (also the first run's delay)
 * @param maxUsers how many IAM users under the portal's path one run checks at most; listing stops past it, before
 *                 any per-user call, and the run says it was truncated
 */
@ConfigurationProperties("portal.drift")
record DriftProperties(@DefaultValue("true") boolean enabled, @DefaultValue("PT1H") Duration interval,
        @DefaultValue("1000") int maxUsers) {
}
