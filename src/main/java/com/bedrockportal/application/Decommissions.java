package com.bedrockportal.application;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.businessunit.UnitApplications;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.Decommissioner;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Decommissioning an application: the owner asks (a manager of the unit approves first) or security does (at once);
 * an admin archiving the unit decommissions all its applications, acting for the portal. Every request and decision
 * is checked here, recorded, audited and told to the owner; the process {@code bedrock-application-decommission}
 * then deletes the resources in AWS and its steps report back here ({@link #violation}, {@link #recordTeardown},
 * {@link #complete}, {@link #fail}). Camunda never decides: a task completed outside the portal finds no decision
 * recorded here and the steps refuse to act.
 */
@Service
public class Decommissions implements UnitApplications {

    /** The longest reason or comment the server accepts (the dialogs' fields have the same cap). */
    public static final int MAX_REASON = 500;

    public static final String AUDIT_REQUESTED = "DECOMMISSION_REQUESTED";
    public static final String AUDIT_APPROVED = "DECOMMISSION_APPROVED";
    public static final String AUDIT_REJECTED = "DECOMMISSION_REJECTED";
    public static final String AUDIT_STEP = "DECOMMISSION_STEP";
    public static final String AUDIT_DONE = "APPLICATION_DECOMMISSIONED";
    public static final String AUDIT_FAILED = "DECOMMISSION_FAILED";

    /** What decommissioning will delete, by the names the application recorded. */
    public record Plan(List<String> keys, String iamUser, String policy, String budget, String secret,
            long secretRecoveryDays) {
    }

    /** An application page's decommissioning part: state, record, plan, and what the current user may do. */
    public record Overview(Application application, Optional<Decommission> latest, List<Teardown> teardown, Plan plan,
            boolean mayRequest, boolean needsApproval, boolean mayDecide) {
    }

    private final ApplicationService applications;
    private final DecommissionRepository repository;
    private final ApplicationRepository rows;
    private final BusinessUnitService units;
    private final ApiKeys keys;
    private final Decommissioner decommissioner;
    private final CurrentUser currentUser;
    private final UserDirectory directory;
    private final AuditLog audit;
    private final Notifier notifier;
    private final ApplicationEventPublisher events;
    private final FormValidation texts;
    private final Clock clock;

    Decommissions(ApplicationService applications, DecommissionRepository repository, ApplicationRepository rows,
            BusinessUnitService units,
            ApiKeys keys, Decommissioner decommissioner, CurrentUser currentUser, UserDirectory directory,
            AuditLog audit, Notifier notifier, ApplicationEventPublisher events, FormValidation texts, Clock clock) {
        this.applications = applications;
        this.repository = repository;
        this.rows = rows;
        this.units = units;
        this.keys = keys;
        this.decommissioner = decommissioner;
        this.currentUser = currentUser;
        this.directory = directory;
        this.audit = audit;
        this.notifier = notifier;
        this.events = events;
        this.texts = texts;
        this.clock = clock;
    }

    /** The decommissioning part of an application page, if the user may see the application. */
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<Overview> overview(long applicationId) {
        CurrentUser.Principal me = me();
        return applications.find(applicationId).map(app -> {
            Optional<Decommission> latest = repository.latest(app.id());
            BusinessUnit unit = units.find(app.businessUnitId()).orElseThrow();
            return new Overview(app, latest, repository.teardown(app.id()), plan(app),
                    refusal(me, app, latest) == null, !me.has(PortalRole.SECURITY),
                    latest.filter(d -> d.status() == Decommission.Status.PENDING_APPROVAL)
                            .map(d -> decisionRefusal(me, d, unit) == null).orElse(false));
        });
    }

    /**
     * Asks to decommission an application: its owner (a manager of the unit approves first) or security (at once).
     *
     * @throws FieldErrors {@code reason} without a reason or with one too long; {@code form} when the user may not
     *                     or the application is not in a state to be decommissioned
     */
    @RolesAllowed({ PortalRole.REQUESTER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(noRollbackFor = FieldErrors.class) // a refusal keeps its audit entry (nothing is written before)
    public Decommission request(long applicationId, String reason) {
        CurrentUser.Principal me = me();
        // Locked before the checks: two requests at once (the owner and security) start one decommission, not two.
        Application app = applications.find(applicationId).flatMap(a -> rows.lock(a.id())).orElse(null);
        if (app == null) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), "decommission application:"
                    + applicationId));
            throw FieldErrors.of("form", texts.text("decommission.refused.notAllowed"));
        }
        String text = reason(reason);
        String refusal = refusal(me, app, repository.latest(app.id()));
        if (refusal != null) {
            if (refusal.equals(texts.text("decommission.refused.notAllowed"))) {
                events.publishEvent(new SecurityEvents.AccessDenied(me.username(), "decommission application:"
                        + applicationId));
            }
            throw FieldErrors.of("form", refusal);
        }
        boolean security = me.has(PortalRole.SECURITY);
        return start(app, me.username(), security ? Decommission.RequestedAs.SECURITY : Decommission.RequestedAs.OWNER,
                text);
    }

    /**
     * A manager of the application's unit approves or rejects its owner's request (a rejection needs a comment);
     * not the person who asked.
     */
    @RolesAllowed(PortalRole.MANAGER_ROLE)
    @Transactional
    public Decommission decide(long decommissionId, boolean approve, String comment) {
        CurrentUser.Principal me = me();
        Decommission d = repository.find(decommissionId).orElseThrow(() -> FieldErrors.of("form",
                texts.text("decommission.refused.gone")));
        // The application first, as a request and an archive take it: no deadlock with an archive at the same moment.
        Application app = rows.lock(d.applicationId()).orElseThrow();
        d = repository.find(decommissionId).orElseThrow();
        BusinessUnit unit = units.find(app.businessUnitId()).orElseThrow();
        String refusal = decisionRefusal(me, d, unit);
        if (refusal != null) {
            throw FieldErrors.of("form", refusal);
        }
        String text = comment == null ? "" : comment.strip();
        if (!approve && text.isEmpty()) {
            throw FieldErrors.of("comment", texts.text("decommission.comment.required"));
        }
        if (text.length() > MAX_REASON) {
            throw FieldErrors.of("comment", texts.text("decommission.reason.long", MAX_REASON));
        }
        if (!repository.decide(d.id(), me.username(), PortalRole.MANAGER.name(), approve,
                text.isEmpty() ? null : text, clock.instant())) {
            throw FieldErrors.of("form", texts.text("decommission.refused.decided"));
        }
        if (approve) {
            repository.setStatus(app.id(), Application.Status.ACTIVE, Application.Status.DECOMMISSIONING,
                    clock.instant());
        }
        audit.record(me.username(), approve ? AUDIT_APPROVED : AUDIT_REJECTED, target(app), "decommission "
                + d.id() + (text.isEmpty() ? "" : ", comment: " + text));
        notifier.notify(List.of(d.requestedBy()), texts.text(approve ? "decommission.notify.approved.title"
                : "decommission.notify.rejected.title", app.displayName()),
                texts.text(approve ? "decommission.notify.approved.body" : "decommission.notify.rejected.body",
                        app.displayName(), me.username(), text),
                link(app));
        events.publishEvent(new DecommissionEvents.Decided(d.id(), approve));
        return repository.find(d.id()).orElseThrow();
    }

    // --- the process's steps (no user logged in)

    /** A decommission, for the process's steps. */
    @Transactional(readOnly = true)
    public Decommission load(long decommissionId) {
        return repository.find(decommissionId).orElseThrow();
    }

    /** The recorded AWS names of the decommission's application. */
    @Transactional(readOnly = true)
    public Decommissioner.Target target(long decommissionId) {
        Application app = applications.load(load(decommissionId).applicationId());
        return new Decommissioner.Target(app.id(), app.names().iamUser(), app.names().budgetName(),
                app.names().secretName());
    }

    /**
     * Why a step of this decommission may not touch AWS; empty when it may. Checked by every step, whatever moved
     * the process there: the decommission is running and is the application's latest, the application is
     * DECOMMISSIONING, and an owner's request carries an approval recorded by the portal from a manager of the unit
     * who is not the person who asked.
     */
    @Transactional(readOnly = true)
    public Optional<String> violation(long decommissionId) {
        Optional<Decommission> found = repository.find(decommissionId);
        if (found.isEmpty()) {
            return Optional.of("no such decommission recorded by the portal");
        }
        Decommission d = found.get();
        Application app = applications.load(d.applicationId());
        if (d.status() != Decommission.Status.RUNNING) {
            return Optional.of("decommission is " + d.status() + ", expected RUNNING");
        }
        if (repository.latest(app.id()).map(l -> l.id() != d.id()).orElse(true)) {
            return Optional.of("a later decommission of the application exists");
        }
        if (app.status() != Application.Status.DECOMMISSIONING) {
            return Optional.of("application is " + app.status() + ", expected DECOMMISSIONING");
        }
        if (d.approvalRequired()) {
            BusinessUnit unit = units.find(app.businessUnitId()).orElse(null);
            if (d.decidedBy() == null || !PortalRole.MANAGER.name().equals(d.decidedAs())) {
                return Optional.of("no manager approval recorded by the portal");
            }
            if (unit == null || !unit.managers().contains(d.decidedBy())) {
                return Optional.of("approved by " + d.decidedBy() + ", who is not a manager of the unit");
            }
            if (d.decidedBy().equals(d.requestedBy())) {
                return Optional.of("the owner approved their own decommission request");
            }
        }
        return Optional.empty();
    }

    /** Records what a step deleted (once per resource) and audits it. */
    @Transactional
    public void recordTeardown(long decommissionId, Teardown.Step step, Decommissioner.Deleted deleted) {
        Decommission d = load(decommissionId);
        repository.recordTeardown(d.applicationId(), step, deleted.resource(), deleted.detail(), clock.instant());
        audit.record("system", AUDIT_STEP, "application:" + d.applicationId(), step.name() + " " + deleted.resource()
                + ": " + deleted.detail());
    }

    /** The teardown is done: the application is DECOMMISSIONED and its owner told. */
    @Transactional
    public void complete(long decommissionId) {
        Decommission d = load(decommissionId);
        Application app = applications.load(d.applicationId());
        if (!repository.finish(d.id(), Decommission.Status.DONE, null, clock.instant())) {
            return; // a replayed step: already done
        }
        repository.setStatus(app.id(), Application.Status.DECOMMISSIONING, Application.Status.DECOMMISSIONED,
                clock.instant());
        audit.record("system", AUDIT_DONE, target(app), "decommission " + d.id() + " requested by " + d.requestedBy()
                + " (" + d.requestedAs() + "): every resource in AWS deleted");
        notifier.notify(List.of(app.owner()), texts.text("decommission.notify.done.title", app.displayName()),
                texts.text("decommission.notify.done.body", app.displayName()), link(app));
    }

    /** A step failed for a business reason (or a check): FAILED with the reason; owner and security are told. */
    @Transactional
    public void fail(long decommissionId, String reason) {
        Decommission d = load(decommissionId);
        Application app = applications.load(d.applicationId());
        String text = reason.length() > 2000 ? reason.substring(0, 2000) : reason;
        if (!repository.finish(d.id(), Decommission.Status.FAILED, text, clock.instant())) {
            return;
        }
        audit.record("system", AUDIT_FAILED, target(app), "decommission " + d.id() + ": " + text);
        List<String> people = new ArrayList<>(List.of(app.owner()));
        directory.withRole(PortalRole.SECURITY).forEach(u -> people.add(u.username()));
        notifier.notify(people, texts.text("decommission.notify.failed.title", app.displayName()),
                texts.text("decommission.notify.failed.body", app.displayName(), text), link(app));
    }

    /** A security alert: a step found the decommission's checks violated. */
    public void alert(long decommissionId, String step, String violation) {
        audit.record("system", AuditActions.SECURITY_ALERT, "decommission:" + decommissionId, step + ": "
                + violation);
    }

    /** The managers who may decide on a decommission (Camunda's candidate users of the approval task). */
    @Transactional(readOnly = true)
    public List<String> approversOf(long decommissionId) {
        Decommission d = load(decommissionId);
        Application app = applications.load(d.applicationId());
        return units.find(app.businessUnitId()).map(u -> u.managers().stream()
                .filter(m -> !m.equals(d.requestedBy())).sorted().toList()).orElse(List.of());
    }

    // --- business units: archive decommissions, delete waits for DECOMMISSIONED

    @Override
    @Transactional(readOnly = true)
    public List<LiveApplication> live(long businessUnitId) {
        return applications.allOfUnit(businessUnitId).stream()
                .filter(a -> a.status() != Application.Status.DECOMMISSIONED)
                .map(a -> new LiveApplication(a.id(), a.slug(), a.displayName(), a.status().name())).toList();
    }

    @Override
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public int decommissionAll(long businessUnitId, String reason) {
        String actor = me().username();
        int started = 0;
        for (Application listed : applications.allOfUnit(businessUnitId)) {
            Application app = rows.lock(listed.id()).orElseThrow(); // as in request: one decommission at a time
            Optional<Decommission> latest = repository.latest(app.id());
            if (app.status() == Application.Status.DECOMMISSIONED
                    || latest.map(d -> d.status() == Decommission.Status.RUNNING).orElse(false)) {
                continue;
            }
            if (latest.map(d -> d.status() == Decommission.Status.PENDING_APPROVAL).orElse(false)) {
                // The owner's request waits for a manager: the archive supersedes it.
                repository.decide(latest.get().id(), actor, PortalRole.ADMIN.name(), false,
                        texts.text("decommission.superseded"), clock.instant());
                events.publishEvent(new DecommissionEvents.Decided(latest.get().id(), false));
            }
            start(app, actor, Decommission.RequestedAs.ADMIN, reason);
            started++;
        }
        return started;
    }

    // --- helpers

    private Decommission start(Application app, String actor, Decommission.RequestedAs as, String reason) {
        boolean approval = as == Decommission.RequestedAs.OWNER;
        long id = repository.insert(app.id(), actor, as, reason, approval ? Decommission.Status.PENDING_APPROVAL
                : Decommission.Status.RUNNING, clock.instant());
        if (!approval) {
            repository.setStatus(app.id(), app.status(), Application.Status.DECOMMISSIONING, clock.instant());
        }
        audit.record(actor, AUDIT_REQUESTED, target(app), "decommission " + id + " as " + as + ", reason: " + reason
                + (approval ? "; waits for a manager of the unit" : ""));
        notifier.notify(List.of(app.owner()), texts.text("decommission.notify.requested.title", app.displayName()),
                texts.text(approval ? "decommission.notify.requested.pending" : "decommission.notify.requested.body",
                        app.displayName(), actor, reason),
                link(app));
        if (approval) {
            notifier.notify(approversOf(id), texts.text("decommission.notify.approve.title", app.displayName()),
                    texts.text("decommission.notify.approve.body", app.displayName(), actor, reason), link(app));
        }
        events.publishEvent(new DecommissionEvents.Requested(id, approval));
        return repository.find(id).orElseThrow();
    }

    /** What will be deleted: the recorded names, and the keys that still exist. */
    private Plan plan(Application app) {
        List<String> live = keys.ofIamUser(app.names().iamUser()).stream().filter(k -> k.status().live())
                .map(ApiKey::prefix).map(p -> p + "…").toList();
        return new Plan(live, app.names().iamUser(), decommissioner.policyName(), app.names().budgetName(),
                app.names().secretName(), decommissioner.secretRecoveryWindow().toDays());
    }

    /** Null when the user may ask to decommission the application now; otherwise why not. */
    private String refusal(CurrentUser.Principal me, Application app, Optional<Decommission> latest) {
        boolean security = me.has(PortalRole.SECURITY);
        // The owner while a member of the unit: an owner who left acts on nothing of the application until handed over.
        boolean owner = me.has(PortalRole.REQUESTER) && me.username().equals(app.owner())
                && units.find(app.businessUnitId()).map(u -> u.members().contains(me.username())).orElse(false);
        if (!security && !owner) {
            return texts.text("decommission.refused.notAllowed");
        }
        if (latest.map(d -> d.status().open()).orElse(false)) {
            return texts.text("decommission.refused.open");
        }
        boolean retry = security && app.status() == Application.Status.DECOMMISSIONING
                && latest.map(d -> d.status() == Decommission.Status.FAILED).orElse(false);
        if (app.status() != Application.Status.ACTIVE && !retry) {
            return texts.text("decommission.refused.state", app.status().name());
        }
        return null;
    }

    private String decisionRefusal(CurrentUser.Principal me, Decommission d, BusinessUnit unit) {
        if (d.status() != Decommission.Status.PENDING_APPROVAL) {
            return texts.text("decommission.refused.decided");
        }
        if (me.username().equals(d.requestedBy())) {
            return texts.text("decommission.refused.ownRequest");
        }
        if (!me.has(PortalRole.MANAGER) || !unit.managers().contains(me.username())) {
            return texts.text("decommission.refused.managersOnly");
        }
        return null;
    }

    private String reason(String reason) {
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty()) {
            throw FieldErrors.of("reason", texts.text("decommission.reason.required"));
        }
        if (text.length() > MAX_REASON) {
            throw FieldErrors.of("reason", texts.text("decommission.reason.long", MAX_REASON));
        }
        return text;
    }

    private CurrentUser.Principal me() {
        return currentUser.get().orElseThrow(() -> new IllegalStateException("no logged-in user"));
    }

    private static String target(Application app) {
        return "application:" + app.id();
    }

    private static String link(Application app) {
        return "applications/" + app.id();
    }
}
