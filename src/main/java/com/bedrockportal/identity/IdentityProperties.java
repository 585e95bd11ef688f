package com.bedrockportal.identity;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Login settings ({@code portal.identity.*}). With no {@code issuer-uri} the portal starts its embedded OIDC
 * provider with demo users.
 */
@ConfigurationProperties("portal.identity")
record IdentityProperties(
        String issuerUri,
        @DefaultValue("portal") String clientId,
        String clientSecret,
        @DefaultValue({ "openid", "profile", "email" }) List<String> scopes,
        @DefaultValue("preferred_username") String usernameClaim,
        @DefaultValue("groups") String groupsClaim,
        @DefaultValue Groups groups,
        @DefaultValue EmbeddedIdp embeddedIdp,
        @DefaultValue FailedLoginAudit failedLoginAudit) {

    /** Which IdP group grants which portal role. */
    public record Groups(
            @DefaultValue("portal-requesters") List<String> requester,
            @DefaultValue("portal-managers") List<String> manager,
            @DefaultValue("portal-security") List<String> security,
            @DefaultValue("portal-admins") List<String> admin) {

        public List<String> groupsFor(PortalRole role) {
            return switch (role) {
                case REQUESTER -> requester;
                case MANAGER -> manager;
                case SECURITY -> security;
                case ADMIN -> admin;
            };
        }
    }

    /**
     * The embedded provider of the default mode. It accepts exactly {@code http://<host>:<server.port>} and
     * {@code extraPortalBaseUrls} as the portal's addresses.
     */
    public record EmbeddedIdp(
            @DefaultValue("9000") int port,
            @DefaultValue("127.0.0.1") String bindAddress,
            @DefaultValue("localhost") String host,
            List<String> extraPortalBaseUrls,
            @DefaultValue LoginDelay loginDelay) {
    }

    /**
     * The embedded provider's progressive delay after failed logins: the first {@code freeFailures} of a username
     * (and {@code freeFailuresPerAddress} of a client address) cost nothing, then each attempt waits {@code first},
     * doubling per further failure up to {@code max}; a key without failures for {@code forgetAfter} starts again.
     */
    public record LoginDelay(
            @DefaultValue("3") int freeFailures,
            @DefaultValue("10") int freeFailuresPerAddress,
            @DefaultValue("PT1S") Duration first,
            @DefaultValue("PT5S") Duration max,
            @DefaultValue("PT15M") Duration forgetAfter) {
    }

    /**
     * Failed logins are audited at most {@code perUserAndAddress} rows per user and client address and at most
     * {@code total} rows in all per {@code window}; the rest are counted and summed up in one row when the window
     * ends.
     */
    public record FailedLoginAudit(
            @DefaultValue("5") int perUserAndAddress,
            @DefaultValue("60") int total,
            @DefaultValue("PT1M") Duration window) {
    }

    public boolean embedded() {
        return issuerUri == null || issuerUri.isBlank();
    }
}
