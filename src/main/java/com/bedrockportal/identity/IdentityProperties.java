package com.bedrockportal.identity;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Login settings ({@code portal.identity.*}). With no {@code issuer-uri} the portal starts its embedded OIDC
 * provider with demo users.
 */
@ConfigurationProperties("portal.identity")
public record IdentityProperties(
        String issuerUri,
        @DefaultValue("portal") String clientId,
        String clientSecret,
        @DefaultValue({ "openid", "profile", "email" }) List<String> scopes,
        @DefaultValue("preferred_username") String usernameClaim,
        @DefaultValue("groups") String groupsClaim,
        @DefaultValue Groups groups,
        @DefaultValue EmbeddedIdp embeddedIdp) {

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

    /** The embedded provider of the default mode. */
    public record EmbeddedIdp(
            @DefaultValue("9000") int port,
            @DefaultValue("127.0.0.1") String bindAddress,
            @DefaultValue("localhost") String host,
            List<String> extraPortalBaseUrls) {
    }

    public boolean embedded() {
        return issuerUri == null || issuerUri.isBlank();
    }
}
