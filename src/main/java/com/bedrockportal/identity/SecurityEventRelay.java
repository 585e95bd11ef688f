package com.bedrockportal.identity;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Turns Spring Security's events into the portal's {@link SecurityEvents} and keeps the user directory current.
 */
@Component
class SecurityEventRelay {

    private final ApplicationEventPublisher events;
    private final UserDirectory directory;
    private final Reauthentication reauthentication;
    private final FailedLoginAudit failedLogins;

    SecurityEventRelay(ApplicationEventPublisher events, UserDirectory directory, Reauthentication reauthentication,
            FailedLoginAudit failedLogins) {
        this.events = events;
        this.directory = directory;
        this.reauthentication = reauthentication;
        this.failedLogins = failedLogins;
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        Authentication auth = event.getAuthentication();
        if (!(auth.getPrincipal() instanceof OidcUser oidc)) {
            return;
        }
        CurrentUser.Principal principal = CurrentUser.from(auth);
        directory.recordLogin(principal.username(), oidc.getFullName(), oidc.getEmail(), principal.roles());
        events.publishEvent(new SecurityEvents.LoggedIn(principal.username(), principal.roles()));
        if (auth instanceof OAuth2LoginAuthenticationToken login) {
            reauthentication.completed(login.getAuthorizationExchange().getAuthorizationRequest(), oidc.getIdToken())
                    .filter(verdict -> !verdict.fresh())
                    .ifPresent(verdict -> events.publishEvent(
                            new SecurityEvents.ReauthenticationRefused(principal.username(), verdict.reason())));
        }
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        Authentication auth = event.getAuthentication();
        String name = auth == null ? null : auth.getName();
        String address = auth != null && auth.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : null;
        failedLogins.failed(name, address,
                event.getException().getClass().getSimpleName() + ": " + event.getException().getMessage());
    }

    @EventListener
    void onDenied(AuthorizationDeniedEvent<?> event) {
        Authentication auth = event.getAuthentication().get();
        // An anonymous request is sent to the login page; only refusals of a logged-in user are worth a row.
        if (auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated()) {
            return;
        }
        events.publishEvent(new SecurityEvents.AccessDenied(auth.getName(), describe(event.getSource())));
    }

    static String describe(Object source) {
        if (source instanceof jakarta.servlet.http.HttpServletRequest request) {
            return request.getMethod() + " " + request.getRequestURI();
        }
        if (source instanceof org.aopalliance.intercept.MethodInvocation invocation) {
            return invocation.getMethod().getDeclaringClass().getSimpleName() + "." + invocation.getMethod().getName();
        }
        return String.valueOf(source);
    }
}
