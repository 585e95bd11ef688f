package com.bedrockportal.application;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.businessunit.MembersChanged;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;
import com.bedrockportal.shared.Totals;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who owns an application, and what happens when the owner leaves.
 *
 * <p><b>Handover and purpose.</b> The owner, the managers of the application's unit and security may hand the
 * application over to another member of the unit (with a reason) and edit its purpose. A handover sets the IAM user's
 * {@code owner} tag to the new owner's e-mail address first (IAM TagUser: idempotent, other tags stay) and changes
 * the portal's record only once AWS said yes, in one transaction with the application's row locked: if AWS refuses or
 * does not answer, nothing changes in the portal. Should the commit fail after AWS said yes, the tag is ahead of the
 * record until the handover is repeated, which tags again and converges. The purpose lives in the portal only: the
 * {@code purpose} tag is the runbook's constant {@code bedrock} (what the user is for, read by cost reports), and a
 * free-text purpose cannot be an AWS tag value faithfully (256 characters of a restricted set).
 *
 * <p><b>Owner leaves.</b> When an admin removes a member from a unit, the unit's active applications that person owns
 * are flagged (after the save committed) and shown on the managers' home page with the day their keys will be
 * disabled. A handover clears the flag; so does the owner joining the unit again. Past
 * {@code portal.applications.orphan-grace} a scheduled check disables their working keys in AWS (Inactive, reason
 * "owner left, no new owner within …"), audits each and tells the managers — once per flag, so a key security
 * re-enables afterwards stays enabled.
 */
@Service
public class ApplicationOwners {

    public static final String AUDIT_OWNER_CHANGED = "APPLICATION_OWNER_CHANGED";
    public static final String AUDIT_PURPOSE_CHANGED = "APPLICATION_PURPOSE_CHANGED";
    public static final String AUDIT_ORPHANED = "APPLICATION_ORPHANED";
    public static final String AUDIT_ORPHAN_CLEARED = "APPLICATION_ORPHAN_CLEARED";
    public static final String AUDIT_ORPHAN_KEYS_DISABLED = "APPLICATION_ORPHAN_KEYS_DISABLED";
    /** The longest reason and purpose the server accepts (the dialog's fields have the same caps). */
    public static final int MAX_REASON = 500;
    public static final int MAX_PURPOSE = 2000;
    /** AWS tag values hold at most 256 characters; the owner's address becomes one. */
    public static final int MAX_OWNER_EMAIL = 256;
    /** An address that is also a valid AWS tag value: letters, digits and _ . = + - in its parts. No unbounded runs. */
    private static final Pattern TAGGABLE_EMAIL = Pattern
            .compile("^[\\p{L}\\p{N}_.=+-]{1,64}@[\\p{L}\\p{N}-]{1,63}(\\.[\\p{L}\\p{N}-]{1,63}){1,8}$");
    static final String OWNER_TAG = "owner";
    static final String SYSTEM = "system";

    /** An application waiting for a new owner: who left, since when, and when its keys were disabled (or null). */
    public record Orphan(Application application, String formerOwner, Instant flaggedAt, Instant keysDisabledAt) {
    }

    /**
     * What the current user may do about an application's ownership: hand it over and edit its purpose (with the
     * members it can go to), and its orphan flag with the moment its keys are (or were) disabled.
     */
    public record Stewardship(boolean mayChange, List<String> candidates, Optional<Orphan> orphan,
            Instant keysDisabledFrom) {
    }

    /** Not allowed, or not possible (any longer); nothing changed. The message is for the user. */
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

    /** AWS refused the tag change or did not answer; nothing changed in the portal. */
    public static class CloudFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CloudFailed(String message) {
            super(message);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ApplicationOwners.class);

    private final ApplicationRepository repository;
    private final BusinessUnitService units;
    private final IamUsers iamUsers;
    private final ServiceCredentials credentials;
    private final ApiKeys keys;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final Notifier notifier;
    private final ApplicationEventPublisher events;
    private final FormValidation texts;
    private final ApplicationProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    private final ShortTermSuspensions suspensions;

    ApplicationOwners(ApplicationRepository repository, BusinessUnitService units, IamUsers iamUsers,
            ServiceCredentials credentials, ApiKeys keys, CurrentUser currentUser, AuditLog audit, Notifier notifier,
            ApplicationEventPublisher events, FormValidation texts, ApplicationProperties properties,
            PlatformTransactionManager transactionManager, Clock clock, ShortTermSuspensions suspensions) {
        this.suspensions = suspensions;
        this.repository = repository;
        this.units = units;
        this.iamUsers = iamUsers;
        this.credentials = credentials;
        this.keys = keys;
        this.currentUser = currentUser;
        this.audit = audit;
        this.notifier = notifier;
        this.events = events;
        this.texts = texts;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** What the current user may do about this application's ownership (the caller has checked they may see it). */
    @PermitAll
    @Transactional(readOnly = true)
    public Stewardship stewardship(Application app) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        BusinessUnit unit = units.find(app.businessUnitId()).orElseThrow();
        Optional<Orphan> orphan = repository.orphan(app.id());
        boolean may = app.status() == Application.Status.ACTIVE && mayChange(me, app, unit);
        List<String> candidates = may ? unit.members().stream().sorted()
                .filter(m -> orphan.isPresent() || !m.equals(app.owner())).toList() : List.of();
        return new Stewardship(may, candidates, orphan,
                orphan.map(o -> o.keysDisabledAt() != null ? o.keysDisabledAt() : disableFrom(o)).orElse(null));
    }

    /**
     * Hands the application over to {@code newOwner}, a member of its unit, whose e-mail address the IAM user's
     * {@code owner} tag will carry. AWS first, then the record (see the class comment); audited; both owners told.
     *
     * @throws FieldErrors for the fields {@code newOwner}, {@code ownerEmail}, {@code reason}
     * @throws Refused     when the user may not, or the application is not active
     * @throws CloudFailed when AWS refused or did not answer
     */
    @RolesAllowed({ PortalRole.REQUESTER_ROLE, PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(noRollbackFor = Refused.class)
    public Application handOver(long applicationId, String newOwner, String ownerEmail, String reason) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Target t = prepare(me, applicationId, "hand over");
        Application app = t.app();
        String owner = newOwner == null ? "" : newOwner.strip();
        String email = ownerEmail == null ? "" : ownerEmail.strip();
        String why = reason == null ? "" : reason.strip();
        boolean orphaned = repository.orphan(app.id()).isPresent();
        FieldErrors.Collector errors = new FieldErrors.Collector();
        if (owner.isEmpty()) {
            errors.add("newOwner", texts.text("owners.newOwner.required"));
        } else if (!t.unit().members().contains(owner)) {
            errors.add("newOwner", texts.text("owners.newOwner.notMember", owner, t.unit().displayName()));
        } else if (owner.equals(app.owner()) && !orphaned) {
            errors.add("newOwner", texts.text("owners.newOwner.same", owner));
        }
        if (email.isEmpty() || email.length() > MAX_OWNER_EMAIL || !TAGGABLE_EMAIL.matcher(email).matches()) {
            errors.add("ownerEmail", texts.text("owners.email.invalid", MAX_OWNER_EMAIL));
        }
        if (why.isEmpty()) {
            errors.add("reason", texts.text("keyaction.reason.required"));
        } else if (why.length() > MAX_REASON) {
            errors.add("reason", texts.text("keyaction.reason.long", MAX_REASON));
        }
        errors.throwIfAny();
        try {
            iamUsers.tagUser(app.names().iamUser(), Map.of(OWNER_TAG, email));
        } catch (CloudException e) {
            throw new CloudFailed(e.business() ? texts.text("owners.aws.refused", e.forPeopleLogged(log,
                    "Handover of application " + app.id()))
                    : texts.text("owners.aws.transient"));
        }
        repository.changeOwner(app.id(), owner, email, clock.instant());
        // A rotation's new key waiting for its reveal is the owner's: the new owner reveals it, not the one who left.
        int moved = keys.handOverUnrevealedRotationKeys(app.id(), owner);
        audit.record(me.username(), AUDIT_OWNER_CHANGED, target(app), "owner " + app.owner() + " (" + app.ownerEmail()
                + ") -> " + owner + " (" + email + "); IAM user " + app.names().iamUser() + " tagged owner=" + email
                + (orphaned ? "; no longer waiting for a new owner" : "")
                + (moved > 0 ? "; the rotation's unrevealed new key is now " + owner + "'s to reveal" : "")
                + "; reason: " + why);
        notifier.notify(List.of(app.owner(), owner), texts.text("owners.notify.handover.title", app.displayName()),
                texts.text("owners.notify.handover.body", app.displayName(), t.unit().displayName(), app.owner(),
                        owner, me.username(), why),
                link(app));
        log.info("Application {} handed over from {} to {} by {}", app.id(), app.owner(), owner, me.username());
        return repository.find(app.id()).orElseThrow();
    }

    /**
     * Edits the application's purpose (the portal's record only; see the class comment). Audited with before and
     * after; the owner is told.
     */
    @RolesAllowed({ PortalRole.REQUESTER_ROLE, PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(noRollbackFor = Refused.class)
    public Application changePurpose(long applicationId, String purpose) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Target t = prepare(me, applicationId, "edit the purpose of");
        String text = purpose == null ? "" : purpose.strip();
        if (text.isEmpty()) {
            throw FieldErrors.of("purpose", texts.text("owners.purpose.required"));
        }
        if (text.length() > MAX_PURPOSE) {
            throw FieldErrors.of("purpose", texts.text("owners.purpose.long", MAX_PURPOSE));
        }
        Application app = t.app();
        if (text.equals(app.purpose())) {
            return app;
        }
        repository.changePurpose(app.id(), text, clock.instant());
        audit.record(me.username(), AUDIT_PURPOSE_CHANGED, target(app), "purpose: " + app.purpose() + " -> " + text);
        notifier.notify(List.of(app.owner()), texts.text("owners.notify.purpose.title", app.displayName()),
                texts.text("owners.notify.purpose.body", app.displayName(), me.username(), text), link(app));
        return repository.find(app.id()).orElseThrow();
    }

    /** The most orphans the home page lists; it says how many more there are. */
    public static final int MAX_ORPHANS_SHOWN = 20;

    /** The oldest orphans (at most {@link #MAX_ORPHANS_SHOWN}) and how many there are in all. */
    public record Orphans(List<Orphan> shown, int total) {
    }

    /**
     * The applications waiting for a new owner in the units the current user manages, the longest waiting first (at
     * most {@link #MAX_ORPHANS_SHOWN}: their keys are disabled first).
     */
    @PermitAll
    @Transactional(readOnly = true)
    public Orphans orphansForMe() {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        if (!me.has(PortalRole.MANAGER)) {
            return new Orphans(List.of(), 0);
        }
        List<Long> managed = units.unitsOf(me.username()).stream()
                .filter(u -> u.managers().contains(me.username())).map(BusinessUnit::id).toList();
        List<Orphan> shown = repository.orphansOf(managed, MAX_ORPHANS_SHOWN);
        return new Orphans(shown, Totals.of(shown, MAX_ORPHANS_SHOWN, () -> repository.countOrphansOf(managed)));
    }

    /** When an orphan's working keys are disabled if nobody takes the application over. */
    public Instant disableFrom(Orphan orphan) {
        return orphan.flaggedAt().plus(properties.orphanGrace());
    }

    /**
     * Members left a unit (or joined it again): flags the applications they own there, or clears the flag, and tells
     * the unit's managers. Runs after the admin's save committed, for who is still gone or still back in the unit as it
     * is now ({@link MembersChanged#stillGone}): an event delivered twice, or after a later save, flags nobody who is a
     * member again.
     */
    @ApplicationModuleListener
    public void on(MembersChanged change) {
        Instant now = clock.instant();
        Optional<BusinessUnit> locked = units.findLocked(change.businessUnitId());
        if (locked.isEmpty()) {
            return; // deleted since (a second delivery of an old event)
        }
        BusinessUnit unit = locked.get();
        Set<String> gone = change.stillGone(unit);
        List<Long> flagged = repository.flagOrphans(unit.id(), gone, now);
        for (long id : flagged) {
            Application app = repository.find(id).orElseThrow();
            Instant from = now.plus(properties.orphanGrace());
            audit.record(change.by(), AUDIT_ORPHANED, target(app), "owner " + app.owner() + " left "
                    + unit.slug() + "; working keys disabled from " + from + " unless handed over");
            notifier.notify(unit.managers(), texts.text("owners.notify.orphaned.title", app.displayName(),
                    unit.displayName()), texts.text("owners.notify.orphaned.body", app.displayName(),
                            unit.displayName(), app.owner(), day(from)),
                    link(app));
        }
        for (Orphan cleared : repository.unflagOrphans(unit.id(), change.stillBack(unit))) {
            ownerBack(change.by(), unit, cleared, "");
        }
        if (!flagged.isEmpty()) {
            log.info("Unit {}: {} application(s) wait for a new owner after {} left", unit.slug(), flagged.size(),
                    gone);
        }
    }

    /** The scheduled check: {@link #disableKeysOfExpiredOrphans()} every {@code orphan-check-interval}. */
    @Scheduled(fixedDelayString = "${portal.applications.orphan-check-interval:PT1H}",
            initialDelayString = "${portal.applications.orphan-check-interval:PT1H}")
    void scheduledCheck() {
        disableKeysOfExpiredOrphans();
    }

    /**
     * Disables the working keys of every application still waiting for a new owner after the grace period: each key
     * in a transaction of its own (AWS first, then the key's record, as a person's disable), then the application's
     * mark and its managers' notice in one more. A key whose disable AWS refuses or does not answer is tried again at
     * the next check; the application's other keys are disabled meanwhile (AWS and the portal agree on each), and its
     * managers are told once all are. Returns how many keys were disabled.
     */
    public int disableKeysOfExpiredOrphans() {
        Instant cutoff = clock.instant().minus(properties.orphanGrace());
        int disabled = 0;
        for (Orphan orphan : repository.orphansFlaggedBefore(cutoff)) {
            long applicationId = orphan.application().id();
            try {
                if (ownerIsBack(orphan.application())) {
                    continue;
                }
            } catch (DataAccessException | TransactionException e) {
                // A save of the unit holds its row (while AWS Budgets answers; H2 gives up after 10 s): the others
                // go on, this one waits for the next check.
                log.warn("Orphan check: application {} skipped until the next check, its unit's row was busy ({})",
                        applicationId, e.getMessage());
                continue;
            }
            List<String> prefixes = new ArrayList<>();
            CloudException failed = null;
            for (ApiKey key : keys.workingOfApplication(applicationId)) {
                try {
                    String prefix = transactions.execute(status -> disableKey(applicationId, key.id(), cutoff));
                    if (prefix != null) {
                        prefixes.add(prefix);
                    }
                } catch (CloudException e) {
                    failed = e; // the application's other keys are still disabled
                }
            }
            disabled += prefixes.size();
            if (failed != null) {
                log.warn("Keys of application {} (owner left) not all disabled yet ({} done), AWS: {} ({}); trying "
                        + "again at the next check", applicationId, prefixes.size(), failed.getMessage(),
                        failed.kind());
                continue;
            }
            transactions.executeWithoutResult(status -> markDisabled(applicationId, cutoff, prefixes));
        }
        return disabled;
    }

    /**
     * Whether the application still waits for an owner past the cutoff (its row locked), and its orphan record: not
     * when it was handed over or handled meanwhile, nor when its owner is a member of the unit again ({@link
     * #ownerIsBack} clears such a flag). The unit's row is not locked: it would be held while AWS disables the key, and
     * every save of the unit would wait that long (H2 gives up after 10 s). An owner added back while AWS disables
     * her key keeps it disabled (audited, {@code KEY_DISABLED}); security can enable it again.
     */
    private Optional<Orphan> stillOrphaned(long applicationId, Instant cutoff) {
        Application app = repository.lock(applicationId).orElseThrow();
        Optional<Orphan> orphan = repository.orphan(applicationId);
        if (orphan.isEmpty() || orphan.get().keysDisabledAt() != null || orphan.get().flaggedAt().isAfter(cutoff)
                || app.status() != Application.Status.ACTIVE || isMember(app)) {
            return Optional.empty();
        }
        return orphan;
    }

    private boolean isMember(Application app) {
        return units.find(app.businessUnitId()).map(u -> u.members().contains(app.owner())).orElse(false);
    }

    /**
     * Whether the flagged application's owner is a member of its unit again; if so the check clears the flag (audited)
     * and disables nothing. The membership listeners lock the unit's row and act on its members as they are, so they
     * should leave no such flag; this is the check's own look before it acts in AWS (and {@link #stillOrphaned}'s, in
     * each key's transaction). It clears the flag under the unit's row lock, once more finding her a member: an admin
     * who removed her again meanwhile leaves the flag (the removal's listener skipped the application, still flagged).
     */
    private boolean ownerIsBack(Application app) {
        if (!isMember(app)) {
            return false;
        }
        // The unit's row lock (no AWS call in this transaction): a save removing her again waits, or is seen.
        return Boolean.TRUE.equals(transactions.execute(status -> {
            BusinessUnit unit = units.findLocked(app.businessUnitId()).orElse(null);
            if (unit == null || !unit.members().contains(app.owner())) {
                return false;
            }
            for (Orphan cleared : repository.unflagOrphans(unit.id(), Set.of(app.owner()))) {
                ownerBack(SYSTEM, unit, cleared, " (found by the orphan check)");
            }
            return true;
        }));
    }

    /**
     * The flag of an application whose owner is a member of its unit again was cleared: audited, and the managers of
     * an active application, told when it was set, are told it no longer waits for a new owner, and which of its keys
     * the check disabled for the flag stay disabled (or that its 12-hour keys stay suspended).
     */
    private void ownerBack(String by, BusinessUnit unit, Orphan cleared, String how) {
        Application app = cleared.application();
        audit.record(by, AUDIT_ORPHAN_CLEARED, target(app), "owner " + app.owner() + " is a member of " + unit.slug()
                + " again" + how);
        if (app.status() != Application.Status.ACTIVE) {
            return;
        }
        StringBuilder body = new StringBuilder(texts.text("owners.notify.ownerBack.body", app.displayName(),
                unit.displayName(), app.owner()));
        // Still disabled by the check (its reason; a later disable by a person gave the key another), for this flag.
        String reason = orphanReason();
        List<String> disabled = keys.ofApplication(app.id()).stream()
                .filter(k -> k.status() == KeyStatus.INACTIVE && reason.equals(k.statusReason())
                        && disabledForThisFlag(k.id(), cleared.flaggedAt()))
                .map(k -> k.prefix() + "…").toList();
        if (!disabled.isEmpty()) {
            body.append(' ').append(texts.text("owners.notify.ownerBack.keysStayDisabled", disabled.size(),
                    String.join(", ", disabled)));
        }
        if (app.shortTermOnly() && suspensions.of(app.id()).filter(sus -> SYSTEM.equals(sus.by())
                && !sus.at().isBefore(cleared.flaggedAt())).isPresent()) {
            body.append(' ').append(texts.text("owners.notify.ownerBack.keysStaySuspended"));
        }
        notifier.notify(unit.managers(), texts.text("owners.notify.ownerBack.title", app.displayName(),
                unit.displayName()), body.toString(), link(app));
    }

    /**
     * Disables one key of an orphaned application; its prefix, or null when there was nothing to disable (or this check
     * disabled it once already for this flag, and a person enabled it again since, at an earlier check of a disable
     * that AWS stopped half-way).
     */
    private String disableKey(long applicationId, long keyId, Instant cutoff) {
        Optional<Orphan> orphan = stillOrphaned(applicationId, cutoff);
        if (orphan.isEmpty()) {
            return null;
        }
        ApiKey locked = keys.lock(keyId).orElseThrow();
        KeyStatus from = locked.status();
        if (from != KeyStatus.ACTIVE && from != KeyStatus.PENDING_REVEAL
                || disabledForThisFlag(locked.id(), orphan.get().flaggedAt())) {
            return null;
        }
        String reason = orphanReason();
        try {
            credentials.updateServiceCredentialStatus(locked.iamUser(), locked.credentialId(), false);
        } catch (CloudException e) {
            if (e.kind() != CloudException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        keys.markInactive(locked.id(), from, reason, SYSTEM);
        audit.record(SYSTEM, AuditActions.KEY_DISABLED, "key:" + locked.id(), "key " + locked.prefix() + "… of "
                + locked.iamUser() + " (request " + locked.requestId() + "), " + from.name() + " → INACTIVE, "
                + "reason: " + reason);
        return locked.prefix() + "…";
    }

    /** The reason a disabled key of an orphaned application carries. */
    private String orphanReason() {
        return texts.text("owners.orphan.reason", properties.orphanGrace().toDays());
    }

    /** Whether this check disabled the key since the application was flagged (its KEY_DISABLED row by the system). */
    private boolean disabledForThisFlag(long keyId, Instant flaggedAt) {
        return audit.timeline("key:" + keyId, AuditActions.KEY_DISABLED, 200).stream()
                .anyMatch(e -> SYSTEM.equals(e.actor()) && !e.occurredAt().isBefore(flaggedAt));
    }

    /**
     * Marks the application's keys disabled, suspends its 12-hour keys, and tells the unit's managers: of every key
     * this check disabled for the flag, at this check or an earlier one that AWS stopped half-way.
     */
    private void markDisabled(long applicationId, Instant cutoff, List<String> thisCheck) {
        Optional<Orphan> orphan = stillOrphaned(applicationId, cutoff);
        if (orphan.isEmpty()) {
            return;
        }
        List<String> prefixes = new ArrayList<>(thisCheck);
        for (ApiKey key : keys.ofApplication(applicationId)) {
            String prefix = key.prefix() + "…";
            if (key.status() == KeyStatus.INACTIVE && !prefixes.contains(prefix)
                    && disabledForThisFlag(key.id(), orphan.get().flaggedAt())) {
                prefixes.add(prefix);
            }
        }
        Application app = orphan.get().application();
        String reason = orphanReason();
        // An application with 12-hour keys has none to disable: its keys are suspended instead.
        boolean suspended = app.shortTermOnly() && suspensions.suspend(applicationId, SYSTEM, reason);
        repository.markOrphanKeysDisabled(applicationId, clock.instant());
        BusinessUnit unit = units.find(app.businessUnitId()).orElseThrow();
        audit.record(SYSTEM, AUDIT_ORPHAN_KEYS_DISABLED, target(app), prefixes.size() + " key(s) disabled "
                + prefixes + (suspended ? "; 12-hour keys suspended" : "") + "; former owner "
                + orphan.get().formerOwner() + "; reason: " + reason);
        notifier.notify(unit.managers(), texts.text("owners.notify.keysDisabled.title", app.displayName(),
                unit.displayName()), texts.text("owners.notify.keysDisabled.body", app.displayName(),
                        unit.displayName(), prefixes.size(), reason),
                link(app));
        log.info("Application {}: {} key(s) disabled, nobody took it over", applicationId, prefixes.size());
    }

    record Target(Application app, BusinessUnit unit) {
    }

    /** Locks the application and checks the caller may change its ownership; refuses (and audits) otherwise. */
    private Target prepare(CurrentUser.Principal me, long applicationId, String what) {
        return prepare(me, applicationId, what, "owners.refused.notAllowed", "owners.refused.notActive");
    }

    /**
     * Locks the application and checks the caller is one of its stewards (owner, unit's managers, security) and the
     * application is active; otherwise publishes an access-denied event and refuses with the given texts.
     */
    Target prepare(CurrentUser.Principal me, long applicationId, String what, String notAllowed,
            String notActive) {
        Optional<Application> app = repository.lock(applicationId);
        Optional<BusinessUnit> unit = app.flatMap(a -> units.find(a.businessUnitId()));
        if (app.isEmpty() || unit.isEmpty() || !mayChange(me, app.get(), unit.get())) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), what + " application:"
                    + applicationId));
            throw Refused.notPermitted(texts.text(notAllowed));
        }
        if (app.get().status() != Application.Status.ACTIVE) {
            throw new Refused(texts.text(notActive, app.get().status().name().toLowerCase(Locale.ROOT)));
        }
        return new Target(app.get(), unit.get());
    }

    /** The owner (while a member of the unit), the unit's managers, security. */
    static boolean mayChange(CurrentUser.Principal me, Application app, BusinessUnit unit) {
        boolean owner = me.has(PortalRole.REQUESTER) && me.username().equals(app.owner())
                && unit.members().contains(me.username());
        boolean manager = me.has(PortalRole.MANAGER) && unit.managers().contains(me.username());
        return owner || manager || me.has(PortalRole.SECURITY);
    }

    private static String target(Application app) {
        return "application:" + app.id();
    }

    private static String link(Application app) {
        return "applications/" + app.id();
    }

    /** A day in a notification's text (mails have no time zone of their reader: UTC, said so). */
    private static String day(Instant instant) {
        return DateTimeFormatter.ISO_LOCAL_DATE.format(instant.atOffset(ZoneOffset.UTC)) + " (UTC)";
    }
}
