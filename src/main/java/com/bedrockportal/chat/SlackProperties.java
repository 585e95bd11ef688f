package com.bedrockportal.chat;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Slack approvals ({@code portal.chat.slack.*}): the Slack app's signing secret (without it the interaction endpoint
 * answers 404, as if it did not exist) and its bot token (scopes {@code users:read}, {@code users:read.email},
 * {@code chat:write}), used to map the clicking Slack user to a portal user by e-mail, open the rejection dialog and
 * answer in the message's thread.
 *
 * @param signingSecret the app's signing secret; empty turns Slack approvals off
 * @param botToken      the app's bot token ({@code xoxb-…})
 * @param apiUrl        Slack's Web API
 * @param tolerance     how old a signed request may be (Slack recommends five minutes)
 * @param maxBody       larger interaction bodies are refused
 * @param timeout       how long a call to Slack's Web API may take
 * @param maxRoleAge    a decision from Slack acts with the roles of the user's last portal login, so only a login
 *                      within this long counts; an older one is refused with "open the portal" (a login confirms the
 *                      roles, which the provider may have taken away since)
 * @param teamId        the Slack workspace (team id, {@code T…}) whose users may decide; empty: any workspace the app
 *                      is installed in (a shared channel's users of another workspace are then mapped by e-mail too)
 */
@ConfigurationProperties("portal.chat.slack")
record SlackProperties(@DefaultValue("") String signingSecret, @DefaultValue("") String botToken,
        @DefaultValue("https://slack.com/api") String apiUrl, @DefaultValue("PT5M") Duration tolerance,
        @DefaultValue("64KB") DataSize maxBody, @DefaultValue("PT10S") Duration timeout,
        @DefaultValue("PT24H") Duration maxRoleAge, @DefaultValue("") String teamId) {

    boolean enabled() {
        return signingSecret != null && !signingSecret.isBlank();
    }

    @Override
    public String toString() {
        return "SlackProperties[apiUrl=" + apiUrl + ", enabled=" + enabled() + "]";
    }
}
