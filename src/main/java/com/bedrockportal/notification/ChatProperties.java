package com.bedrockportal.notification;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Chat webhooks ({@code portal.chat.*}): where a unit's Slack or Teams incoming-webhook URL may point, and how long a
 * post may take. A URL to any other host is refused when it is entered, so a webhook cannot be turned into a way to
 * make the portal call an internal address.
 *
 * @param allowedHosts   hosts a webhook URL may name; {@code *.example.com} matches any subdomain
 * @param allowHttp      accept {@code http://} URLs (tests against a local stub only; never in production)
 * @param connectTimeout how long connecting to the chat service may take
 * @param requestTimeout how long a post may take in all
 */
@ConfigurationProperties("portal.chat")
public record ChatProperties(
        @DefaultValue({ "hooks.slack.com", "*.webhook.office.com", "*.logic.azure.com",
                "*.environment.api.powerplatform.com" }) List<String> allowedHosts,
        @DefaultValue("false") boolean allowHttp, @DefaultValue("PT5S") Duration connectTimeout,
        @DefaultValue("PT10S") Duration requestTimeout) {

    /** Whether the host is one a webhook may name. */
    public boolean allows(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        for (String allowed : allowedHosts) {
            String a = allowed.strip().toLowerCase(java.util.Locale.ROOT);
            if (a.startsWith("*.") ? h.endsWith(a.substring(1)) && h.length() > a.length() - 1 : h.equals(a)) {
                return true;
            }
        }
        return false;
    }
}
