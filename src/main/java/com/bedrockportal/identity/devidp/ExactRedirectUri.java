package com.bedrockportal.identity.devidp;

import java.util.function.Consumer;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.util.StringUtils;

/**
 * Redirect URIs must equal a registered one, character for character. Spring Authorization Server's default lets a
 * loopback redirect URI ({@code 127.0.0.1}, {@code [::1]}) use any port (RFC 8252, for native apps), so any program
 * on the machine could receive the portal's codes; the portal is no native app and has one known address.
 */
final class ExactRedirectUri {

    static final Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> VALIDATOR =
            ((Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext>) ExactRedirectUri::validate)
                    .andThen(OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR)
                    .andThen(OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR);

    private ExactRedirectUri() {
    }

    private static void validate(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        String requested = request.getRedirectUri();
        if (StringUtils.hasText(requested) && !context.getRegisteredClient().getRedirectUris().contains(requested)) {
            // No redirect URI in the error: the error page is shown here, never sent to the unknown address.
            OAuth2AuthorizationCodeRequestAuthenticationToken withoutRedirect =
                    new OAuth2AuthorizationCodeRequestAuthenticationToken(request.getAuthorizationUri(),
                            request.getClientId(), (Authentication) request.getPrincipal(), null, request.getState(),
                            request.getScopes(), request.getAdditionalParameters());
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(
                    OAuth2ErrorCodes.INVALID_REQUEST, "redirect_uri is not registered for this client", null),
                    withoutRedirect);
        }
    }
}
