package com.bedrockportal.application;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.ApplicationRoles;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * 12-hour keys suspended: what disabling or revoking keys is for an application that has none, only a role that
 * issues them on demand. An access review's revoke, a review's deadline missed with "disable", and an owner who left
 * without a successor suspend them: no key is issued any more, and an inline deny on the role
 * ({@link ApplicationRoles#REVOKED_SESSIONS_POLICY}) refuses in AWS every session issued before, so the keys already
 * handed out stop at their next call. Security resumes issuing, with a reason; the deny stays, harmless to new sessions.
 */
@Service
public class ShortTermSuspensions {

    public static final String AUDIT_SUSPENDED = "SHORT_TERM_KEYS_SUSPENDED";
    public static final String AUDIT_RESUMED = "SHORT_TERM_KEYS_RESUMED";
    /** The longest reason the server accepts. */
    public static final int MAX_REASON = 500;

    /** Since when, by whom and why an application's 12-hour keys are suspended. */
    public record Suspension(Instant at, String by, String reason) {
    }

    private final JdbcClient jdbc;
    private final ApplicationRepository repository;
    private final ApplicationRoles roles;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final Notifier notifier;
    private final FormValidation texts;
    private final Clock clock;

    ShortTermSuspensions(JdbcClient jdbc, ApplicationRepository repository, ApplicationRoles roles,
            CurrentUser currentUser, AuditLog audit, Notifier notifier, FormValidation texts, Clock clock) {
        this.jdbc = jdbc;
        this.repository = repository;
        this.roles = roles;
        this.currentUser = currentUser;
        this.audit = audit;
        this.notifier = notifier;
        this.texts = texts;
        this.clock = clock;
    }

    /** The application's suspension, if its 12-hour keys are suspended. */
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<Suspension> of(long applicationId) {
        return jdbc.sql("""
                select short_term_suspended_at, short_term_suspended_by, short_term_suspended_reason from application
                where id = :id and short_term_suspended_at is not null""").param("id", applicationId)
                .query((rs, i) -> new Suspension(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
                        rs.getString(3)))
                .optional();
    }

    /**
     * Suspends the application's 12-hour keys: AWS first (the deny of older sessions; a role AWS no longer has issues
     * nothing anyway), then the record, audited, the owner told. Called by the services that decided it (a review, the
     * owner check), which checked the caller; false, with nothing done, for an application without 12-hour keys, not
     * active, or suspended already. An AWS failure is thrown and nothing is recorded.
     */
    @Transactional
    public boolean suspend(long applicationId, String actor, String reason) {
        Application app = repository.lock(applicationId).orElse(null);
        if (app == null || !app.shortTermOnly() || app.status() != Application.Status.ACTIVE
                || of(applicationId).isPresent()) {
            return false;
        }
        Instant now = clock.instant();
        String text = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        try {
            // A whole second later than now: a session issued within this second, before the suspension, is refused too.
            roles.putRolePolicy(app.names().iamUser(), ApplicationRoles.REVOKED_SESSIONS_POLICY,
                    ApplicationRoles.denySessionsIssuedBefore(now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)));
        } catch (CloudException e) {
            if (e.kind() != CloudException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        jdbc.sql("""
                update application set short_term_suspended_at = :at, short_term_suspended_by = :by,
                    short_term_suspended_reason = :why where id = :id""")
                .param("at", now.atOffset(ZoneOffset.UTC)).param("by", actor).param("why", text)
                .param("id", applicationId).update();
        audit.record(actor, AUDIT_SUSPENDED, "application:" + applicationId, app.names().iamUser()
                + ": no more 12-hour keys; sessions issued before refused in AWS; reason: " + text);
        notifier.notify(List.of(app.owner()), texts.text("shortkeys.suspended.notify.title", app.displayName()),
                texts.text("shortkeys.suspended.notify.body", app.displayName(), actor, text),
                "applications/" + applicationId);
        return true;
    }

    /**
     * Security resumes issuing 12-hour keys, with a reason (required, at most {@value #MAX_REASON} characters).
     *
     * @throws FieldErrors                {@code reason} missing or too long
     * @throws ApplicationOwners.Refused the application's keys are not suspended (any more)
     */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    @Transactional
    public void resume(long applicationId, String reason) {
        String me = currentUser.get().orElseThrow().username();
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty()) {
            throw FieldErrors.of("reason", texts.text("shortkeys.resume.reason.required"));
        }
        if (text.length() > MAX_REASON) {
            throw FieldErrors.of("reason", texts.text("shortkeys.resume.reason.long", MAX_REASON));
        }
        Application app = repository.lock(applicationId).orElse(null);
        if (app == null || of(applicationId).isEmpty()) {
            throw new ApplicationOwners.Refused(texts.text("shortkeys.resume.notSuspended"));
        }
        jdbc.sql("""
                update application set short_term_suspended_at = null, short_term_suspended_by = null,
                    short_term_suspended_reason = null where id = :id""").param("id", applicationId).update();
        audit.record(me, AUDIT_RESUMED, "application:" + applicationId, app.names().iamUser()
                + ": 12-hour keys issued again; reason: " + text);
        notifier.notify(List.of(app.owner()), texts.text("shortkeys.resumed.notify.title", app.displayName()),
                texts.text("shortkeys.resumed.notify.body", app.displayName(), me, text),
                "applications/" + applicationId);
    }
}
