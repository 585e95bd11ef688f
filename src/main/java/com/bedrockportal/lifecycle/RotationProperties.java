package com.bedrockportal.lifecycle;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code portal.rotation.*}: how a key rotation runs once the new key is revealed.
 *
 * @param overlap how long both keys work after the new key's reveal, at most (then the old key is disabled)
 * @param deleteAfter how long a disabled old key is kept (it can still be re-enabled by security) before deletion
 * @param usageCheck during the overlap, how often CloudTrail is asked whether the old key is still used
 * @param unusedFor the old key counts as unused when CloudTrail shows no call with it for this long since the reveal
 */
@ConfigurationProperties("portal.rotation")
public record RotationProperties(@DefaultValue("P7D") Duration overlap, @DefaultValue("P2D") Duration deleteAfter,
        @DefaultValue("PT6H") Duration usageCheck, @DefaultValue("P1D") Duration unusedFor) {
}
