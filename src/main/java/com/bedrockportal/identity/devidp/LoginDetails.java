package com.bedrockportal.identity.devidp;

import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The details of a password login at the embedded provider: the client's address and session, plus the moment the
 * password was submitted. The ID token's {@code auth_time} is that moment (see {@code EmbeddedIdpConfig}), not the
 * time the provider's session was first used for an authorization request.
 */
final class LoginDetails extends WebAuthenticationDetails {

    private static final long serialVersionUID = 1L;

    private final Instant authenticatedAt;

    LoginDetails(HttpServletRequest request, Instant authenticatedAt) {
        super(request);
        this.authenticatedAt = authenticatedAt;
    }

    Instant authenticatedAt() {
        return authenticatedAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoginDetails that && super.equals(that)
                && authenticatedAt.equals(that.authenticatedAt);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + authenticatedAt.hashCode();
    }
}
