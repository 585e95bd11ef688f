package com.bedrockportal.audit;

import java.util.stream.Collectors;

import com.bedrockportal.identity.SecurityEvents;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Records logins, failed logins, refused re-logins, logouts and refusals. Runs synchronously in the publisher's thread. */
@Component
class SecurityEventsAuditor {

    private final AuditLog audit;

    SecurityEventsAuditor(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void on(SecurityEvents.LoggedIn e) {
        String roles = e.roles().isEmpty() ? "none"
                : e.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
        audit.record(e.username(), AuditActions.LOGIN_SUCCESS, user(e.username()), "roles: " + roles);
    }

    @EventListener
    void on(SecurityEvents.LoginFailed e) {
        audit.record(e.username(), AuditActions.LOGIN_FAILURE, user(e.username()), e.reason());
    }

    @EventListener
    void on(SecurityEvents.LoggedOut e) {
        audit.record(e.username(), AuditActions.LOGOUT, user(e.username()), null);
    }

    @EventListener
    void on(SecurityEvents.ReauthenticationRefused e) {
        audit.record(e.username(), AuditActions.REAUTH_REFUSED, user(e.username()), e.reason());
    }

    @EventListener
    void on(SecurityEvents.AccessDenied e) {
        audit.record(e.username(), AuditActions.ACCESS_DENIED, e.target(), null);
    }

    @EventListener
    void on(SecurityEvents.CamundaOperation e) {
        audit.record(e.username(), AuditActions.CAMUNDA_OPERATION, e.target(),
                e.operation() + " on " + e.entityType() + (e.change() == null ? "" : " (" + e.change() + ")"));
    }

    @EventListener
    void on(SecurityEvents.CamundaRefused e) {
        audit.record(e.username(), AuditActions.CAMUNDA_REFUSED, e.target(), e.reason());
    }

    @EventListener
    void on(SecurityEvents.SessionExpired e) {
        audit.record(e.username(), AuditActions.SESSION_EXPIRED, user(e.username()),
                "idle for " + e.idle().toMinutes() + " min");
    }

    private static String user(String username) {
        return username == null || username.isBlank() ? null : "user:" + username;
    }
}
