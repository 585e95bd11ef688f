package com.bedrockportal.identity;

import java.util.Set;

/** Events the identity module publishes; the audit module records them. */
public final class SecurityEvents {

    private SecurityEvents() {
    }

    /** A user completed the OIDC login at the portal. */
    public record LoggedIn(String username, Set<PortalRole> roles) {
    }

    /** A login failed, at the embedded provider or at the portal's OIDC callback. */
    public record LoginFailed(String username, String reason) {
    }

    /** A user logged out. */
    public record LoggedOut(String username) {
    }

    /**
     * A re-login before a sensitive action (revealing a key) completed, but the IdP's ID token did not show a new
     * authentication ({@code auth_time} missing, too old or in the future): it does not count.
     */
    public record ReauthenticationRefused(String username, String reason) {
    }

    /** A logged-in user was refused a URL, a view or a service method. */
    public record AccessDenied(String username, String target) {
    }
}
