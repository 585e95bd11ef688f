package com.bedrockportal.request;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.provisioning.PolicySize;
import com.bedrockportal.provisioning.Provisioner;
import com.bedrockportal.provisioning.ResourceTags;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Access requests as users see them: submit, withdraw, list one's own, open one (if allowed), preview the policy.
 * The approval workflow moves requests on through {@link RequestLifecycle}.
 */
@Service
public class RequestService {

    /** Claims a submission holds while it checks and stores ({@link #submittedBefore}, V52). */
    private static final String SUBMISSION_CLAIM = "submission-key:";
    private static final String APPLICATION_CLAIM = "application:";
    private static final String IAM_USER_CLAIM = "iam-user:";

    private final RequestRepository repository;
    private final BusinessUnitService units;
    private final ModelCatalog catalog;
    private final RequestProperties properties;
    private final Provisioner provisioner;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final FormValidation rules;
    private final ApplicationService applications;
    private final Clock clock;
    private final Standings standings;
    private final RiskProperties risk;
    private final RequestRisks risks;

    RequestService(RequestRepository repository, BusinessUnitService units, ModelCatalog catalog,
            RequestProperties properties, Provisioner provisioner, CurrentUser currentUser, AuditLog audit,
            ApplicationEventPublisher events, FormValidation rules, ApplicationService applications, Clock clock,
            Standings standings, RiskProperties risk, RequestRisks risks) {
        this.standings = standings;
        this.risk = risk;
        this.risks = risks;
        this.applications = applications;
        this.repository = repository;
        this.units = units;
        this.catalog = catalog;
        this.properties = properties;
        this.provisioner = provisioner;
        this.currentUser = currentUser;
        this.audit = audit;
        this.events = events;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * Validates and submits a request; the approval workflow starts in the same transaction. Submitting the same
     * draft again (same submission key) returns the request it already created. Refused with {@link FieldErrors}
     * (every field's problems at once) before anything is stored — also when its policy, measured with the account
     * id provisioning puts in its ARNs, would not fit AWS's limit.
     */
    @RolesAllowed(PortalRole.REQUESTER_ROLE)
    @Transactional
    public AccessRequest submit(RequestDraft draft) {
        String user = me().username();
        Optional<AccessRequest> earlier = submittedBefore(user, draft.getSubmissionKey(), claimOf(draft));
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (draft.isShortTermOnly() && !draft.isChange() && draft.isStoreSecret()) {
            // A 12-hour key is made on demand and never stored, so there is nothing to copy to Secrets Manager.
            throw FieldErrors.of("form", rules.text("shortkeys.form.noSecret"));
        }
        if (draft.isChange() && draft.getGuardrailArn() == null && draft.getApplicationId() != null) {
            // Not named (an API call that leaves the field out): the change keeps the guardrail the policy has now.
            draft.setGuardrailArn(risks.ofApplication(draft.getApplicationId()).guardrailArn());
        }
        return store(user, draft, RequestRules.validate(draft, memberUnits(user), catalog.byId(), effective(), rules,
                namesInUse(), changeTargets(), provisioner.accountId(), false));
    }

    /**
     * The request this submission key made already, if any; refused when the key is malformed or another user's.
     * First holds, until this transaction ends, the claims on this key and on {@code claim} (what the checks that
     * follow look for: the IAM user name a new application would take, whose unit and slug follow from it, or the
     * application a change names; {@link #claimOf}), so those checks see every submission of the same claim before
     * this one committed: two submitted at the same moment, on one node or two, run one after the other, and the second
     * is refused as if it came later. Submissions that claim nothing in common do not wait for each other.
     */
    private Optional<AccessRequest> submittedBefore(String user, String key, String claim) {
        if (key == null || key.isBlank() || key.length() > RequestDraft.SUBMISSION_KEY_MAX) {
            throw FieldErrors.of("form", rules.text("request.form.invalid"));
        }
        repository.holdClaims(java.util.Arrays.asList(submissionClaim(key), claim));
        Optional<AccessRequest> earlier = repository.findBySubmissionKey(key);
        if (earlier.isPresent() && !earlier.get().requester().equals(user)) {
            throw FieldErrors.of("form", rules.text("request.form.used"));
        }
        return earlier;
    }

    /**
     * What a draft's checks must see alone: the application a change names, or the IAM user name a new application
     * would take (the same for the same unit and slug, and for two units whose slugs join to one name); null when the
     * draft names neither (its checks refuse it).
     */
    private String claimOf(RequestDraft d) {
        if (d.isChange()) {
            return d.getApplicationId() == null ? null : applicationClaim(d.getApplicationId());
        }
        if (d.getBusinessUnitId() == null || d.getApplicationSlug() == null) {
            return null;
        }
        return units.find(d.getBusinessUnitId()).map(u -> newApplicationClaim(u.slug(), d.getApplicationSlug()))
                .orElse(null);
    }

    static String applicationClaim(long applicationId) {
        return APPLICATION_CLAIM + applicationId;
    }

    static String submissionClaim(String submissionKey) {
        return SUBMISSION_CLAIM + submissionKey;
    }

    static String newApplicationClaim(String unitSlug, String applicationSlug) {
        return IAM_USER_CLAIM + ApplicationNames.iamUser(unitSlug, applicationSlug.strip()); // stripped as the checks do
    }

    /** Stores a validated request and starts its approval (the workflow listens in the same transaction). */
    private AccessRequest store(String user, RequestDraft draft, RequestRules.Valid valid) {
        boolean securityReview = valid.securityReview() || valid.kind() == AccessRequest.Kind.CHANGE
                && new GuardrailChange(guardrailNow(valid.applicationId()), draft.getGuardrailArn()).lifted();
        long id = repository.insert(valid, securityReview, user, draft.getSubmissionKey(), clock.instant());
        // 12-hour keys: a new application as asked; a change as its application is (it cannot switch kinds).
        boolean shortTerm = valid.kind() == AccessRequest.Kind.NEW ? draft.isShortTermOnly()
                : valid.applicationId() != null && applications.load(valid.applicationId()).shortTermOnly();
        if (shortTerm) {
            repository.markShortTermOnly(id);
        }
        risks.insert(id, RequestRisks.Risk.of(draft), valid.kind() == AccessRequest.Kind.CHANGE
                ? guardrailNow(valid.applicationId()) : null);
        repository.addEvent(id, clock.instant(), user, "SUBMITTED", null);
        AccessRequest request = repository.find(id).orElseThrow();
        audit.record(user, "REQUEST_SUBMITTED", target(request), "business-unit=" + valid.unit().slug()
                + "; application=" + valid.applicationSlug() + "; kind=" + valid.kind() + (valid.kind()
                        == AccessRequest.Kind.CHANGE ? "; security-review=" + securityReview + "; new-key="
                        + valid.newKey() + (valid.renewal() ? "; renewal=true" : "") : "") + "; models="
                + request.models() + "; regions=" + request.regions() + "; lifetime=" + request.lifetimeDays()
                + "d; budget=" + request.monthlyBudget().toPlainString()
                + (shortTerm ? "; short-term-keys-only=true" : ""));
        events.publishEvent(new RequestEvents.Submitted(id, user, valid.unit().id()));
        return request;
    }

    /** The requester withdraws a request that is still waiting for a decision. */
    @RolesAllowed(PortalRole.REQUESTER_ROLE)
    @Transactional
    public AccessRequest withdraw(long requestId) {
        String user = me().username();
        AccessRequest request = repository.find(requestId).filter(r -> r.requester().equals(user))
                .orElseThrow(() -> FieldErrors.of("form", rules.text("request.withdraw.notRequester")));
        if (!repository.transition(requestId, List.of(RequestStatus.PENDING_MANAGER, RequestStatus.PENDING_SECURITY),
                RequestStatus.WITHDRAWN, clock.instant())) {
            throw FieldErrors.of("form", rules.text("request.withdraw.notPending",
                    rules.text("status." + request.status().name())));
        }
        repository.addEvent(requestId, clock.instant(), user, "WITHDRAWN", null);
        audit.record(user, "REQUEST_WITHDRAWN", target(request), null);
        events.publishEvent(new RequestEvents.Withdrawn(requestId, user));
        return repository.find(requestId).orElseThrow();
    }

    /** The most of one's own requests one call returns (the page and the API list at most so many). */
    public static final int MAX_MINE = 200;

    /**
     * One's own requests, newest first: {@code limit} (at most {@link #MAX_MINE}) from {@code offset}; {@code status}
     * null for any.
     */
    @RolesAllowed(PortalRole.REQUESTER_ROLE)
    @Transactional(readOnly = true)
    public List<AccessRequest> mine(RequestStatus status, int offset, int limit) {
        return repository.byRequester(me().username(), status, Math.max(0, offset),
                Math.max(1, Math.min(limit, MAX_MINE)));
    }

    /** How many requests one has made. */
    @RolesAllowed(PortalRole.REQUESTER_ROLE)
    @Transactional(readOnly = true)
    public int countMine() {
        return repository.countByRequester(me().username());
    }

    /**
     * The request, if the current user may see it: its requester, a manager of its business unit, security, admins.
     * Anyone else gets the same empty answer as for an id that does not exist, and the attempt is recorded.
     */
    @PermitAll
    @Transactional
    public Optional<AccessRequest> find(long requestId) {
        CurrentUser.Principal user = me();
        Optional<AccessRequest> request = repository.find(requestId);
        if (request.isPresent() && canView(user, request.get())) {
            return request;
        }
        events.publishEvent(new SecurityEvents.AccessDenied(user.username(), "request:" + requestId));
        return Optional.empty();
    }

    /**
     * The requests that created or changed an application, oldest first, at most {@code limit} (500 at most), as far
     * as the current user may see them (the evidence pack reads them).
     */
    @PermitAll
    @Transactional(readOnly = true)
    public List<AccessRequest> ofApplication(long applicationId, int limit) {
        CurrentUser.Principal user = me();
        return repository.ofApplication(applicationId, Math.min(limit, 500)).stream()
                .filter(r -> canView(user, r)).toList();
    }

    @PermitAll
    @Transactional
    public List<TimelineEntry> timeline(long requestId) {
        return find(requestId).map(r -> standings.timeline(r, repository.timeline(r.id()))).orElse(List.of());
    }

    /** The most applications of a unit the request form offers to change (by slug). */
    public static final int MAX_CHANGEABLE = 1_000;

    /**
     * The live applications of one of the user's units, which a change may name (none for another unit), by slug, at
     * most {@value #MAX_CHANGEABLE}.
     */
    @PermitAll
    @Transactional(readOnly = true)
    public List<Application> changeableApplications(long unitId) {
        if (memberUnits(me().username()).stream().noneMatch(u -> u.id() == unitId)) {
            return List.of();
        }
        return applications.ofUnit(unitId, MAX_CHANGEABLE);
    }

    /** The units the current user may request for. */
    @PermitAll
    @Transactional(readOnly = true)
    public List<BusinessUnit> requestableUnits() {
        return memberUnits(me().username());
    }

    /**
     * The policy and tags a draft would produce, built by the same builder provisioning uses. Lists over their caps
     * are left out (the submit refuses them), so a preview never looks up or parses more than a request may hold.
     */
    @PermitAll
    @Transactional(readOnly = true)
    public PolicyPreview preview(RequestDraft draft) {
        List<String> notes = new ArrayList<>();
        BusinessUnit unit = draft.getBusinessUnitId() == null ? null
                : units.find(draft.getBusinessUnitId()).orElse(null);
        List<CatalogModel> models = draft.getModels().size() > RequestDraft.MAX_MODELS ? List.of()
                : catalog.find(draft.getModels()).stream().filter(CatalogModel::enabled).toList();
        List<String> regions = draft.getRegions().size() > properties.regions().size() ? List.of()
                : draft.getRegions().stream().filter(properties.regions()::contains).toList();
        List<String> cidrs = new ArrayList<>();
        String cidrText = draft.getSourceCidrs() == null ? "" : draft.getSourceCidrs();
        List<String> tokens = cidrText.length() > properties.maxSourceCidrs() * (RequestDraft.CIDR_TEXT_MAX + 2)
                ? List.of() : RequestRules.tokens(cidrText);
        for (String token : tokens.size() > properties.maxSourceCidrs() ? List.<String>of() : tokens) {
            try {
                cidrs.add(Cidr.parse(token).notation());
            } catch (Cidr.Invalid e) {
                notes.add(rules.text(e.key(), e.args()));
            }
        }
        if (models.isEmpty()) {
            notes.add(rules.text("request.models.required"));
        }
        if (regions.isEmpty()) {
            notes.add(rules.text("request.regions.required"));
        }
        DataClassification classification = draft.getDataClassification() == null ? DataClassification.INTERNAL
                : draft.getDataClassification();
        Application changed = draft.isChange() && draft.getApplicationId() != null && unit != null
                ? applications.find(draft.getApplicationId()).filter(a -> a.businessUnitId() == unit.id())
                        .orElse(null)
                : null;
        AccessChange change = AccessChange.NONE;
        String guardrailNow = changed == null ? null : guardrailNow(changed.id());
        boolean guardrailChanged = new GuardrailChange(guardrailNow, draft.getGuardrailArn()).lifted();
        if (guardrailChanged) {
            notes.add(rules.text("request.change.guardrail", describe(guardrailNow), describe(draft.getGuardrailArn())));
        }
        if (changed != null) {
            change = AccessChange.between(baseline(changed), models.stream().map(CatalogModel::modelId).toList(),
                    regions, cidrs, draft.getLifetimeDays() == null ? 0 : draft.getLifetimeDays(),
                    draft.getMonthlyBudget() == null ? BigDecimal.ZERO : draft.getMonthlyBudget(),
                    draft.isStoreSecret(), classification, draft.isNewKey());
        }
        return policyFor(unit, changed == null ? draft.getApplicationSlug() : changed.slug(),
                changed == null ? null : changed.names().iamUser(), models, regions, cidrs, draft.getOwnerEmail(), 0,
                classification, notes, draft.isChange() ? AccessRequest.Kind.CHANGE : AccessRequest.Kind.NEW, change,
                guardrailOf(draft), guardrailChanged, changed == null ? GuardrailChange.NONE
                        : new GuardrailChange(guardrailNow, guardrailWellFormedOrAsTyped(draft)));
    }

    /** What the "What changes" list shows as a draft's guardrail: as typed, within its length cap. */
    private static String guardrailWellFormedOrAsTyped(RequestDraft draft) {
        String g = blankToNull(draft.getGuardrailArn());
        return g == null || g.length() <= RequestDraft.GUARDRAIL_MAX ? g : g.substring(0, RequestDraft.GUARDRAIL_MAX)
                + "…";
    }

    /** The guardrail the application's policy requires now, or null. */
    private String guardrailNow(long applicationId) {
        return blankToNull(risks.ofApplication(applicationId).guardrailArn());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private String describe(String guardrail) {
        String g = blankToNull(guardrail);
        return g == null ? rules.text("request.change.guardrail.none") : g;
    }

    /** The guardrail a change of the application starts from: the one its policy requires now (blank: none). */
    @PermitAll
    @Transactional(readOnly = true)
    public String currentGuardrail(Application app) {
        String g = guardrailNow(app.id());
        return g == null ? "" : g;
    }

    /** The draft's guardrail when it is well-formed (the submit refuses any other; the preview leaves it out). */
    static String guardrailOf(RequestDraft draft) {
        String g = draft.getGuardrailArn();
        return g == null || g.isBlank() || g.length() > RequestDraft.GUARDRAIL_MAX
                || !g.strip().matches(RequestDraft.GUARDRAIL_ARN) ? null : g.strip();
    }

    /** The request settings with the organisation's key-age cap applied: a longer lifetime is refused. */
    private RequestProperties effective() {
        return properties.maxLifetimeDays() <= risk.orgMaxKeyLifetimeDays() ? properties
                : new RequestProperties(properties.regions(), properties.defaultLifetimeDays(),
                        risk.orgMaxKeyLifetimeDays(), properties.maxMonthlyBudget(), properties.maxSourceCidrs(),
                        properties.defaultRegion());
    }

    /** The policy and tags of a submitted request (what security approves). */
    @PermitAll
    @Transactional
    public Optional<PolicyPreview> policyOf(long requestId) {
        return find(requestId).map(r -> policyFor(units.find(r.businessUnitId()).orElse(null), r.applicationSlug(),
                r.applicationId() == null ? null : applications.load(r.applicationId()).names().iamUser(),
                catalog.find(r.models()), r.regions(), r.sourceCidrs(), r.ownerEmail(), r.id(),
                r.dataClassification(), List.of(), r.kind(), r.change(), risks.ofRequest(r.id()).guardrailArn(),
                r.securityReview(), r.isChange() ? risks.changeOf(r.id()) : GuardrailChange.NONE));
    }

    /** An application's access as a change starts from it. */
    static AccessRequest.Baseline baseline(Application app) {
        Application.Access a = app.access();
        return new AccessRequest.Baseline(a.models(), a.regions(), a.sourceCidrs(), a.lifetimeDays(),
                a.monthlyBudget(), a.storeSecret(), DataClassification.valueOf(app.dataClassification()));
    }

    /** The applications a change may name: those the user may see, with whether a request for them is open. */
    private RequestRules.ChangeTargets changeTargets() {
        return id -> applications.find(id).map(a -> new RequestRules.ChangeTarget(a.id(), a.businessUnitId(),
                a.slug(), a.displayName(), a.status() == Application.Status.ACTIVE, repository.openRequestFor(a.id()),
                baseline(a)));
    }

    /**
     * The policy and tags; {@code iamUser} is the application's recorded name (null for a new application: then
     * derived from the slugs as provisioning will).
     */
    private PolicyPreview policyFor(BusinessUnit unit, String applicationSlug, String iamUser,
            List<CatalogModel> models, List<String> regions, List<String> cidrs, String owner, long requestId,
            DataClassification classification, List<String> notes, AccessRequest.Kind kind, AccessChange change,
            String guardrailArn, boolean guardrailChanged, GuardrailChange guardrail) {
        String json = PolicyBuilder.build(new PolicyBuilder.PolicyInput(models, regions, cidrs, provisioner.accountId(),
                guardrailArn));
        String slug = unit == null ? "{business-unit}" : unit.slug();
        String app = applicationSlug == null || applicationSlug.isBlank() ? "{application}" : applicationSlug.strip();
        Map<String, String> tags = new LinkedHashMap<>(ResourceTags.forRequest(slug, app,
                unit == null ? "" : unit.costCenter(), owner == null ? "" : owner.strip(), requestId,
                classification.tagValue()));
        return new PolicyPreview(json, tags, iamUser != null ? iamUser : ApplicationNames.of(slug, app).iamUser(),
                List.copyOf(notes), PolicySize.count(json), PolicySize.INLINE_USER_POLICY_LIMIT, kind, change,
                guardrailChanged, guardrail);
    }

    /** Who may see a request: its requester, a manager of its unit, security and admins. */
    public static boolean canView(CurrentUser.Principal user, AccessRequest request, BusinessUnit unit) {
        return request.requester().equals(user.username()) || user.has(PortalRole.SECURITY)
                || user.has(PortalRole.ADMIN)
                || (user.has(PortalRole.MANAGER) && unit != null && unit.managers().contains(user.username()));
    }

    private boolean canView(CurrentUser.Principal user, AccessRequest request) {
        return canView(user, request, units.find(request.businessUnitId()).orElse(null));
    }

    /**
     * Names in use: by the new applications of requests still open, and by applications. The requests are read first:
     * provisioning makes the application and closes its request in one commit, which a submission's claims do not
     * hold back, so read the other way round a commit between the two reads passed both.
     */
    private RequestRules.NamesInUse namesInUse() {
        return new RequestRules.NamesInUse() {
            @Override
            public boolean slugTaken(long unitId, String slug) {
                return repository.slugRequested(unitId, slug) || applications.slugTaken(unitId, slug);
            }

            @Override
            public boolean iamUserTaken(String iamUser) {
                return repository.iamUserRequested(iamUser) || applications.iamUserTaken(iamUser);
            }

            @Override
            public boolean unitSlugTaken(String slug) {
                return units.slugTaken(slug);
            }
        };
    }

    private List<BusinessUnit> memberUnits(String username) {
        return units.unitsOf(username).stream().filter(u -> u.members().contains(username)).toList();
    }

    private CurrentUser.Principal me() {
        return currentUser.get().orElseThrow(() -> new IllegalStateException("no logged-in user"));
    }

    static String target(AccessRequest request) {
        return "request:" + request.id();
    }

    // --- renewal (issue 11, expiry watch)

    /**
     * Asks for a renewal of an application's key: a change request with exactly the application's current access —
     * models, regions, ranges, lifetime, budget and alerts, owner address, classification, Secrets Manager copy — and a
     * new key, which needs the unit's manager only ({@link AccessChange}: a renewal's new key widens nothing). The
     * caller (the expiry watch's Renew) has checked that a key of the application runs out by itself; this checks the
     * rest as for any request: the requester is a member of the unit and owns the application, the application is
     * active with no request open, its models are still offered, its policy fits. Refused with {@link FieldErrors}
     * before anything is stored; submitting the same {@code submissionKey} again returns the request it created.
     */
    @RolesAllowed(PortalRole.REQUESTER_ROLE)
    @Transactional
    public AccessRequest renew(long applicationId, String submissionKey, String purpose) {
        String user = me().username();
        Optional<AccessRequest> earlier = submittedBefore(user, submissionKey, applicationClaim(applicationId));
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Application app = applications.find(applicationId)
                .orElseThrow(() -> FieldErrors.of("form", rules.text("request.change.application.notInUnit")));
        if (!user.equals(app.owner())) {
            throw FieldErrors.of("form", rules.text("request.renewal.ownerOnly", app.displayName(), app.owner()));
        }
        Application.Access a = app.access();
        RequestDraft d = new RequestDraft();
        d.setSubmissionKey(submissionKey);
        d.setBusinessUnitId(app.businessUnitId());
        d.setKind(AccessRequest.Kind.CHANGE);
        d.setApplicationId(app.id());
        d.setApplicationName(app.displayName());
        d.setApplicationSlug(app.slug());
        d.setPurpose(purpose);
        d.setModels(a.models());
        d.setRegions(a.regions());
        d.setSourceCidrs(String.join("\n", a.sourceCidrs()));
        d.setLifetimeDays(a.lifetimeDays());
        d.setMonthlyBudget(a.monthlyBudget());
        d.setAlertThreshold(a.alertThreshold());
        d.setAlertEmails(String.join(", ", a.alertEmails()));
        d.setStoreSecret(a.storeSecret());
        d.setOwnerEmail(app.ownerEmail());
        d.setDataClassification(DataClassification.valueOf(app.dataClassification()));
        d.setNewKey(true);
        d.setGuardrailArn(risks.ofApplication(app.id()).guardrailArn());
        return store(user, d, RequestRules.validate(d, memberUnits(user), catalog.byId(), effective(), rules,
                namesInUse(), changeTargets(), provisioner.accountId(), true));
    }

    /**
     * The application's open request (waiting for a decision or being provisioned), if any — for the application
     * page's renewal offer, which names it. Only its id and kind are shown; its page checks who may open it.
     */
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<AccessRequest> openRequestOf(long applicationId) {
        return repository.openRequestOf(applicationId);
    }
}
