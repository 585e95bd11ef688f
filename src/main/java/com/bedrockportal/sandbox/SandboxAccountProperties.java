package com.bedrockportal.sandbox;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The simulated account itself ({@code portal.sandbox.account.*}): the account id in its ARNs and caller identity,
 * and the region of the resources it creates.
 *
 * @param id     the account id (12 digits)
 * @param region the region of regional resources (secrets)
 */
@ConfigurationProperties("portal.sandbox.account")
record SandboxAccountProperties(@DefaultValue("123456789012") String id,
        @DefaultValue("us-east-1") String region) {
}
