package com.bedrockportal.application;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.businessunit.RotateEvery;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Scheduled rotation: how often an application's key is replaced by a rotation. The unit's setting
 * ({@link BusinessUnit#rotateEvery()}, P30D unless an admin changed it) applies to every application of the unit
 * that has no setting of its own — also when the admin changes it later; an application may override it (7, 30, 60
 * or 90 days) or turn it off, and may go back to following the unit. The owner (while a member of the unit), the
 * unit's managers and security change it, as they hand the application over; every change is audited and told to the
 * owner. The expiry watch reads {@link #activeSchedules(long, int)}, page by page, to start the rotations that are due.
 *
 * <p>Beside it, how a rotation hands over the new key ({@link Delivery}): its owner reveals it once (the default), or,
 * for an application that keeps a Secrets Manager copy, it goes straight into that copy and nobody reveals it, so a
 * scheduled rotation needs no person at all. Changed by the same people, in the same dialog, audited with it.
 */
@Service
public class RotationSchedules {

    public static final String AUDIT_ROTATION_CHANGED = "APPLICATION_ROTATION_CHANGED";
    /** The choice that makes an application follow its unit's default again. */
    public static final String FOLLOW_UNIT = "UNIT";
    /** Every choice the application page offers and the server accepts, in the order shown. */
    public static final List<String> CHOICES = List.of(FOLLOW_UNIT, RotateEvery.P7D.name(), RotateEvery.P30D.name(),
            RotateEvery.P60D.name(), RotateEvery.P90D.name(), RotateEvery.OFF.name());

    /** How a rotation hands over the new key. */
    public enum Delivery {
        /** Its owner reveals it once, after logging in again; the old key works until the switch. */
        REVEAL,
        /**
         * Straight into the application's Secrets Manager copy (as its current version): whoever reads the secret
         * gets it, nobody reveals it. Only for an application that keeps a copy; one that no longer does (a change
         * dropped it) gets {@link #REVEAL} ({@link Schedule#effectiveDelivery()}).
         */
        SECRETS_MANAGER;

        static Delivery parse(String stored) {
            return SECRETS_MANAGER.name().equals(stored) ? SECRETS_MANAGER : REVEAL;
        }
    }

    /**
     * An application's schedule: its own setting ({@code own}; null when it follows the unit) and its unit's default;
     * how a rotation hands over the new key as set ({@code delivery}), and whether the application keeps a Secrets
     * Manager copy now.
     */
    public record Schedule(long applicationId, RotateEvery own, RotateEvery unitDefault, Delivery delivery,
            boolean keepsCopy) {

        /** What applies: the application's own setting, or else its unit's. */
        public RotateEvery effective() {
            return own != null ? own : unitDefault;
        }

        public boolean followsUnit() {
            return own == null;
        }

        /** The choice that gives this schedule ({@link #FOLLOW_UNIT} or the own setting's name). */
        public String choice() {
            return own == null ? FOLLOW_UNIT : own.name();
        }

        /** How the next rotation hands over its key: straight to Secrets Manager only while the copy is kept. */
        public Delivery effectiveDelivery() {
            return keepsCopy ? delivery : Delivery.REVEAL;
        }

        static Schedule of(long applicationId, String own, String unitDefault, String delivery, boolean keepsCopy) {
            return new Schedule(applicationId, RotateEvery.parse(own).orElse(null),
                    RotateEvery.parse(unitDefault).orElse(RotateEvery.UNIT_DEFAULT), Delivery.parse(delivery),
                    keepsCopy);
        }
    }

    private final ApplicationRepository repository;
    private final BusinessUnitService units;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final Notifier notifier;
    private final ApplicationEventPublisher events;
    private final FormValidation texts;
    private final Clock clock;

    RotationSchedules(ApplicationRepository repository, BusinessUnitService units, CurrentUser currentUser,
            AuditLog audit, Notifier notifier, ApplicationEventPublisher events, FormValidation texts, Clock clock) {
        this.repository = repository;
        this.units = units;
        this.currentUser = currentUser;
        this.audit = audit;
        this.notifier = notifier;
        this.events = events;
        this.texts = texts;
        this.clock = clock;
    }

    /** The application's schedule (the caller has checked the user may see the application). */
    @PermitAll
    @Transactional(readOnly = true)
    public Schedule of(Application app) {
        BusinessUnit unit = units.find(app.businessUnitId()).orElseThrow();
        return new Schedule(app.id(), repository.ownRotateEvery(app.id()).flatMap(RotateEvery::parse).orElse(null),
                unit.rotateEvery(), Delivery.parse(repository.rotationDelivery(app.id())),
                app.access().storeSecret());
    }

    /** Whether the current user may change the application's schedule now (the page shows the button). */
    @PermitAll
    @Transactional(readOnly = true)
    public boolean mayChange(Application app) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        return app.status() == Application.Status.ACTIVE && units.find(app.businessUnitId())
                .map(u -> ApplicationOwners.mayChange(me, app, u)).orElse(false);
    }

    /** Sets the application's schedule to {@code choice}, keeping how its rotations hand over the key. */
    @RolesAllowed({ PortalRole.REQUESTER_ROLE, PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(noRollbackFor = ApplicationOwners.Refused.class)
    public Schedule change(long applicationId, String choice) {
        return change(applicationId, choice, null);
    }

    /**
     * Sets the application's schedule to {@code choice}: one of {@link #CHOICES} ({@link #FOLLOW_UNIT}: its unit's
     * default, whatever it is now or later; {@code OFF}: no scheduled rotation), and how its rotations hand over the
     * new key to {@code delivery} (a {@link Delivery} name; null keeps it). Anything else is refused beside the field,
     * as is a change to {@link Delivery#SECRETS_MANAGER} for an application that keeps no Secrets Manager copy (one set
     * before a change dropped the copy is kept, and applies again when it keeps one); nothing changes
     * then. Audited with before and after; the owner is told when someone else changed it.
     *
     * @throws FieldErrors                  {@code rotateEvery}: not one of the choices; {@code rotationDelivery}: not
     *                                      a delivery, or Secrets Manager without a copy
     * @throws ApplicationOwners.Refused    the user may not, or the application is not active
     */
    @RolesAllowed({ PortalRole.REQUESTER_ROLE, PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(noRollbackFor = ApplicationOwners.Refused.class)
    public Schedule change(long applicationId, String choice, String delivery) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Optional<Application> found = repository.lock(applicationId);
        Optional<BusinessUnit> unit = found.flatMap(a -> units.find(a.businessUnitId()));
        if (found.isEmpty() || unit.isEmpty() || !ApplicationOwners.mayChange(me, found.get(), unit.get())) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), "change the key rotation of "
                    + "application:" + applicationId));
            throw ApplicationOwners.Refused.notPermitted(texts.text("schedule.refused.notAllowed"));
        }
        Application app = found.get();
        if (app.status() != Application.Status.ACTIVE) {
            throw new ApplicationOwners.Refused(texts.text("rotation.refused.notActive", app.status().name()));
        }
        Schedule before = of(app);
        String wanted = choice == null ? "" : choice.strip();
        Map<String, String> errors = new LinkedHashMap<>();
        if (!CHOICES.contains(wanted)) {
            errors.put("rotateEvery", texts.text("rotation.choice.invalid"));
        }
        Delivery deliver = before.delivery();
        if (delivery != null) {
            String named = delivery.strip();
            if (Arrays.stream(Delivery.values()).noneMatch(d -> d.name().equals(named))) {
                errors.put("rotationDelivery", texts.text("rotation.delivery.invalid"));
            } else if (Delivery.valueOf(named) == Delivery.SECRETS_MANAGER && before.delivery() != Delivery.SECRETS_MANAGER
                    && !app.access().storeSecret()) {
                errors.put("rotationDelivery", texts.text("rotation.delivery.noCopy"));
            } else {
                deliver = Delivery.valueOf(named);
            }
        }
        if (!errors.isEmpty()) {
            throw new FieldErrors(errors);
        }
        RotateEvery own = FOLLOW_UNIT.equals(wanted) ? null : RotateEvery.valueOf(wanted);
        if (own == before.own() && deliver == before.delivery()) {
            return before;
        }
        repository.changeRotation(app.id(), own == null ? null : own.name(), deliver.name(), clock.instant());
        Schedule after = of(app);
        audit.record(me.username(), AUDIT_ROTATION_CHANGED, "application:" + app.id(), "key rotation: "
                + describe(before) + " -> " + describe(after));
        if (!me.username().equals(app.owner())) {
            notifier.notify(List.of(app.owner()), texts.text("rotation.notify.title", app.displayName()),
                    texts.text("rotation.notify.body", app.displayName(), me.username(), describe(after)),
                    "applications/" + app.id());
        }
        return after;
    }

    /**
     * How the application's next rotation hands over its key: straight to Secrets Manager only while it keeps a copy
     * (for the rotation's steps, which run without a user, and the page that already shows the application).
     */
    @Transactional(readOnly = true)
    public Delivery deliveryOf(Application app) {
        return app.access().storeSecret() ? Delivery.parse(repository.rotationDelivery(app.id())) : Delivery.REVEAL;
    }

    /**
     * The schedules of ACTIVE applications, in id order: at most {@code limit} after {@code afterId} (for the expiry
     * watch, which runs without a user and reads them a page at a time).
     */
    @Transactional(readOnly = true)
    public List<Schedule> activeSchedules(long afterId, int limit) {
        return repository.activeSchedules(afterId, limit);
    }

    private static String describe(Schedule s) {
        return (s.followsUnit() ? "unit default " : "") + s.effective().name()
                + (s.delivery() == Delivery.SECRETS_MANAGER ? ", new keys straight to Secrets Manager" : "");
    }
}
