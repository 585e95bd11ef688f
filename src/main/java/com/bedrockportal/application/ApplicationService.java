package com.bedrockportal.application;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.shared.SqlConditions;
import com.bedrockportal.shared.Totals;

import jakarta.annotation.security.PermitAll;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reading applications (who may see which), the checks a request's new application must pass (slug free in its
 * unit, IAM user name free in the account's records), and the two writes provisioning makes: creating the
 * application of an approved "new application" request, and recording the access approved for it.
 */
@Service
public class ApplicationService {

    public static final String AUDIT_CREATED = "APPLICATION_CREATED";
    public static final String AUDIT_ACCESS_CHANGED = "APPLICATION_ACCESS_CHANGED";
    public static final String AUDIT_ACCESS_PUT_BACK = "APPLICATION_ACCESS_PUT_BACK";
    public static final String AUDIT_SHORT_TERM_ONLY = "APPLICATION_SHORT_TERM_ONLY";

    /** An approved request's slug was taken by another request's application meanwhile. */
    public static final class SlugTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SlugTaken(String message) {
            super(message);
        }
    }

    /** What an approved request asks to create. */
    public record NewApplication(long businessUnitId, String unitSlug, String slug, String displayName, String owner,
            String ownerEmail, String purpose, String dataClassification, Application.Access access, long requestId) {
    }

    private final ApplicationRepository repository;
    private final BusinessUnitService units;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final Clock clock;

    ApplicationService(ApplicationRepository repository, BusinessUnitService units, CurrentUser currentUser,
            AuditLog audit, Clock clock) {
        this.repository = repository;
        this.units = units;
        this.currentUser = currentUser;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A page of the applications the user may see, by unit and slug: security and admins all, others those of the
     * units they belong to. Only the page is read.
     */
    @PermitAll
    @Transactional(readOnly = true)
    public List<Application> visible(int offset, int limit) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        int from = Math.max(0, offset);
        int size = Math.max(0, limit);
        if (me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN)) {
            return repository.all(from, size);
        }
        return repository.ofUnits(unitIdsOf(me.username()), from, size);
    }

    /** One application, if the user may see it. */
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<Application> find(long id) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        return repository.find(id).filter(a -> me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN)
                || unitIdsOf(me.username()).contains(a.businessUnitId()));
    }

    /** A unit's active applications by slug, at most {@code limit} (the caller checks the user belongs to it). */
    @PermitAll
    @Transactional(readOnly = true)
    public List<Application> ofUnit(long unitId, int limit) {
        return repository.activeOfUnit(unitId, Math.max(0, limit));
    }

    /**
     * Applications by id, in one query a thousand (the caller checks the user may see them, as an access review's
     * page checks its unit first).
     */
    @Transactional(readOnly = true)
    public java.util.Map<Long, Application> loadAll(Collection<Long> ids) {
        return repository.findAll(ids);
    }

    /** Which of these applications the current user may see (as {@link #find(long)} decides for one). */
    @PermitAll
    @Transactional(readOnly = true)
    public Set<Long> visible(Collection<Application> apps) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        if (me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN)) {
            return apps.stream().map(Application::id).collect(Collectors.toSet());
        }
        Set<Long> units = unitIdsOf(me.username());
        return apps.stream().filter(a -> units.contains(a.businessUnitId())).map(Application::id)
                .collect(Collectors.toSet());
    }

    /**
     * Whether an application with this id exists, whoever may see it: for recording a refusal of one the caller may
     * not see (who is then answered as for no application), never for showing anything.
     */
    @PermitAll
    @Transactional(readOnly = true)
    public boolean exists(long id) {
        return repository.find(id).isPresent();
    }

    /** An application by id, for the process's steps (which run without a user and check the request first). */
    @Transactional(readOnly = true)
    public Application load(long id) {
        return repository.find(id).orElseThrow();
    }

    /**
     * An application by id, its row locked until the caller's transaction ends: the steps that make an application's
     * keys in AWS (a request's provisioning steps, a rotation's new key) run one at a time, so neither takes the
     * other's key, made but not yet recorded, for one an interrupted attempt left behind.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Application lock(long id) {
        return repository.lock(id).orElseThrow();
    }

    /** Whether a unit already has an application with this slug (whatever its state: slugs are not reused). */
    @Transactional(readOnly = true)
    public boolean slugTaken(long unitId, String slug) {
        return repository.find(unitId, slug).isPresent();
    }

    /** The owner of the application whose IAM user this is (the keys' owner), if an application records it. */
    @Transactional(readOnly = true)
    public Optional<String> ownerOfIamUser(String iamUser) {
        return repository.ownerOfIamUser(iamUser);
    }

    /** Whether an application (of any unit) already has this IAM user name. */
    @Transactional(readOnly = true)
    public boolean iamUserTaken(String iamUser) {
        return repository.iamUserTaken(iamUser);
    }

    /**
     * The application an approved request creates, created on the first call and found on every later one (a
     * replayed provisioning step creates nothing twice). Called by provisioning, which has checked the request's
     * approval first.
     */
    @Transactional
    public Application createFor(NewApplication n) {
        Optional<Application> existing = repository.find(n.businessUnitId(), n.slug());
        if (existing.isPresent()) {
            if (existing.get().createdByRequest() == null || existing.get().createdByRequest() != n.requestId()) {
                throw new SlugTaken("the application " + n.slug() + " was created meanwhile by another request; "
                        + "ask for a new application with another slug, or for a change to " + n.slug());
            }
            return existing.get();
        }
        Application.AwsNames names = ApplicationNames.of(n.unitSlug(), n.slug());
        long id = repository.insert(n.businessUnitId(), n.slug(), n.displayName(), n.owner(), n.ownerEmail(),
                n.purpose(), n.dataClassification(), n.access(), names, n.requestId(), clock.instant());
        audit.record("system", AUDIT_CREATED, "application:" + id, "unit " + n.unitSlug() + ", slug " + n.slug()
                + ", IAM user " + names.iamUser() + ", request " + n.requestId());
        return repository.find(id).orElseThrow();
    }

    /**
     * Records the access an approved request gave the application (its policy and budget now reflect it), and the
     * owner e-mail and classification its tags now carry. Recording the same again changes nothing.
     */
    @Transactional
    public void recordAccess(long applicationId, Application.Access access, String ownerEmail,
            String dataClassification, long requestId) {
        Application before = repository.find(applicationId).orElseThrow();
        repository.updateOwnerEmailAndClassification(applicationId, ownerEmail, dataClassification, clock.instant());
        if (before.access().equals(access)) {
            return;
        }
        repository.updateAccess(applicationId, access, clock.instant());
        audit.record("system", AUDIT_ACCESS_CHANGED, "application:" + applicationId, "request " + requestId);
    }

    /**
     * An application as it was before a change request touched AWS: its access, owner e-mail and classification, the
     * request its tags named ({@code tagRequestId}), the guardrail its policy required (null: none) and the policy the
     * portal had recorded last ({@code appliedPolicyId}, null: none), its budget's name (null: it had none);
     * {@code dealtWith} once put back or left.
     */
    public record Before(long requestId, long applicationId, Application.Access access, String ownerEmail,
            String dataClassification, Long tagRequestId, String guardrailArn, Long appliedPolicyId, String budgetName,
            boolean dealtWith) {
    }

    /**
     * Keeps the application as it is now, before change request {@code requestId} touches AWS, so that a failed change
     * can be put back ({@link #recordPutBack}); once per request, a replayed step keeps the first.
     */
    @Transactional
    public void rememberBefore(long applicationId, long requestId, Long tagRequestId, String guardrailArn,
            Long appliedPolicyId) {
        repository.rememberBefore(applicationId, requestId, tagRequestId, guardrailArn, appliedPolicyId,
                clock.instant());
    }

    /** What {@link #rememberBefore} kept for the change request. */
    @Transactional(readOnly = true)
    public Optional<Before> before(long requestId) {
        return repository.before(requestId);
    }

    /**
     * The application locked to the caller's transaction's end if a failed change may be put back on it: still ACTIVE,
     * and its access and owner e-mail still the change's or those before it (nothing else changed them since).
     * Empty otherwise.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public Optional<Application> lockForPutBack(Before before, Application.Access changedTo, String changedOwnerEmail) {
        return repository.lock(before.applicationId()).filter(a -> a.status() == Application.Status.ACTIVE
                && (a.access().equals(changedTo) || a.access().equals(before.access()))
                && (a.ownerEmail().equals(changedOwnerEmail) || a.ownerEmail().equals(before.ownerEmail())));
    }

    /**
     * Records the application as it was before a failed change, once what the change had applied in AWS was put back
     * ({@code access}: as before, or as the caller says where a part stays as the change left it); audited when that
     * changes the record. The caller holds {@link #lockForPutBack}.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public void recordPutBack(Before before, Application.Access access) {
        Application now = repository.find(before.applicationId()).orElseThrow();
        boolean changes = !now.access().equals(access) || !now.ownerEmail().equals(before.ownerEmail())
                || !now.dataClassification().equals(before.dataClassification());
        if (changes) {
            repository.updateOwnerEmailAndClassification(now.id(), before.ownerEmail(), before.dataClassification(),
                    clock.instant());
            if (!now.access().equals(access)) {
                repository.updateAccess(now.id(), access, clock.instant());
            }
            audit.record("system", AUDIT_ACCESS_PUT_BACK, "application:" + now.id(), "request " + before.requestId()
                    + " failed: its access, owner e-mail and classification put back as before it");
        }
        repository.markRestored(before.requestId(), clock.instant());
    }

    /** Marks what was kept for a failed change as dealt with although not (all) put back (the caller says why). */
    @Transactional
    public void leaveAsItIs(long requestId) {
        repository.markRestored(requestId, clock.instant());
    }

    /**
     * The application with a budget and secret name recorded: applications migrated from a unit's key may have none
     * (their unit never had a budget or secret); they get their own application's names — never the unit-wide
     * budget's — recorded once, before the step that creates them.
     */
    @Transactional
    public Application withNames(long applicationId, String unitSlug) {
        // Locked to the step's end: a decommission asked meanwhile waits, then finds what the step made in AWS, and
        // the next step finds the application no longer active.
        Application app = repository.lock(applicationId).orElseThrow();
        if (app.names().budgetName() != null && app.names().secretName() != null) {
            return app;
        }
        Application.AwsNames own = ApplicationNames.own(unitSlug, app.slug());
        repository.fillMissingNames(applicationId, own.budgetName(), own.secretName());
        return repository.find(applicationId).orElseThrow();
    }

    private Set<Long> unitIdsOf(String username) {
        return units.unitsOf(username).stream().map(BusinessUnit::id).collect(Collectors.toSet());
    }

    // --- 12-hour keys (issue 14)

    /**
     * Records that the application uses short-term keys only. Called by provisioning for the request that creates it
     * (which asked for it); setting it again changes nothing.
     */
    @Transactional
    public void markShortTermOnly(long applicationId, long requestId) {
        Application app = repository.find(applicationId).orElseThrow();
        if (!app.shortTermOnly()) {
            repository.markShortTermOnly(applicationId);
            audit.record("system", AUDIT_SHORT_TERM_ONLY, "application:" + applicationId, "request " + requestId
                    + ": 12-hour keys only, IAM role " + app.names().iamUser());
        }
    }

    // --- drift reconciliation

    /** The display names of the applications of {@code ids}, by id, in a statement per thousand (the caller checks). */
    @Transactional(readOnly = true)
    public java.util.Map<Long, String> displayNames(java.util.Collection<Long> ids) {
        return repository.displayNames(ids);
    }

    /** The active application whose IAM user (or role) is {@code iamUser}, if any (the caller checks the user). */
    @Transactional(readOnly = true)
    public Optional<Application> activeOfIamUser(String iamUser) {
        return repository.activeOfIamUser(iamUser);
    }

    /** How many active applications use 12-hour keys only ({@code true}) and how many long-term keys (the caller checks). */
    @Transactional(readOnly = true)
    public java.util.Map<Boolean, Integer> activeByShortTerm() {
        return repository.activeByShortTerm();
    }

    /** The active applications, long-term keys first, oldest first, at most {@code limit} (the caller checks). */
    @Transactional(readOnly = true)
    public List<Application> activeLongTermFirst(int limit) {
        return repository.activeLongTermFirst(Math.max(0, limit));
    }

    /**
     * The active applications whose id is above {@code afterId}, in id order, at most {@code limit}: a page of them
     * for the jobs that run without a user (drift, usage, posture) (the caller checks).
     */
    @Transactional(readOnly = true)
    public List<Application> activeAfter(long afterId, int limit) {
        return repository.activeAfter(afterId, Math.max(0, limit));
    }

    /** The most applications {@link #activeMatching} returns at once, and the longest filter it uses. */
    public static final int MAX_PAGE = 200;
    public static final int MAX_FILTER = 128;

    /**
     * A page of the active applications whose slug or IAM user contains {@code filter} (ignoring case; blank: all),
     * oldest first: what a picker asks for as the user types and scrolls. At most {@value #MAX_PAGE}; a longer filter
     * is cut; {@code % _} are taken literally (the caller checks).
     */
    @Transactional(readOnly = true)
    public List<Application> activeMatching(String filter, int offset, int limit) {
        return repository.activeMatching(SqlConditions.containing(filter == null ? "" : filter, MAX_FILTER),
                Math.max(0, offset), Math.max(0, Math.min(limit, MAX_PAGE)));
    }

    /** How many applications are active (the caller checks). */
    @Transactional(readOnly = true)
    public int countActive() {
        return repository.countActive();
    }

    /**
     * The budgets the active applications record: the first distinct names (oldest application first) and how many
     * there are, and how many of the names {@code among} (the units' budgets) are among them; the first slugs of the
     * applications that record none, and how many.
     */
    public record ActiveBudgets(List<String> names, int nameCount, int amongCount, List<String> without,
            int withoutCount) {
    }

    /** {@link ActiveBudgets}, at most {@code names} names and {@code without} slugs (posture; the caller checks). */
    @Transactional(readOnly = true)
    public ActiveBudgets activeBudgets(int names, int without, java.util.Collection<String> among) {
        int maxNames = Math.max(0, names);
        int maxWithout = Math.max(0, without);
        List<String> first = repository.activeBudgetNames(maxNames);
        List<String> unbudgeted = repository.activeWithoutBudget(maxWithout);
        return new ActiveBudgets(first, Totals.of(first, maxNames, repository::countActiveBudgetNames),
                repository.countActiveBudgetNamesAmong(among), unbudgeted,
                Totals.of(unbudgeted, maxWithout, repository::countActiveWithoutBudget));
    }

    /** Of these IAM user (or role) names, those an application records, whatever its state (the caller checks). */
    @Transactional(readOnly = true)
    public java.util.Set<String> recordingIamUsers(java.util.Collection<String> names) {
        return repository.recordingIamUsers(names);
    }

    // --- Decommissioning

    /**
     * The units' applications created before {@code before}, whatever their state, by unit and slug: the first
     * {@code limit}, with how many there are (evidence packs; the caller checks who may see the units).
     */
    @Transactional(readOnly = true)
    public Page ofUnitsCreatedBefore(Collection<Long> unitIds, Instant before, int limit) {
        List<Application> first = repository.ofUnitsCreatedBefore(unitIds, before, limit);
        return new Page(first, Totals.of(first, limit, () -> repository.countOfUnitsCreatedBefore(unitIds, before)));
    }

    /** The first applications of a list, and how many the list has. */
    public record Page(List<Application> first, int total) {
    }

    /** Every application of a unit, whatever its state (archiving and deleting the unit; no user check here). */
    @Transactional(readOnly = true)
    public List<Application> allOfUnit(long unitId) {
        return repository.ofUnits(List.of(unitId));
    }
}
