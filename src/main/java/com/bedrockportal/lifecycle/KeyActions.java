package com.bedrockportal.lifecycle;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Disable, re-enable and revoke a key. Who may: the key's owner, the managers of its business unit and security;
 * re-enabling is security's alone ({@link #permitted}). Every action needs a reason, changes AWS first and the
 * portal's record only once AWS said yes (in one transaction, with the key's row locked), is audited and tells the
 * owner. A refusal changes nothing; a refusal for lack of permission is audited as {@code ACCESS_DENIED}.
 */
@Service
public class KeyActions {

    /** The longest reason the server accepts (the dialog's field has the same cap). */
    public static final int MAX_REASON = 500;

    public enum Action {
        DISABLE, REENABLE, REVOKE
    }

    /** A key page: the key, its unit's name, and what the current user may do with it now. */
    public record KeyPage(ApiKey key, String businessUnit, Set<Action> actions) {
    }

    /** The action is not allowed, or no longer possible; nothing changed. The message is for the user. */
    public static class Refused extends com.bedrockportal.shared.Refusal {
        private static final long serialVersionUID = 1L;

        /** Not possible in the current state. */
        public Refused(String message) {
            super(message, false);
        }

        private Refused(String message, boolean notPermitted) {
            super(message, notPermitted);
        }

        /** The caller is not one who may do this. */
        static Refused notPermitted(String message) {
            return new Refused(message, true);
        }
    }

    /**
     * AWS refused the change or did not answer; nothing changed in the portal. {@code retry}: a transient failure
     * (throttling, timeout, 5xx) that trying again may get past.
     */
    public static class CloudFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean retry;

        public CloudFailed(String message, boolean retry) {
            super(message);
            this.retry = retry;
        }

        public boolean retry() {
            return retry;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(KeyActions.class);

    private final ApiKeys keys;
    private final ServiceCredentials credentials;
    private final BusinessUnitService units;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final Notifier notifier;
    private final ApplicationEventPublisher events;
    private final FormValidation texts;

    private final ApplicationService applications;

    private final CompromiseRepository compromises;

    KeyActions(ApiKeys keys, ServiceCredentials credentials, BusinessUnitService units, CurrentUser currentUser,
            AuditLog audit, Notifier notifier, ApplicationEventPublisher events, FormValidation texts,
            ApplicationService applications, CompromiseRepository compromises) {
        this.applications = applications;
        this.compromises = compromises;
        this.keys = keys;
        this.credentials = credentials;
        this.units = units;
        this.currentUser = currentUser;
        this.audit = audit;
        this.notifier = notifier;
        this.events = events;
        this.texts = texts;
    }

    /**
     * The key page, if the current user may see the key: its owner, members (requesters) and managers of its unit,
     * security, admins. Anyone else gets the same empty answer as for a key that does not exist, and it is audited.
     */
    @PermitAll
    @Transactional
    public Optional<KeyPage> page(long keyId) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Optional<ApiKey> key = keys.find(keyId);
        Optional<BusinessUnit> unit = key.flatMap(k -> units.find(k.businessUnitId()));
        if (key.isEmpty() || unit.isEmpty() || !mayView(me, key.get(), unit.get())) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), target(keyId)));
            return Optional.empty();
        }
        Set<Action> actions = EnumSet.noneOf(Action.class);
        actions.addAll(permitted(me, key.get(), unit.get()));
        actions.retainAll(possible(key.get()));
        return Optional.of(new KeyPage(key.get(), unit.get().displayName(), Set.copyOf(actions)));
    }

    /** Sets the key Inactive in AWS at once; it stops working. Security can re-enable it. */
    @RolesAllowed({ PortalRole.REQUESTER_ROLE, PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(noRollbackFor = { Refused.class, CloudFailed.class }) // nothing is written before AWS answers
    public ApiKey disable(long keyId, String reason) {
        Target t = prepare(keyId, Action.DISABLE, reason);
        KeyStatus from = t.key().status();
        if (from != KeyStatus.ACTIVE && from != KeyStatus.PENDING_REVEAL) {
            throw new Refused(notPossible(t.key()));
        }
        inAws(() -> credentials.updateServiceCredentialStatus(t.key().iamUser(), t.key().credentialId(), false),
                false);
        keys.markInactive(keyId, from, t.reason(), t.actor());
        return done(t, AuditActions.KEY_DISABLED, "keyaction.notify.disabled");
    }

    /**
     * Disables a key for a process that runs without a user (an access review's missed deadline): the same change
     * in AWS, record, audit and notice as {@link #disable}, with {@code actor} as who did it. A key that no longer
     * works (already disabled, revoked, deleted) is left as it is: empty, nothing changed, so a retried step does
     * nothing twice. The caller has checked that the key is to be disabled.
     */
    @Transactional
    public Optional<ApiKey> disableBySystem(long keyId, String actor, String reason) {
        Optional<ApiKey> key = keys.lock(keyId);
        Optional<BusinessUnit> unit = key.flatMap(k -> units.find(k.businessUnitId()));
        if (key.isEmpty() || unit.isEmpty()) {
            return Optional.empty();
        }
        KeyStatus from = key.get().status();
        if (from != KeyStatus.ACTIVE && from != KeyStatus.PENDING_REVEAL) {
            return Optional.empty();
        }
        String text = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        Target t = new Target(key.get(), unit.get(), actor, text);
        inAws(() -> credentials.updateServiceCredentialStatus(t.key().iamUser(), t.key().credentialId(), false),
                false);
        keys.markInactive(keyId, from, t.reason(), t.actor());
        return Optional.of(done(t, AuditActions.KEY_DISABLED, "keyaction.notify.disabled"));
    }

    /** Sets a disabled key Active in AWS again. Security only. */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    @Transactional(noRollbackFor = { Refused.class, CloudFailed.class }) // nothing is written before AWS answers
    public ApiKey reenable(long keyId, String reason) {
        Target t = prepare(keyId, Action.REENABLE, reason);
        if (t.key().status() != KeyStatus.INACTIVE) {
            throw new Refused(notPossible(t.key()));
        }
        // A reported key comes back only through its case's triage ("false alarm"), which records why.
        Optional<CompromiseCase> open = compromises.openOf(keyId);
        if (open.isPresent()) {
            throw new Refused(texts.text("keyaction.refused.openCase", open.get().id()));
        }
        if (keys.nobodyHolds(t.key())) {
            throw new Refused(texts.text("keyaction.refused.nobodyHoldsIt"));
        }
        inAws(() -> credentials.updateServiceCredentialStatus(t.key().iamUser(), t.key().credentialId(), true),
                false);
        keys.markReenabled(keyId, t.reason(), t.actor());
        return done(t, AuditActions.KEY_REENABLED, "keyaction.notify.reenabled");
    }

    /**
     * Sets the key Inactive in AWS at once, then deletes it there, which frees its slot: the IAM user can hold a new
     * key. A credential AWS no longer has counts as deleted, so retrying a revoke that failed half-way succeeds.
     */
    @RolesAllowed({ PortalRole.REQUESTER_ROLE, PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(noRollbackFor = { Refused.class, CloudFailed.class }) // nothing is written before AWS answers
    public ApiKey revoke(long keyId, String reason) {
        Target t = prepare(keyId, Action.REVOKE, reason);
        KeyStatus from = t.key().status();
        if (!from.live()) {
            throw new Refused(notPossible(t.key()));
        }
        inAws(() -> credentials.updateServiceCredentialStatus(t.key().iamUser(), t.key().credentialId(), false),
                true);
        inAws(() -> credentials.deleteServiceCredential(t.key().iamUser(), t.key().credentialId()), true);
        keys.markRevoked(keyId, from, t.reason(), t.actor());
        return done(t, AuditActions.KEY_REVOKED, "keyaction.notify.revoked");
    }

    /**
     * Who may take which action on a key, by person and role alone (the key's status decides the rest): its owner
     * and the managers of its unit may disable and revoke; security may disable, revoke and re-enable. The one place
     * that names the owner: the owner of the key's application (it follows a handover), or, for a key no application
     * records, the requester it was issued to.
     */
    Set<Action> permitted(CurrentUser.Principal me, ApiKey key, BusinessUnit unit) {
        Set<Action> allowed = EnumSet.noneOf(Action.class);
        // The owner while a member of the unit: an owner who left keeps nothing of the application until handed over.
        boolean owner = me.has(PortalRole.REQUESTER) && me.username().equals(ownerOf(key))
                && unit.members().contains(me.username());
        boolean manager = me.has(PortalRole.MANAGER) && unit.managers().contains(me.username());
        boolean security = me.has(PortalRole.SECURITY);
        if (owner || manager || security) {
            allowed.add(Action.DISABLE);
            allowed.add(Action.REVOKE);
        }
        if (security) {
            allowed.add(Action.REENABLE);
        }
        return allowed;
    }

    private String ownerOf(ApiKey key) {
        return applications.ownerOfIamUser(key.iamUser()).orElse(key.requester());
    }

    /** Which actions the key's status allows. */
    static Set<Action> possible(ApiKey key) {
        return switch (key.status()) {
            case ACTIVE, PENDING_REVEAL -> EnumSet.of(Action.DISABLE, Action.REVOKE);
            case INACTIVE -> key.revealedAt() != null || key.sealedCopy()
                    ? EnumSet.of(Action.REENABLE, Action.REVOKE) : EnumSet.of(Action.REVOKE);
            case DELETED, REVOKED -> EnumSet.noneOf(Action.class);
        };
    }

    private boolean mayView(CurrentUser.Principal me, ApiKey key, BusinessUnit unit) {
        return me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN) || !permitted(me, key, unit).isEmpty()
                || me.has(PortalRole.REQUESTER) && unit.members().contains(me.username());
    }

    private record Target(ApiKey key, BusinessUnit unit, String actor, String reason) {
    }

    /** Locks the key, checks the caller may take the action, and the reason; refuses otherwise. */
    private Target prepare(long keyId, Action action, String reason) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Optional<ApiKey> key = keys.lock(keyId);
        Optional<BusinessUnit> unit = key.flatMap(k -> units.find(k.businessUnitId()));
        if (key.isEmpty() || unit.isEmpty() || !permitted(me, key.get(), unit.get()).contains(action)) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(),
                    action.name().toLowerCase(java.util.Locale.ROOT) + " " + target(keyId)));
            throw Refused.notPermitted(texts.text(action == Action.REENABLE ? "keyaction.refused.securityOnly"
                    : "keyaction.refused.notAllowed"));
        }
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty()) {
            throw FieldErrors.of("reason", texts.text("keyaction.reason.required"));
        }
        if (text.length() > MAX_REASON) {
            throw FieldErrors.of("reason", texts.text("keyaction.reason.long", MAX_REASON));
        }
        return new Target(key.get(), unit.get(), me.username(), text);
    }

    /** Runs one AWS call; {@code goneIsDone}: a credential AWS no longer has counts as done (revoke). */
    private void inAws(Runnable call, boolean goneIsDone) {
        try {
            call.run();
        } catch (CloudException e) {
            if (goneIsDone && e.kind() == CloudException.Kind.NOT_FOUND) {
                return;
            }
            if (!e.business()) {
                log.warn("Key action: AWS did not answer ({}): {}", e.kind(), e.getMessage());
                throw new CloudFailed(texts.text("keyaction.aws.transient"), true);
            }
            throw new CloudFailed(texts.text("keyaction.aws.refused", e.forPeopleLogged(log, "Key action")), false);
        }
    }

    private ApiKey done(Target t, String auditAction, String notification) {
        ApiKey after = keys.find(t.key().id()).orElseThrow();
        ApiKey k = t.key();
        audit.record(t.actor(), auditAction, target(k.id()), "key " + k.prefix() + "… of " + k.iamUser()
                + " (request " + k.requestId() + "), " + k.status().name() + " → " + after.status().name()
                + ", reason: " + t.reason());
        String owner = ownerOf(k);
        if (owner != null) {
            notifier.notify(List.of(owner),
                    texts.text(notification + ".title", k.prefix(), t.unit().displayName()),
                    texts.text(notification + ".body", k.prefix(), t.unit().displayName(), t.actor(), t.reason()),
                    "keys/" + k.id());
        }
        log.info("Key {} ({}…) {} by {}", k.id(), k.prefix(), after.status().label(), t.actor());
        return after;
    }

    private String notPossible(ApiKey key) {
        return switch (key.status()) {
            case REVOKED, DELETED -> texts.text("keyaction.refused.revoked");
            case INACTIVE -> texts.text("keyaction.refused.inactive");
            default -> texts.text("keyaction.refused.notInactive");
        };
    }

    private static String target(long keyId) {
        return "key:" + keyId;
    }
}
