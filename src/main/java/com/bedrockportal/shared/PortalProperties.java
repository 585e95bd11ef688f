package com.bedrockportal.shared;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * General portal settings ({@code portal.*}).
 *
 * @param demoData seed demo business units on first start (when there are none)
 * @param aws      which AWS the portal talks to
 */
@ConfigurationProperties("portal")
public record PortalProperties(@DefaultValue("true") boolean demoData, @DefaultValue Aws aws) {

    /** @param mode {@code sandbox} (the simulated account, default) or {@code aws} */
    public record Aws(@DefaultValue("sandbox") String mode) {
    }

    public boolean sandbox() {
        return !"aws".equalsIgnoreCase(aws.mode());
    }
}
