package com.bedrockportal.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the portal reaches AWS ({@code portal.aws.*}).
 *
 * @param mode          {@code sandbox} (simulated account, default) or {@code aws} (SDK clients, default credential chain)
 * @param region        the region for global calls and the default for requests
 * @param endpoint      optional endpoint override for every client (LocalStack, moto); empty for real AWS
 * @param callTimeout   timeout of one API call, retries included
 * @param retries       the SDK retry mode: {@code standard} (default), {@code adaptive} or {@code off} (tests that expect a failure)
 */
@ConfigurationProperties("portal.aws")
record AwsProperties(@DefaultValue("sandbox") String mode, @DefaultValue("us-east-1") String region,
        URI endpoint, @DefaultValue("PT30S") Duration callTimeout,
        @DefaultValue("standard") String retries) {

    software.amazon.awssdk.core.retry.RetryMode retryMode() {
        return switch (retries.toLowerCase(Locale.ROOT)) {
            case "adaptive" -> software.amazon.awssdk.core.retry.RetryMode.ADAPTIVE_V2;
            default -> software.amazon.awssdk.core.retry.RetryMode.STANDARD;
        };
    }

    boolean retriesOff() {
        return "off".equalsIgnoreCase(retries) || "none".equalsIgnoreCase(retries);
    }

    public boolean sandbox() {
        return !"aws".equalsIgnoreCase(mode);
    }
}
