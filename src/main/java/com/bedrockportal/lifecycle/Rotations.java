package com.bedrockportal.lifecycle;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.application.RotationSchedules;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyReveal;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.ActivityTrail;
import com.bedrockportal.provisioning.ActivityTrail.TrailEvent;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.ProvisioningProperties;
import com.bedrockportal.provisioning.Secrets;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Key rotation (process {@code bedrock-key-rotation}): a new key for an application, revealed once by its owner, an
 * overlap during which both keys work, then the old key disabled and, later, deleted. AWS allows two keys per IAM
 * user, so the first step makes room by deleting keys that no longer work (Inactive or expired) and stops, changing
 * nothing, when two working keys are there. Invariants: never a third key; a new key that was not revealed never
 * disables the old one (if its reveal window passes it is revoked and the old key keeps working); at the end exactly
 * one key works.
 * <p>
 * People start a rotation ({@link #rotate}) and confirm the switch ({@link #confirmSwitched}); the schedule and the
 * compromise response start one through {@link #startBySystem}. The steps ({@code makeRoom}, {@code createKey}, …)
 * run only in the process engine's jobs, each re-checking the rotation and its application before touching AWS.
 */
@Service
public class Rotations {

    /** The longest reason the server accepts. */
    public static final int MAX_REASON = 500;
    /** At most this many rotations of an application are listed. */
    public static final int MAX_LISTED = 20;

    public static final String AUDIT_STARTED = "KEY_ROTATION_STARTED";
    public static final String AUDIT_STEP = "KEY_ROTATION_STEP";
    public static final String AUDIT_DONE = "KEY_ROTATION_COMPLETED";
    public static final String AUDIT_FAILED = "KEY_ROTATION_FAILED";
    /** A rotation's new key went straight into its application's Secrets Manager copy, never revealed. */
    public static final String AUDIT_DELIVERED = "KEY_DELIVERED_TO_SECRETS_MANAGER";
    /** The BPMN error a business failure of a step raises. */
    public static final String ERROR_CODE = "ROTATION_FAILED";

    /** Why a rotation started. */
    public enum Trigger {
        /** A person pressed "Rotate key" (owner, unit manager, security). */
        MANUAL,
        /** The application's rotate-every schedule. */
        SCHEDULED,
        /** Security confirmed a compromise: the old key is already disabled, so there is no overlap. */
        COMPROMISE
    }

    /** Where a rotation stands. */
    public enum Status {
        /** Making room and creating the new key. */
        STARTED,
        /** The new key exists, sealed; it waits for the owner's reveal. The old key works. */
        KEY_CREATED,
        /** Revealed: both keys work until the owner confirms the switch, the old key is seen unused, or time is up. */
        OVERLAP,
        /** The old key is disabled; it is deleted after {@code portal.rotation.delete-after}. */
        CUT_OVER,
        /** Done: the new key is the application's working key, the old one deleted. */
        COMPLETED,
        /** The new key was not revealed in time: it was revoked, the old key keeps working. */
        REVEAL_EXPIRED,
        /** Stopped with a reason; nothing in AWS was left half-done (the old key works). */
        FAILED;

        public boolean open() {
            return this == STARTED || this == KEY_CREATED || this == OVERLAP || this == CUT_OVER;
        }
    }

    /** One rotation as stored. */
    public record Rotation(long id, long applicationId, Trigger trigger, String reason, String requestedBy,
            Status status, Long oldKeyId, Long newKeyId, String failure, Instant startedAt, Instant revealedAt,
            Instant overlapEndsAt, Instant cutOverAt, String cutOverBy, String cutOverWhy, Instant oldDeletedAt,
            Instant finishedAt) {
    }

    /** What the application page shows: the rotations (newest first) and what the current user may do. */
    public record Overview(List<Rotation> rotations, boolean mayRotate, boolean mayConfirm, String revealPath,
            String newKeyPrefix, String oldKeyPrefix, boolean delivered, boolean nextToSecretsManager) {
    }

    /** The rotation cannot start or go on; nothing changed. The message is for the user. */
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

    /** A step found a reason to stop (business failure): the process ends the rotation FAILED. */
    public static class StepFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StepFailed(String message) {
            super(message);
        }
    }

    /** Events: the workflow module starts and moves the process on them, in the transaction that records them. */
    public record Started(long rotationId, boolean overlap) {
    }

    /** The owner confirmed that the application uses the new key. */
    public record Switched(long rotationId) {
    }

    private static final Logger log = LoggerFactory.getLogger(Rotations.class);

    private final JdbcClient jdbc;
    private final ApplicationService applications;
    private final BusinessUnitService units;
    private final ApiKeys keys;
    private final ServiceCredentials credentials;
    private final Secrets secrets;
    private final ObjectProvider<ActivityTrail> trail;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final Notifier notifier;
    private final ApplicationEventPublisher events;
    private final FormValidation texts;
    private final RotationProperties properties;
    private final ProvisioningProperties provisioning;
    private final RotationSchedules schedules;
    private final Clock clock;

    Rotations(JdbcClient jdbc, ApplicationService applications, BusinessUnitService units, ApiKeys keys,
            ServiceCredentials credentials, Secrets secrets, ObjectProvider<ActivityTrail> trail,
            CurrentUser currentUser,
            AuditLog audit, Notifier notifier, ApplicationEventPublisher events, FormValidation texts,
            RotationProperties properties, ProvisioningProperties provisioning, RotationSchedules schedules,
            Clock clock) {
        this.jdbc = jdbc;
        this.applications = applications;
        this.units = units;
        this.keys = keys;
        this.credentials = credentials;
        this.secrets = secrets;
        this.trail = trail;
        this.currentUser = currentUser;
        this.audit = audit;
        this.notifier = notifier;
        this.events = events;
        this.texts = texts;
        this.properties = properties;
        this.provisioning = provisioning;
        this.schedules = schedules;
        this.clock = clock;
    }

    // --- people

    /**
     * "Rotate key" on the application page: the application's owner, the managers of its unit and security, with a
     * reason. Refused, changing nothing, when the application is not active, a rotation is already open, it has no
     * working key to replace, or two keys already work (AWS's limit: revoke one first).
     */
    @RolesAllowed({ PortalRole.REQUESTER_ROLE, PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(noRollbackFor = Refused.class)
    public long rotate(long applicationId, String reason) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Optional<Application> app = applications.find(applicationId);
        Optional<BusinessUnit> unit = app.flatMap(a -> units.find(a.businessUnitId()));
        if (app.isEmpty() || unit.isEmpty() || !mayRotate(me, app.get(), unit.get())) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), "rotate application:" + applicationId));
            throw Refused.notPermitted(texts.text("rotation.refused.notAllowed"));
        }
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty()) {
            throw FieldErrors.of("reason", texts.text("keyaction.reason.required"));
        }
        if (text.length() > MAX_REASON) {
            throw FieldErrors.of("reason", texts.text("keyaction.reason.long", MAX_REASON));
        }
        return start(app.get(), Trigger.MANUAL, text, me.username());
    }

    /**
     * Starts a rotation that no person pressed for (the schedule, a confirmed compromise). {@code by} names the
     * starter for the timeline and audit log (e.g. "schedule", or the security user who confirmed the compromise).
     * Returns the rotation's id, or empty when the application cannot rotate now (not ACTIVE, a rotation already
     * open, no key to replace); the reason is logged and audited.
     */
    @Transactional(noRollbackFor = Refused.class)
    public Optional<Long> startBySystem(long applicationId, Trigger trigger, String reason, String by) {
        Optional<Application> app;
        try {
            app = Optional.of(applications.load(applicationId));
        } catch (java.util.NoSuchElementException e) {
            app = Optional.empty();
        }
        String why = cap(reason == null || reason.isBlank() ? trigger.name().toLowerCase(java.util.Locale.ROOT) + " rotation" : reason.strip(),
                MAX_REASON);
        if (app.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(start(app.get(), trigger, why, cap(by, 128)));
        } catch (Refused e) {
            log.info("Rotation of application {} ({}) not started: {}", applicationId, trigger, e.getMessage());
            audit.record(cap(by, 128), AUDIT_FAILED, target(applicationId), trigger + " rotation not started: "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    /** The application's open rotation, if any. */
    @Transactional(readOnly = true)
    public Optional<Long> open(long applicationId) {
        return jdbc.sql("select id from key_rotation where open_application_id = :a").param("a", applicationId)
                .query(Long.class).optional();
    }

    /**
     * The owner confirms that the application now uses the new key: the old key is disabled at once (and deleted
     * later). Only during the overlap, only the application's owner (or security).
     */
    @RolesAllowed({ PortalRole.REQUESTER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(noRollbackFor = Refused.class)
    public void confirmSwitched(long rotationId) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Rotation r = lock(rotationId).orElseThrow(() -> new Refused(texts.text("rotation.refused.gone")));
        Application app = applications.load(r.applicationId());
        boolean owner = me.has(PortalRole.REQUESTER) && me.username().equals(app.owner())
                && units.find(app.businessUnitId()).map(u -> u.members().contains(me.username())).orElse(false);
        if (!owner && !me.has(PortalRole.SECURITY)) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), "confirm rotation:" + rotationId));
            throw Refused.notPermitted(texts.text("rotation.refused.ownerOnly"));
        }
        if (r.status() != Status.OVERLAP || r.cutOverBy() != null) {
            throw new Refused(texts.text("rotation.refused.notOverlap"));
        }
        jdbc.sql("update key_rotation set cut_over_by = :by, cut_over_why = :why where id = :id")
                .param("by", me.username()).param("why", "confirmed by " + me.username()).param("id", rotationId)
                .update();
        audit.record(me.username(), AUDIT_STEP, target(r.applicationId()), "rotation " + rotationId
                + ": switch to the new key confirmed");
        events.publishEvent(new Switched(rotationId));
    }

    /** The rotations of an application the current user may see (newest first), and what they may do. */
    @PermitAll
    @Transactional(readOnly = true)
    public Overview overview(long applicationId) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Optional<Application> app = applications.find(applicationId);
        Optional<BusinessUnit> unit = app.flatMap(a -> units.find(a.businessUnitId()));
        if (app.isEmpty() || unit.isEmpty()) {
            return new Overview(List.of(), false, false, null, null, null, false, false);
        }
        List<Rotation> list = jdbc.sql("select * from key_rotation where application_id = :a order by id desc "
                + "limit " + MAX_LISTED).param("a", applicationId).query(Rotations::map).list();
        Optional<Rotation> current = list.stream().filter(r -> r.status().open()).findFirst();
        boolean owner = me.has(PortalRole.REQUESTER) && me.username().equals(app.get().owner())
                && unit.get().members().contains(me.username());
        boolean mayConfirm = current.filter(r -> r.status() == Status.OVERLAP && r.cutOverBy() == null).isPresent()
                && (owner || me.has(PortalRole.SECURITY));
        Optional<ApiKey> newKey = current.map(Rotation::newKeyId).flatMap(keys::find);
        String revealPath = newKey.filter(k -> k.status() == KeyStatus.PENDING_REVEAL
                && me.username().equals(k.requester())).map(KeyReveal::revealPath).orElse(null);
        return new Overview(list, current.isEmpty() && app.get().status() == Application.Status.ACTIVE
                && mayRotate(me, app.get(), unit.get()), mayConfirm, revealPath,
                newKey.map(ApiKey::prefix).orElse(null),
                current.map(Rotation::oldKeyId).flatMap(keys::find).map(ApiKey::prefix).orElse(null),
                newKey.filter(ApiKey::deliveredToSecret).isPresent(),
                schedules.deliveryOf(app.get()) == RotationSchedules.Delivery.SECRETS_MANAGER);
    }

    /** One line of a rotation's timeline: when, who, what (from the audit log). */
    public record Step(Instant at, String actor, String what) {
    }

    /**
     * The rotation's steps as the audit log has them, oldest first (at most 50), for whoever may see the application
     * (others: none).
     */
    @PermitAll
    @Transactional(readOnly = true)
    public List<Step> timeline(long rotationId) {
        Optional<Rotation> r = find(rotationId).filter(x -> applications.find(x.applicationId()).isPresent());
        if (r.isEmpty()) {
            return List.of();
        }
        String mark = "rotation " + rotationId;
        return audit.timeline(target(r.get().applicationId()), "KEY_ROTATION_", 200).stream()
                .filter(e -> e.details() != null && (e.details().contains(mark + ":") || e.details().contains(mark
                        + " ")))
                .limit(50).map(e -> new Step(e.occurredAt(), e.actor(), e.details().startsWith(mark + ": ")
                        ? e.details().substring(mark.length() + 2) : e.details()))
                .toList();
    }

    /** The rotation that created a key (for the reveal of a rotation's key), if any. */
    @Transactional(readOnly = true)
    public Optional<Long> ofNewKey(long keyId) {
        return jdbc.sql("select id from key_rotation where new_key_id = :k").param("k", keyId).query(Long.class)
                .optional();
    }

    @Transactional(readOnly = true)
    public Optional<Rotation> find(long rotationId) {
        return jdbc.sql("select * from key_rotation where id = :id").param("id", rotationId).query(Rotations::map)
                .optional();
    }

    /**
     * Who may rotate: the application's owner while a member of its unit (an owner who left acts on nothing of the
     * application until it is handed over), the managers of its unit, security.
     */
    boolean mayRotate(CurrentUser.Principal me, Application app, BusinessUnit unit) {
        return me.has(PortalRole.REQUESTER) && me.username().equals(app.owner())
                && unit.members().contains(me.username())
                || me.has(PortalRole.MANAGER) && unit.managers().contains(me.username())
                || me.has(PortalRole.SECURITY);
    }

    private long start(Application app, Trigger trigger, String reason, String by) {
        if (app.status() != Application.Status.ACTIVE) {
            throw new Refused(texts.text("rotation.refused.inactive"));
        }
        if (open(app.id()).isPresent()) {
            throw new Refused(texts.text("rotation.refused.open"));
        }
        List<ApiKey> live = liveKeys(app.id());
        List<ApiKey> working = live.stream().filter(k -> k.status() == KeyStatus.ACTIVE
                || k.status() == KeyStatus.PENDING_REVEAL).filter(k -> !expired(k)).toList();
        if (working.size() >= 2) {
            throw new Refused(texts.text("rotation.refused.twoWorking"));
        }
        Optional<ApiKey> old = working.stream().filter(k -> k.status() == KeyStatus.ACTIVE).findFirst();
        if (trigger != Trigger.COMPROMISE && old.isEmpty()) {
            throw new Refused(texts.text("rotation.refused.nothingToRotate"));
        }
        // A compromise replaces the disabled key (make-room deletes it); otherwise the working key is the old one.
        Long oldKey = trigger == Trigger.COMPROMISE
                ? live.stream().filter(k -> k.status() == KeyStatus.INACTIVE)
                        .max(Comparator.comparingLong(ApiKey::id)).map(ApiKey::id).orElse(null)
                : old.map(ApiKey::id).orElse(null);
        boolean overlap = trigger != Trigger.COMPROMISE && old.isPresent();
        Instant now = clock.instant();
        if (open(app.id()).isPresent()) {
            throw new Refused(texts.text("rotation.refused.open"));
        }
        try {
            jdbc.sql("""
                    insert into key_rotation (application_id, open_application_id, trigger_kind, reason, requested_by,
                        status, old_key_id, started_at)
                    values (:a, :a, :t, :reason, :by, :s, :old, :now)""")
                    .param("a", app.id()).param("t", trigger.name()).param("reason", reason).param("by", by)
                    .param("s", Status.STARTED.name()).param("old", oldKey).param("now", at(now)).update();
        } catch (DuplicateKeyException e) {
            throw new Refused(texts.text("rotation.refused.open"));
        }
        long id = open(app.id()).orElseThrow();
        audit.record(by, AUDIT_STARTED, target(app.id()), trigger + " rotation " + id + " of " + app.names().iamUser()
                + (oldKey == null ? "" : ", replacing key " + keys.find(oldKey).map(ApiKey::prefix).orElse("?") + "…")
                + ", reason: " + reason);
        tell(app, schedules.deliveryOf(app) == RotationSchedules.Delivery.SECRETS_MANAGER
                ? "rotation.notify.startedDelivered" : "rotation.notify.started", app.displayName(), by, reason);
        events.publishEvent(new Started(id, overlap));
        log.info("Rotation {} of application {} started ({}) by {}", id, app.id(), trigger, by);
        return id;
    }

    // --- steps (process engine only)

    /**
     * Step 1: room for the new key. Deletes the user's keys that no longer work (Inactive or expired) in AWS and marks
     * them deleted; with two working keys there it stops (nothing deleted). Nothing to do once the new key exists.
     */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = StepFailed.class)
    public String makeRoom(long rotationId) {
        engineOnly();
        Rotation r = step(rotationId, Status.STARTED);
        if (r.newKeyId() != null || keys.forRotation(rotationId).isPresent()) {
            return "the new key exists";
        }
        Application app = applications.load(r.applicationId());
        String user = app.names().iamUser();
        List<ServiceCredentials.ServiceCredential> inAws = credentials.listServiceCredentials(user,
                ServiceCredentials.BEDROCK_SERVICE);
        Instant now = clock.instant();
        List<ServiceCredentials.ServiceCredential> working = inAws.stream().filter(c -> works(c, now)).toList();
        if (working.size() >= 2) {
            throw fail(r, texts.text("rotation.failed.twoWorking", user));
        }
        List<String> deleted = new ArrayList<>();
        for (ServiceCredentials.ServiceCredential c : inAws) {
            if (works(c, now)) {
                continue;
            }
            deleteInAws(user, c.credentialId());
            keyOfCredential(c.credentialId()).ifPresent(k -> {
                if (k.status().live()) {
                    keys.markDeletedInAws(k.id(), k.status(), "Deleted to make room for rotation " + rotationId
                            + " (" + (c.expiresAt() != null && c.expiresAt().isBefore(now) ? "expired" : "inactive")
                            + ")", "rotation");
                }
            });
            deleted.add(c.credentialId());
        }
        String detail = deleted.isEmpty() ? "a key slot is free" : "deleted " + deleted.size()
                + " key(s) that no longer worked: " + String.join(", ", deleted);
        record(r, detail);
        return detail;
    }

    /**
     * Step 2: the new key, with the application's lifetime, sealed at once; its owner is told to reveal it. A key
     * that an interrupted earlier attempt created but did not record (created since the rotation started, unknown
     * to the portal) is deleted first: nobody can ever see it.
     */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = StepFailed.class)
    public String createKey(long rotationId) {
        engineOnly();
        Rotation r = step(rotationId, Status.STARTED);
        // Locked first: a request's provisioning step making a key of this application waits, or is waited for,
        // so its key, made but not yet recorded, is never taken below for one an interrupted attempt left.
        Application app = applications.lock(r.applicationId());
        Optional<ApiKey> existing = keys.forRotation(rotationId);
        if (existing.isPresent()) {
            return "new key " + existing.get().prefix() + "… exists";
        }
        if (app.status() != Application.Status.ACTIVE) { // decommissioned while this step waited for the lock
            throw fail(r, texts.text("rotation.refused.inactive"));
        }
        String user = app.names().iamUser();
        Set<String> known = keys.knownCredentialIds(user);
        List<ServiceCredentials.ServiceCredential> inAws = new ArrayList<>(credentials.listServiceCredentials(user,
                ServiceCredentials.BEDROCK_SERVICE));
        for (ServiceCredentials.ServiceCredential c : List.copyOf(inAws)) {
            if (!known.contains(c.credentialId()) && c.createdAt() != null && !c.createdAt().isBefore(
                    r.startedAt().minusSeconds(60))) {
                deleteInAws(user, c.credentialId());
                inAws.remove(c);
                log.warn("Rotation {}: deleted unrecorded credential {} of {} left by an interrupted attempt",
                        rotationId, c.credentialId(), user);
            }
        }
        if (inAws.size() >= 2) {
            throw fail(r, texts.text("rotation.failed.twoWorking", user));
        }
        ServiceCredentials.NewServiceCredential created;
        try {
            created = credentials.createServiceCredential(user, ServiceCredentials.BEDROCK_SERVICE,
                    app.access().lifetimeDays());
        } catch (CloudException e) {
            if (e.kind() == CloudException.Kind.LIMIT_EXCEEDED) {
                throw fail(r, texts.text("rotation.failed.twoWorking", user));
            }
            throw e;
        }
        try {
            ApiKey key = keys.storeRotated(rotationId, app.owner(), app.businessUnitId(), app.id(), user,
                    created.credential().credentialId(), created.credential().createdAt(),
                    created.credential().expiresAt(), created.secret(), provisioning.revealWindow(),
                    app.access().regions().isEmpty() ? null : app.access().regions().get(0),
                    app.access().models().isEmpty() ? null : app.access().models().get(0));
            jdbc.sql("update key_rotation set new_key_id = :k, status = :s where id = :id").param("k", key.id())
                    .param("s", Status.KEY_CREATED.name()).param("id", rotationId).update();
            String detail = "new key " + key.prefix() + "… created, expires " + key.expiresAt()
                    + stageCopy(app, key, created.secret());
            boolean toSecretsManager = schedules.deliveryOf(app) == RotationSchedules.Delivery.SECRETS_MANAGER;
            boolean inCopy = keys.find(key.id()).map(ApiKey::secretArn).isPresent();
            if (toSecretsManager && inCopy) {
                // In the copy as its pending version: the next step makes it current there and hands it over.
                detail += "; it goes straight into Secrets Manager next (nobody reveals it)";
                record(r, detail);
                return detail;
            }
            if (inCopy) {
                detail += " until it is revealed";
            } else if (toSecretsManager) { // the copy is gone or AWS refused it (said above): its owner reveals it
                detail += "; so its owner reveals it instead";
            }
            record(r, detail);
            tell(app, "rotation.notify.created", app.displayName(), key.prefix(),
                    com.bedrockportal.shared.ui.Durations.words(provisioning.revealWindow()), KeyReveal.revealPath(key));
            return detail;
        } finally {
            Arrays.fill(created.secret(), '\0');
        }
    }

    /**
     * Whether the rotation's new key goes straight into its application's Secrets Manager copy, so no reveal is
     * waited for: it is in the copy (pending), not revealed, and the application still asks for it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean goesStraightToSecretsManager(long rotationId) {
        engineOnly();
        Rotation r = find(rotationId).orElseThrow();
        return keys.forRotation(rotationId).filter(k -> k.revealedAt() == null && k.secretArn() != null
                && k.status() == KeyStatus.PENDING_REVEAL).isPresent()
                && schedules.deliveryOf(applications.load(r.applicationId())) == RotationSchedules.Delivery.SECRETS_MANAGER;
    }

    /** Whether the rotation still waits for its new key's reveal (the hand-over to Secrets Manager fell back to it). */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean awaitsReveal(long rotationId) {
        engineOnly();
        return find(rotationId).filter(r -> r.status() == Status.KEY_CREATED).isPresent();
    }

    /**
     * After the reveal, or for a key that goes straight into Secrets Manager ({@link #handOver}): with an old key to
     * replace, the overlap starts (both keys work until it ends); without one (a compromise: the old key is already
     * disabled) the rotation is done. A new key disabled or revoked meanwhile ends the rotation, the old key working.
     */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = StepFailed.class)
    public String revealed(long rotationId) {
        engineOnly();
        Rotation r = step(rotationId, Status.KEY_CREATED);
        Application app = applications.load(r.applicationId());
        // Locked: a person disabling or revoking the new key at the same moment comes first or waits for this step.
        ApiKey key = keys.lock(r.newKeyId()).orElseThrow();
        if (key.revealedAt() == null) {
            return handOver(r, app, key);
        }
        return inUse(r, app, key, "… revealed by " + key.revealedBy(), false);
    }

    /** The new key, revealed or handed over: the copy serves it, and the overlap starts (or the rotation ends). */
    private String inUse(Rotation r, Application app, ApiKey key, String how, boolean handedOver) {
        if (key.status() != KeyStatus.ACTIVE || expired(key)) { // disabled or revoked since its reveal
            throw fail(r, texts.text("rotation.failed.newKeyGone", key.prefix()));
        }
        Optional<ApiKey> old = Optional.ofNullable(r.oldKeyId()).flatMap(keys::find)
                .filter(k -> k.status() == KeyStatus.ACTIVE);
        String copy = handedOver ? "" : promoteCopy(r, app, key).text();
        if (r.trigger() == Trigger.COMPROMISE || old.isEmpty()) {
            finish(r, Status.COMPLETED, null);
            record(r, "new key " + key.prefix() + how + "; no overlap" + copy);
            tell(app, "rotation.notify.completed", app.displayName(), key.prefix());
            return "completed without overlap";
        }
        Instant ends = key.revealedAt().plus(properties.overlap());
        jdbc.sql("update key_rotation set status = :s, revealed_at = :rev, overlap_ends_at = :ends where id = :id")
                .param("s", Status.OVERLAP.name()).param("rev", at(key.revealedAt())).param("ends", at(ends))
                .param("id", r.id()).update();
        record(r, "new key " + key.prefix() + how + "; both keys work until " + ends + copy);
        tell(app, handedOver ? "rotation.notify.overlapDelivered" : "rotation.notify.overlap", app.displayName(),
                key.prefix(), old.get().prefix(), ends.toString(), app.names().secretName());
        return "overlap until " + ends;
    }

    /**
     * A new key that goes straight into Secrets Manager: its version in the copy is made current, then the key is
     * recorded as handed over there (its sealed copy deleted: nobody ever sees it). A copy found serving it already
     * (a retry of this step after the promotion) is a hand-over whatever else changed since. Otherwise anything in the
     * way — the application no longer asks for it, the copy cannot be made to serve it — leaves the key sealed for
     * its owner to reveal ({@link #revealInstead}): the process waits for the reveal then, as without the setting. A
     * key a person disabled or revoked meanwhile ends the rotation, the old key working. The key is locked first, so
     * an owner's reveal or a person's disable at the same moment comes first or waits.
     */
    private String handOver(Rotation r, Application app, ApiKey unrevealed) {
        ApiKey key = keys.lock(unrevealed.id()).orElseThrow();
        if (key.revealedAt() != null) { // its owner revealed it first
            return inUse(r, app, key, "… revealed by " + key.revealedBy(), false);
        }
        if (key.status() != KeyStatus.PENDING_REVEAL) { // a person disabled or revoked it meanwhile
            throw fail(r, texts.text("rotation.failed.newKeyGone", key.prefix()));
        }
        String name = app.names().secretName();
        String why = null;
        String copy;
        if (servedBy(name, key)) {
            copy = "; " + name + " serves it already (" + Secrets.CURRENT + ")";
        } else if (schedules.deliveryOf(app) != RotationSchedules.Delivery.SECRETS_MANAGER) {
            why = "the application no longer asks for it";
            copy = "";
        } else {
            Promotion promotion = promoteCopy(r, app, key);
            why = promotion.done() ? null : promotion.text().isEmpty() ? "the key is not in the copy"
                    : promotion.text().replaceFirst("^; ", "");
            copy = promotion.text();
        }
        if (why != null || !keys.markDelivered(key.id())) {
            revealInstead(r, app, key, why == null ? "not possible" : why);
            return "its owner reveals it instead";
        }
        audit.record("rotation", AUDIT_DELIVERED, "key:" + key.id(), "key " + key.prefix() + "… (rotation " + r.id()
                + ") made current in Secrets Manager " + name + ", never revealed");
        tell(app, "rotation.notify.delivered", app.displayName(), key.prefix(), name);
        return inUse(r, app, keys.find(key.id()).orElseThrow(), "… handed over in Secrets Manager" + copy, true);
    }

    /** Whether the copy's current version is the key's (what readers of the secret get); false if unknown. */
    private boolean servedBy(String name, ApiKey key) {
        if (name == null || key.secretArn() == null) {
            return false;
        }
        try {
            return secrets.currentVersion(name).filter(copyVersion(key.id())::equals).isPresent();
        } catch (CloudException e) {
            if (!e.business()) {
                throw e;
            }
            return false;
        }
    }

    /**
     * The key is not handed over after all: its owner reveals it, with a whole reveal window from now (the step may
     * have run late), told as for any new key; the timeline says why.
     */
    private void revealInstead(Rotation r, Application app, ApiKey key, String why) {
        keys.extendRevealWindow(key.id(), provisioning.revealWindow());
        record(r, "new key " + key.prefix() + "… not handed over in Secrets Manager (" + why
                + "): its owner reveals it instead");
        tell(app, "rotation.notify.created", app.displayName(), key.prefix(),
                com.bedrockportal.shared.ui.Durations.words(provisioning.revealWindow()), KeyReveal.revealPath(key));
    }

    /**
     * A rotation on an earlier process model, which cannot fall back from Secrets Manager to the reveal, whose key went
     * there pending: the owner is asked for the reveal that model waits for (the key stays sealed).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void revealInstead(long rotationId) {
        engineOnly();
        Rotation r = find(rotationId).orElseThrow();
        ApiKey key = keys.forRotation(rotationId).orElseThrow();
        revealInstead(r, applications.load(r.applicationId()), key, "this rotation runs on an earlier process "
                + "model, which cannot fall back to the reveal");
    }

    /**
     * During the overlap: whether to cut over now — the owner confirmed, the overlap is over, or CloudTrail shows the
     * old key unused since the new one was revealed (at least {@code portal.rotation.unused-for} ago). A CloudTrail
     * look-up that fails counts as "not seen unused".
     */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = StepFailed.class)
    public boolean cutOverDue(long rotationId) {
        engineOnly();
        Rotation r = step(rotationId, Status.OVERLAP);
        Instant now = clock.instant();
        if (r.cutOverBy() != null) {
            return true;
        }
        if (!now.isBefore(r.overlapEndsAt())) {
            cutOverWhy(r, "the overlap of " + readable(properties.overlap()) + " ended");
            return true;
        }
        if (now.isBefore(r.revealedAt().plus(properties.unusedFor()))) {
            return false;
        }
        Optional<ApiKey> old = keys.find(r.oldKeyId());
        ActivityTrail events = trail.getIfAvailable();
        if (old.isEmpty() || events == null) {
            return false;
        }
        try {
            List<TrailEvent> seen = events.eventsOfUser(old.get().iamUser(), r.revealedAt(), now,
                    ActivityTrail.MAX_EVENTS);
            // A full page may have cut off the old key's calls, and a call without a credential id may be its: in
            // either case the old key is not known to be unused.
            boolean used = seen.size() >= ActivityTrail.MAX_EVENTS || seen.stream()
                    .anyMatch(e -> e.credentialId() == null || old.get().credentialId().equals(e.credentialId()));
            if (!used) {
                cutOverWhy(r, "CloudTrail shows the old key unused since the new key was revealed");
                return true;
            }
        } catch (CloudException e) {
            log.info("Rotation {}: CloudTrail not available ({}); waiting for the owner or the overlap's end",
                    rotationId, e.kind());
        }
        return false;
    }

    /** When the process looks again during the overlap: after the check interval, at the latest at its end. */
    @Transactional(readOnly = true)
    public Date nextCheck(long rotationId) {
        Rotation r = find(rotationId).orElseThrow();
        Instant next = clock.instant().plus(properties.usageCheck());
        Instant end = r.overlapEndsAt() == null ? next : r.overlapEndsAt();
        return Date.from(next.isBefore(end) ? next : end);
    }

    /**
     * Cut-over: the old key is set Inactive in AWS — only once the new key is revealed and still works. If the new
     * key no longer works (revoked or disabled meanwhile), the old key stays and the rotation fails.
     */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = StepFailed.class)
    public String disableOld(long rotationId) {
        engineOnly();
        Rotation r = step(rotationId, Status.OVERLAP);
        Application app = applications.load(r.applicationId());
        // Both locked, the new key first, before AWS is asked: a revoke or disable of the new key at the same moment
        // either came first (and the old key is kept) or waits until the old one is disabled.
        ApiKey fresh = keys.lock(r.newKeyId()).orElseThrow();
        if (fresh.revealedAt() == null || fresh.status() != KeyStatus.ACTIVE || expired(fresh)) {
            throw fail(r, texts.text("rotation.failed.newKeyGone", fresh.prefix()));
        }
        ApiKey old = keys.lock(r.oldKeyId()).orElseThrow();
        if (old.status() == KeyStatus.ACTIVE) {
            disableInAws(old);
            keys.markInactive(old.id(), KeyStatus.ACTIVE, "Replaced by key " + fresh.prefix() + "… (rotation "
                    + rotationId + ")", "rotation");
        }
        String why = r.cutOverWhy() == null ? "cut-over" : r.cutOverWhy();
        jdbc.sql("update key_rotation set status = :s, cut_over_at = :now, cut_over_why = :why where id = :id")
                .param("s", Status.CUT_OVER.name()).param("now", at(clock.instant())).param("why", cap(why, 200))
                .param("id", rotationId).update();
        record(r, "old key " + old.prefix() + "… disabled (" + why + ")");
        tell(app, "rotation.notify.cutOver", app.displayName(), old.prefix(), fresh.prefix(), why,
                properties.deleteAfter().toDays());
        return "old key disabled";
    }

    /** The end: the old key deleted in AWS (one already gone counts as deleted), which frees its slot. */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = StepFailed.class)
    public String deleteOld(long rotationId) {
        engineOnly();
        Rotation r = step(rotationId, Status.CUT_OVER);
        Application app = applications.load(r.applicationId());
        ApiKey fresh = keys.lock(r.newKeyId()).orElseThrow();
        ApiKey old = keys.lock(r.oldKeyId()).orElseThrow();
        if (old.status() == KeyStatus.ACTIVE) {
            // Enabled again after the cut-over (security, on its key page): someone needs it; it is not deleted.
            throw fail(r, texts.text("rotation.failed.oldKeyEnabledAgain", old.prefix()));
        }
        if (old.status().live() && (fresh.status() != KeyStatus.ACTIVE || expired(fresh))) {
            // The new key stopped working since the cut-over: the old one is the application's way back.
            throw fail(r, texts.text("rotation.failed.newKeyGoneOldKept", fresh.prefix(), old.prefix()));
        }
        if (old.status().live()) {
            deleteInAws(old.iamUser(), old.credentialId());
            keys.markDeletedInAws(old.id(), old.status(), "Deleted after rotation " + rotationId, "rotation");
        }
        jdbc.sql("update key_rotation set old_deleted_at = :now where id = :id").param("now", at(clock.instant()))
                .param("id", rotationId).update();
        finish(r, Status.COMPLETED, null);
        record(r, "old key " + old.prefix() + "… deleted; rotation complete");
        audit.record("rotation", AUDIT_DONE, target(r.applicationId()), "rotation " + rotationId + " complete");
        tell(app, "rotation.notify.completed", app.displayName(), fresh.prefix());
        return "old key deleted";
    }

    /**
     * The new key was not revealed in time: it is revoked (disabled and deleted in AWS, its sealed copy deleted) and
     * the old key keeps working.
     */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = StepFailed.class)
    public String revealWindowPassed(long rotationId) {
        engineOnly();
        Rotation r = step(rotationId, Status.KEY_CREATED);
        Application app = applications.load(r.applicationId());
        // Locked before AWS is asked: a reveal at the same moment either came first or finds the key revoked.
        ApiKey fresh = keys.lock(r.newKeyId()).orElseThrow();
        if (fresh.revealedAt() != null) {
            throw new IllegalStateException("The new key of rotation " + rotationId + " was revealed meanwhile: it "
                    + "is not revoked (the reveal moves the rotation on)");
        }
        if (fresh.status().live()) {
            disableInAws(fresh);
            deleteInAws(fresh.iamUser(), fresh.credentialId());
            keys.markRevoked(fresh.id(), fresh.status(), "Not revealed within " + com.bedrockportal.shared.ui.Durations.words(provisioning.revealWindow())
                    + " (rotation " + rotationId + ")", "rotation");
        }
        finish(r, Status.REVEAL_EXPIRED, "The new key was not revealed in time; it was revoked. The old key keeps "
                + "working.");
        record(r, "new key " + fresh.prefix() + "… not revealed in time: revoked; the old key keeps working");
        tell(app, "rotation.notify.revealExpired", app.displayName(), fresh.prefix());
        return "new key revoked";
    }

    // --- internals

    /**
     * An application that keeps a Secrets Manager copy gets the new key there too, as {@link Secrets#PENDING}: who
     * reads the secret keeps the old key until the owner has revealed the new one ({@link #promoteCopy}). A new key
     * not revealed in time is revoked and stays a pending version nobody reads by default.
     */
    private String stageCopy(Application app, ApiKey key, char[] secret) {
        String name = app.names().secretName();
        if (!app.access().storeSecret() || name == null) {
            return "";
        }
        Optional<Secrets.Found> copy = secrets.lookUp(name);
        if (copy.isEmpty() || copy.get().deletionScheduled()) {
            return "; no Secrets Manager copy " + name + " to update";
        }
        try {
            secrets.stagePendingValue(name, copyVersion(key.id()), secret);
        } catch (CloudException e) {
            if (!e.business()) {
                throw e; // retried: the key made above is taken for a leftover and made again
            }
            // AWS refuses the copy (access denied, …): the rotation goes on without it, as without a copy.
            log.warn("Rotation of application {}: AWS refused the Secrets Manager copy; not updated", app.id());
            return "; the Secrets Manager copy " + name + " was not updated: AWS refused (" + e.kind() + ")";
        }
        keys.recordCopy(key.id(), copy.get().arn());
        return "; in " + name + " as " + Secrets.PENDING;
    }

    /** What the copy's update came to: whether it now serves the new key, and the timeline's words. */
    private record Promotion(boolean done, String text) {
    }

    /** After the reveal: the copy's {@link Secrets#CURRENT} version becomes the new key (idempotent). */
    private Promotion promoteCopy(Rotation r, Application app, ApiKey key) {
        if (key.secretArn() == null) {
            return new Promotion(false, "");
        }
        String name = app.names().secretName();
        try {
            // Dropped by a change, or deleted in the console, meanwhile (gone altogether: promote says NOT_FOUND).
            if (secrets.lookUp(name).map(Secrets.Found::deletionScheduled).orElse(false)) {
                return new Promotion(false, "; the Secrets Manager copy " + name
                        + " is scheduled for deletion: not updated");
            }
            secrets.promote(name, copyVersion(key.id()));
            return new Promotion(true, "; " + name + " now holds the new key (" + Secrets.CURRENT + ")");
        } catch (CloudException e) {
            if (!e.business()) {
                throw e;
            }
            log.warn("Rotation {}: AWS refused the Secrets Manager copy's new version; not updated", r.id());
            return new Promotion(false, "; the Secrets Manager copy " + name + " was not updated (" + e.kind()
                    + ")");
        }
    }

    /** The copy's version id for a key: the request token Secrets Manager takes (32–64 characters), fixed per key. */
    static String copyVersion(long keyId) {
        return UUID.nameUUIDFromBytes(("bedrock-portal:api-key:" + keyId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** Steps run in the engine's jobs, never for a logged-in caller, whatever path they came by. */
    private static void engineOnly() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller != null && caller.isAuthenticated() && !(caller instanceof AnonymousAuthenticationToken)) {
            throw new AccessDeniedException("Rotation steps run only in the process engine.");
        }
    }

    /**
     * Loads and locks the rotation for a step and re-checks it: it must be in {@code expected} and its application
     * active. Otherwise the step fails the rotation (business error).
     */
    private Rotation step(long rotationId, Status expected) {
        Rotation r = lock(rotationId).orElseThrow(() -> new IllegalStateException("No rotation " + rotationId));
        if (r.status() != expected) {
            String why = "Rotation " + rotationId + " is " + r.status() + ", not " + expected + "; the step stopped";
            audit.record("rotation", com.bedrockportal.audit.AuditActions.SECURITY_ALERT, target(r.applicationId()),
                    why);
            throw r.status().open() ? fail(r, why) : new StepFailed(why);
        }
        Application app = applications.load(r.applicationId());
        if (app.status() != Application.Status.ACTIVE) {
            throw fail(r, texts.text("rotation.failed.inactive"));
        }
        return r;
    }

    private Optional<Rotation> lock(long rotationId) {
        return jdbc.sql("select * from key_rotation where id = :id for update").param("id", rotationId)
                .query(Rotations::map).optional();
    }

    /** Ends the rotation FAILED with the reason, tells the owner, and returns the error that makes the process end. */
    private StepFailed fail(Rotation r, String reason) {
        finish(r, Status.FAILED, reason);
        audit.record("rotation", AUDIT_FAILED, target(r.applicationId()), "rotation " + r.id() + ": " + reason);
        Application app = applications.load(r.applicationId());
        tell(app, "rotation.notify.failed", app.displayName(), reason);
        return new StepFailed(reason);
    }

    private void finish(Rotation r, Status status, String failure) {
        jdbc.sql("""
                update key_rotation set status = :s, failure = :f, finished_at = :now, open_application_id = null
                where id = :id""").param("s", status.name()).param("f", failure == null ? null : cap(failure, 1000))
                .param("now", at(clock.instant())).param("id", r.id()).update();
    }

    private void cutOverWhy(Rotation r, String why) {
        jdbc.sql("update key_rotation set cut_over_why = :w where id = :id").param("w", cap(why, 200))
                .param("id", r.id()).update();
    }

    private void record(Rotation r, String detail) {
        audit.record("rotation", AUDIT_STEP, target(r.applicationId()), "rotation " + r.id() + ": " + detail);
    }

    private void tell(Application app, String key, Object... args) {
        notifier.notify(List.of(app.owner()), texts.text(key + ".title", args), texts.text(key + ".body", args),
                "applications/" + app.id());
    }

    /** Sets the key Inactive in AWS; a credential AWS no longer has needs nothing more. */
    private void disableInAws(ApiKey key) {
        try {
            credentials.updateServiceCredentialStatus(key.iamUser(), key.credentialId(), false);
        } catch (CloudException e) {
            if (e.kind() != CloudException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    private void deleteInAws(String user, String credentialId) {
        try {
            credentials.deleteServiceCredential(user, credentialId);
        } catch (CloudException e) {
            if (e.kind() != CloudException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    private Optional<ApiKey> keyOfCredential(String credentialId) {
        return jdbc.sql("select id from api_key where credential_id = :c").param("c", credentialId).query(Long.class)
                .optional().flatMap(keys::find);
    }

    private List<ApiKey> liveKeys(long applicationId) {
        return jdbc.sql("select id from api_key where application_id = :a and status not in ('DELETED', 'REVOKED')")
                .param("a", applicationId).query(Long.class).list().stream().map(keys::find)
                .flatMap(Optional::stream).toList();
    }

    private boolean expired(ApiKey key) {
        return key.expiresAt() != null && !key.expiresAt().isAfter(clock.instant());
    }

    private static boolean works(ServiceCredentials.ServiceCredential c, Instant now) {
        return "Active".equals(c.status()) && (c.expiresAt() == null || c.expiresAt().isAfter(now));
    }

    /** "7 days", "12 hours", "30 minutes": a period as people say it. */
    static String readable(java.time.Duration d) {
        if (d.toDays() > 0 && d.equals(java.time.Duration.ofDays(d.toDays()))) {
            return d.toDays() == 1 ? "1 day" : d.toDays() + " days";
        }
        if (d.toHours() > 0 && d.equals(java.time.Duration.ofHours(d.toHours()))) {
            return d.toHours() == 1 ? "1 hour" : d.toHours() + " hours";
        }
        return d.toMinutes() + " minutes";
    }

    private static String cap(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    static String target(long applicationId) {
        return "application:" + applicationId;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Rotation map(ResultSet rs, int i) throws SQLException {
        return new Rotation(rs.getLong("id"), rs.getLong("application_id"), Trigger.valueOf(rs.getString("trigger_kind")),
                rs.getString("reason"), rs.getString("requested_by"), Status.valueOf(rs.getString("status")),
                longOrNull(rs, "old_key_id"), longOrNull(rs, "new_key_id"), rs.getString("failure"),
                instant(rs, "started_at"), instant(rs, "revealed_at"), instant(rs, "overlap_ends_at"),
                instant(rs, "cut_over_at"), rs.getString("cut_over_by"), rs.getString("cut_over_why"),
                instant(rs, "old_deleted_at"), instant(rs, "finished_at"));
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

}
