package com.bedrockportal.shortkeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationMembers;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.application.ShortTermSuspensions;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.Reauthentication;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.provisioning.ApplicationRoles;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.RoleSessions;

import jakarta.annotation.security.PermitAll;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Issues 12-hour keys: for a member of an application with short-term keys only, after a fresh login, a key built
 * from an {@code AssumeRole} session of the application's role. The key is returned to the caller once and kept
 * nowhere — not in the database, a log line, an exception or the audit entry (which names the session's access key
 * id prefix and the expiry only).
 */
@Service
public class ShortTermKeys {

    public static final String AUDIT_ISSUED = "SHORT_TERM_KEY_ISSUED";
    public static final String AUDIT_REFUSED = "SHORT_TERM_KEY_REFUSED";
    /** How much of the session's access key id the audit entry and the dialog show. */
    static final int ACCESS_KEY_PREFIX = 8;

    public sealed interface Result permits Issued, NotAvailable, LoginAgain, LoginNotConfirmed {
    }

    /**
     * The key, once. {@code shortened}: STS granted a shorter session than asked (role chaining caps it at one hour),
     * so the key expires sooner. {@link #toString()} leaves the key out.
     */
    public record Issued(char[] key, Instant expiresAt, String region, String sessionKeyPrefix, boolean shortened)
            implements Result {
        @Override
        public String toString() {
            return "Issued[expires " + expiresAt + ", " + region + ", session " + sessionKeyPrefix + "…]";
        }
    }

    public record NotAvailable(String reason) implements Result {
    }

    /** The user must log in again first: the URL starts that and comes back to {@code returnPath}. */
    public record LoginAgain(String url) implements Result {
    }

    public record LoginNotConfirmed(String reason) implements Result {
    }

    private static final Logger log = LoggerFactory.getLogger(ShortTermKeys.class);

    private final ShortTermSuspensions suspensions;
    private final ApplicationService applications;
    private final ApplicationMembers members;
    private final ApplicationRoles roles;
    private final RoleSessions sessions;
    private final CurrentUser currentUser;
    private final Reauthentication reauthentication;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final ShortTermKeyProperties properties;
    private final Clock clock;

    ShortTermKeys(ApplicationService applications, ApplicationMembers members, ApplicationRoles roles, RoleSessions sessions,
            CurrentUser currentUser, Reauthentication reauthentication, AuditLog audit,
            ApplicationEventPublisher events, ShortTermKeyProperties properties, Clock clock,
            ShortTermSuspensions suspensions) {
        this.suspensions = suspensions;
        this.applications = applications;
        this.members = members;
        this.roles = roles;
        this.sessions = sessions;
        this.currentUser = currentUser;
        this.reauthentication = reauthentication;
        this.audit = audit;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /** AWS did not answer (or this node's pages already wait on it): nothing was issued, and the person may retry. */
    private NotAvailable awsDidNotAnswer(CloudException e) {
        log.warn("12-hour key: AWS did not answer ({}): {}", e.kind(), e.getMessage());
        return new NotAvailable("AWS did not answer in time; no key was issued. Try again in a minute.");
    }

    /** The path of the page that issues a key of this application (also where a re-login comes back to). */
    public static String path(long applicationId) {
        return "applications/" + applicationId + "/short-term-key";
    }

    /** Whether the current user may get keys of this application: its owner or a member, while it is active. */
    @PermitAll
    public boolean mayGet(Application app) {
        return currentUser.get().map(me -> members.isMember(app, me.username())).orElse(false)
                && app.shortTermOnly() && app.status() == Application.Status.ACTIVE
                && suspensions.of(app.id()).isEmpty();
    }

    /** How long keys of this portal live (the setting, within 15 minutes and 12 hours). */
    public Duration lifetime() {
        return properties.sessionDuration();
    }

    /**
     * Issues a key of the application for the current user, who must be its member and have logged in again within
     * {@code portal.short-term-keys.reauth-within}; the key is valid in {@code region} (one of the application's
     * approved regions; null: the first). Anyone else gets the same answer as for an application that does not exist,
     * and the attempt is recorded.
     */
    @PermitAll
    @Transactional(noRollbackFor = CloudException.class)
    public Result issue(long applicationId, String region) {
        String me = currentUser.get().map(CurrentUser.Principal::username)
                .orElseThrow(() -> new IllegalStateException("no logged-in user"));
        Optional<Application> found = applications.find(applicationId);
        if (found.isEmpty() || !members.isMember(found.get(), me)) {
            events.publishEvent(new SecurityEvents.AccessDenied(me, "application:" + applicationId));
            audit.record(me, AUDIT_REFUSED, "application:" + applicationId, "not a member of the application");
            return new NotAvailable("Only the application's owner and its members can get its 12-hour keys.");
        }
        Application app = found.get();
        if (!app.shortTermOnly()) {
            return new NotAvailable(app.displayName() + " uses long-term keys; 12-hour keys are for applications "
                    + "that chose short-term keys only.");
        }
        // Read under the application's row lock, held to the end: a decommission that committed meanwhile is seen
        // here, and an issuance either finishes before a suspension starts (whose deny then covers the session it
        // made) or waits and finds the application suspended.
        Application.Status status = applications.lock(app.id()).status();
        if (status != Application.Status.ACTIVE) {
            return new NotAvailable(app.displayName() + " is " + status.name().toLowerCase(java.util.Locale.ROOT)
                    + ": it issues no more keys.");
        }
        Optional<ShortTermSuspensions.Suspension> suspended = suspensions.of(app.id());
        if (suspended.isPresent()) {
            return new NotAvailable("12-hour keys of " + app.displayName() + " are suspended since "
                    + suspended.get().at() + " by " + suspended.get().by() + ": " + suspended.get().reason()
                    + ". Security can resume them on the application page.");
        }
        String where = region == null ? app.access().regions().stream().findFirst().orElse(null) : region;
        if (where == null || !app.access().regions().contains(where)) {
            return new NotAvailable("Pick one of the application's approved regions: " + app.access().regions());
        }
        if (!reauthentication.isFresh(properties.reauthWithin())) {
            Optional<String> refused = reauthentication.takeRefusal();
            if (refused.isPresent()) {
                return new LoginNotConfirmed(refused.get());
            }
            return new LoginAgain(reauthentication.start(path(applicationId), properties.reauthWithin()));
        }
        ApplicationRoles.IamRole role;
        try {
            role = roles.findRole(app.names().iamUser()).orElse(null);
        } catch (CloudException e) {
            if (e.business()) {
                throw e;
            }
            return awsDidNotAnswer(e);
        }
        if (role == null) {
            return new NotAvailable("The IAM role " + app.names().iamUser() + " of " + app.displayName()
                    + " is missing in AWS. Ask the platform team (the drift page shows it).");
        }
        Duration asked = properties.sessionDuration();
        RoleSessions.SessionCredentials session;
        try {
            session = sessions.assumeRole(role.arn(), sessionName(me), asked);
        } catch (CloudException e) {
            if (!e.business()) {
                return awsDidNotAnswer(e);
            }
            return new NotAvailable("AWS did not let the portal assume " + role.roleName() + " ("
                    + e.forPeopleLogged(log, "AssumeRole of " + role.arn() + " for " + me) + "). Ask the platform team.");
        }
        Instant now = clock.instant();
        Instant expires = session.expiresAt() == null || session.expiresAt().isAfter(now.plus(asked))
                ? now.plus(asked) : session.expiresAt();
        // STS's expiry is stamped a moment before this now: whole seconds, rounded up, never more than asked.
        Duration left = Duration.between(now, expires);
        long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
        Duration lifetime = Duration.ofSeconds(Math.max(1, Math.min(seconds, asked.getSeconds())));
        char[] key = BedrockTokens.token(AwsSessionCredentials.create(session.accessKeyId(),
                session.secretAccessKey(), session.sessionToken()), where, lifetime, clock);
        String prefix = session.accessKeyId().substring(0, Math.min(ACCESS_KEY_PREFIX,
                session.accessKeyId().length()));
        boolean shortened = lifetime.compareTo(asked.minusMinutes(1)) < 0;
        audit.record(me, AUDIT_ISSUED, "application:" + app.id(), "expires " + expires + "; lifetime "
                + lifetime + (shortened ? " (shorter than the " + asked + " asked: STS granted less)" : "")
                + "; region " + where + "; role " + role.roleName() + "; session access key id " + prefix + "…");
        return new Issued(key, expires, where, prefix, shortened);
    }

    /** The portal user as STS's RoleSessionName ([\w+=,.@-]{2,64}), so CloudTrail names who used the key. */
    static String sessionName(String username) {
        String name = username.replaceAll("[^\\w+=,.@-]", "-");
        name = name.length() > 64 ? name.substring(0, 64) : name;
        return name.length() < 2 ? name + "--".substring(name.length()) : name;
    }
}
