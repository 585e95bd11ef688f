package com.bedrockportal.businessunit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Business units: who may request for a unit (members), who approves (managers), the unit's default budget.
 * Every change is validated here (not only in the view): the draft's field rules, then a unique slug; refused with
 * {@link FieldErrors} before anything is stored. Every change is audited in the same transaction.
 */
@Service
public class BusinessUnitService {

    private final BusinessUnitRepository repository;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final List<BusinessUnitUsage> usages;
    private final FormValidation rules;
    private final Clock clock;
    private final List<UnitBudgetKeeper> budgetKeepers;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<UnitApplications> applications;

    BusinessUnitService(BusinessUnitRepository repository, AuditLog audit, CurrentUser currentUser,
            List<BusinessUnitUsage> usages, FormValidation rules, Clock clock, List<UnitBudgetKeeper> budgetKeepers,
            ApplicationEventPublisher events, ObjectProvider<UnitApplications> applications) {
        this.applications = applications;
        this.repository = repository;
        this.audit = audit;
        this.currentUser = currentUser;
        this.usages = usages;
        this.rules = rules;
        this.clock = clock;
        this.budgetKeepers = budgetKeepers;
        this.events = events;
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional(readOnly = true)
    public List<BusinessUnit> list(String search, boolean includeArchived) {
        String q = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
        return repository.findAll().stream().filter(u -> includeArchived || !u.archived())
                .filter(u -> q.isEmpty() || u.slug().contains(q) || u.displayName().toLowerCase(Locale.ROOT).contains(q)
                        || u.costCenter().toLowerCase(Locale.ROOT).contains(q))
                .toList();
    }

    /** Every unit that is neither archived nor deleted (the account posture page checks each one's budget). */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(readOnly = true)
    public List<BusinessUnit> active() {
        return notArchived();
    }

    /**
     * {@link #active()} for the engine's own steps (the quarterly access review's start runs on a job thread, with
     * nobody logged in); refused to a logged-in caller, who has {@link #active()} by role.
     */
    @PermitAll
    @Transactional(readOnly = true)
    public List<BusinessUnit> activeForEngine() {
        if (currentUser.get().isPresent()) {
            throw new org.springframework.security.access.AccessDeniedException(
                    "Only the process engine reads the units this way.");
        }
        return notArchived();
    }

    private List<BusinessUnit> notArchived() {
        return repository.findAll().stream().filter(u -> !u.archived()).toList();
    }

    /** The active units the user belongs to, as member or manager. */
    @PermitAll
    @Transactional(readOnly = true)
    public List<BusinessUnit> unitsOf(String username) {
        return repository.findByPerson(username).stream().filter(u -> !u.archived()).toList();
    }

    @PermitAll
    @Transactional(readOnly = true)
    public Optional<BusinessUnit> find(long id) {
        return repository.findById(id);
    }

    /**
     * The unit as it is now, its row locked until the caller's transaction ends: a save of the unit waits for the
     * caller, and the caller for a save under way, so the members it reads are those the last committed save left and
     * stay so while it acts on them. For the listeners of {@link MembersChanged} and the checks that act on them.
     */
    @PermitAll
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public Optional<BusinessUnit> findLocked(long id) {
        return repository.lock(id) ? repository.findById(id) : Optional.empty();
    }

    /** Whether a unit (archived too) has this slug. */
    @PermitAll
    @Transactional(readOnly = true)
    public boolean slugTaken(String slug) {
        return repository.findBySlug(slug).isPresent();
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public BusinessUnit create(BusinessUnitDraft draft) {
        normalise(draft);
        FieldErrors.Collector errors = rules.check(draft);
        if (!errors.has("slug") && draft.getSlug().length() > BusinessUnitDraft.NEW_SLUG_MAX) {
            errors.add("slug", rules.text("bu.slug.roomForApplications", String.valueOf(BusinessUnitDraft.NEW_SLUG_MAX)));
        }
        if (!errors.has("slug") && repository.findBySlug(draft.getSlug()).isPresent()) {
            errors.add("slug", rules.text("bu.slug.taken", draft.getSlug()));
        }
        errors.throwIfAny();
        long id;
        try {
            id = repository.insert(draft, clock.instant());
        } catch (DuplicateKeyException raced) {
            throw FieldErrors.of("slug", rules.text("bu.slug.taken", draft.getSlug()));
        }
        BusinessUnit created = repository.findById(id).orElseThrow();
        audit.record(actor(), AuditActions.BU_CREATED, target(created), describe(created));
        keepBudget(created);
        return created;
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public BusinessUnit update(BusinessUnitDraft draft) {
        Objects.requireNonNull(draft.getId(), "update needs an existing unit");
        BusinessUnit before = repository.findById(draft.getId()).orElseThrow(this::gone);
        draft.setSlug(before.slug()); // the slug names AWS resources and never changes
        normalise(draft);
        rules.check(draft).throwIfAny();
        if (!repository.update(draft, clock.instant())) {
            throw FieldErrors.of("form", rules.text("bu.changedMeanwhile"));
        }
        BusinessUnit after = repository.findById(draft.getId()).orElseThrow();
        audit.record(actor(), AuditActions.BU_UPDATED, target(after), changes(before, after));
        keepBudget(after);
        membersChanged(before, after);
        return after;
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public BusinessUnit setArchived(long id, boolean archived) {
        BusinessUnit unit = repository.findById(id).orElseThrow(this::gone);
        if (unit.archived() == archived) {
            return unit;
        }
        repository.setArchived(id, archived, clock.instant());
        audit.record(actor(), archived ? AuditActions.BU_ARCHIVED : AuditActions.BU_RESTORED, target(unit), null);
        if (archived) {
            // Archiving ends the unit's access: every live application is decommissioned (the admin acts for the
            // portal, no manager approval), in the same transaction as the archive.
            applications.ifAvailable(a -> a.decommissionAll(id, rules.text("bu.archive.reason", unit.displayName(),
                    actor())));
        }
        return repository.findById(id).orElseThrow();
    }

    /** Deletes a unit that has no live keys; a unit with live keys can only be archived. */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public void delete(long id) {
        BusinessUnit unit = repository.findById(id).orElseThrow(this::gone);
        List<UnitApplications.LiveApplication> liveApps = liveApplications(id);
        if (!liveApps.isEmpty()) {
            throw FieldErrors.of("form", rules.text("bu.liveApplications", unit.displayName(),
                    String.valueOf(liveApps.size()), String.join(", ", liveApps.stream()
                            .map(UnitApplications.LiveApplication::displayName).toList())));
        }
        long live = usages.stream().mapToLong(u -> u.liveKeys(id)).sum();
        if (live > 0) {
            throw FieldErrors.of("form", rules.text("bu.liveKeys", unit.displayName(), String.valueOf(live)));
        }
        if (repository.hasHistory(id)) {
            // Every application is decommissioned and no key is live: the unit goes, its history stays.
            repository.markDeleted(id, clock.instant());
            audit.record(actor(), AuditActions.BU_DELETED, target(unit), describe(unit)
                    + "; its requests, keys and applications are kept as history");
            return;
        }
        repository.delete(id);
        audit.record(actor(), AuditActions.BU_DELETED, target(unit), describe(unit));
    }

    /** Seeds the demo units when there are none yet (first start of a demo installation). */
    @Transactional
    public boolean seedIfEmpty(List<BusinessUnitDraft> drafts) {
        if (repository.count() > 0) {
            return false;
        }
        for (BusinessUnitDraft d : drafts) {
            normalise(d);
            rules.check(d).throwIfAny();
            long id = repository.insert(d, clock.instant());
            BusinessUnit unit = repository.findById(id).orElseThrow();
            audit.record("system", AuditActions.BU_CREATED, target(unit), "demo data; " + describe(unit));
        }
        return true;
    }

    private String actor() {
        return currentUser.usernameOrAnonymous();
    }

    private FieldErrors gone() {
        return FieldErrors.of("form", rules.text("bu.gone"));
    }

    /** Strips texts and names (lists over their cap are left as they are: the rules refuse them by their size). */
    private static void normalise(BusinessUnitDraft d) {
        d.setSlug(trim(d.getSlug()));
        d.setDisplayName(trim(d.getDisplayName()));
        d.setCostCenter(trim(d.getCostCenter()));
        d.setOwnerEmail(trim(d.getOwnerEmail()));
        if (d.getManagers().size() <= BusinessUnitDraft.MAX_MANAGERS) {
            d.setManagers(d.getManagers().stream().map(BusinessUnitService::trim).filter(s -> !s.isEmpty()).toList());
        }
        if (d.getMembers().size() <= BusinessUnitDraft.MAX_MEMBERS) {
            d.setMembers(d.getMembers().stream().map(BusinessUnitService::trim).filter(s -> !s.isEmpty()).toList());
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    private static String target(BusinessUnit unit) {
        return "business-unit:" + unit.slug();
    }

    private static String describe(BusinessUnit u) {
        return "name=" + u.displayName() + "; cost-center=" + u.costCenter() + "; owner=" + u.ownerEmail()
                + "; budget=" + u.defaultMonthlyBudget().toPlainString() + "; key-rotation=" + u.rotateEvery().name()
                + "; managers=" + u.managers() + "; members=" + u.members();
    }

    static String changes(BusinessUnit before, BusinessUnit after) {
        List<String> changed = new ArrayList<>();
        diff(changed, "name", before.displayName(), after.displayName());
        diff(changed, "cost-center", before.costCenter(), after.costCenter());
        diff(changed, "owner", before.ownerEmail(), after.ownerEmail());
        diff(changed, "budget", before.defaultMonthlyBudget().toPlainString(), after.defaultMonthlyBudget().toPlainString());
        diff(changed, "key-rotation", before.rotateEvery().name(), after.rotateEvery().name());
        diff(changed, "managers", before.managers().toString(), after.managers().toString());
        diff(changed, "members", before.members().toString(), after.members().toString());
        return changed.isEmpty() ? "no changes" : String.join("; ", changed);
    }

    private static void diff(List<String> changed, String field, String before, String after) {
        if (!Objects.equals(before, after)) {
            changed.add(field + ": " + before + " -> " + after);
        }
    }

    // --- unit-wide budget and members who leave (issue 10, owners)

    /**
     * The unit-wide budget follows the unit as saved, in the save's transaction: AWS is asked last, so when it
     * refuses or does not answer the whole save is rolled back and the admin is told beside the form.
     */
    private void keepBudget(BusinessUnit unit) {
        try {
            budgetKeepers.forEach(k -> k.keep(unit));
        } catch (UnitBudgetKeeper.Failed e) {
            throw FieldErrors.of("form", e.getMessage());
        }
    }

    /** Tells the modules whose records name people of the unit (application owners) who left and who joined. */
    private void membersChanged(BusinessUnit before, BusinessUnit after) {
        Set<String> removed = new TreeSet<>(before.members());
        removed.removeAll(after.members());
        Set<String> added = new TreeSet<>(after.members());
        added.removeAll(before.members());
        if (!removed.isEmpty() || !added.isEmpty()) {
            events.publishEvent(new MembersChanged(after.id(), Set.copyOf(removed),
                    Set.copyOf(added), actor()));
        }
    }

    // --- Decommissioning

    /**
     * The unit's applications that still have resources in AWS (not yet DECOMMISSIONED): archiving lists and
     * decommissions them, deleting waits for none to be left.
     */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional(readOnly = true)
    public List<UnitApplications.LiveApplication> liveApplications(long id) {
        UnitApplications apps = applications.getIfAvailable();
        return apps == null ? List.of() : apps.live(id);
    }
}
