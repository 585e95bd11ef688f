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

    /**
     * An operation an authenticated user carried out in Camunda (webapp or API), copied from the engine's user
     * operation log.
     */
    public record CamundaOperation(String username, String operation, String entityType, String target,
            String change) {
    }

    /** Camunda refused a logged-in user's request (the engine's authorization check or the portal's guard). */
    public record CamundaRefused(String username, String target, String reason) {
    }

    /** A session ended because its user did nothing (heartbeats of an open tab do not count) for the idle timeout. */
    public record SessionExpired(String username, java.time.Duration idle) {
    }
}
