package com.bedrockportal.evidence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;

import com.bedrockportal.alerts.Alert;
import com.bedrockportal.alerts.Alerts;
import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.audit.AuditEntry;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.audit.ChainVerification;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.evidence.EvidencePack.AuditItem;
import com.bedrockportal.evidence.EvidencePack.ChainProof;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.key.KeyInventory;
import com.bedrockportal.lifecycle.CompromiseCase;
import com.bedrockportal.lifecycle.Compromises;
import com.bedrockportal.provisioning.AppliedPolicies;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.provisioning.Provisioner;
import com.bedrockportal.provisioning.ResourceTags;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.DataClassification;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;
import com.bedrockportal.shared.logging.SecretMasking;
import com.bedrockportal.workflow.ApprovalService;
import com.bedrockportal.workflow.Decision;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;

/**
 * Assembles evidence packs from the other modules' services, as the current user: security and admins for every
 * application and unit, managers for the units they manage (checked here, not only by hiding buttons); anyone else
 * is refused and the attempt audited. Reads run without a transaction of their own (each service has its own), so
 * no lock is held while a pack is rendered; each download is audited ({@link #AUDIT_DOWNLOADED}).
 */
@Service
public class EvidencePacks {

    public static final String AUDIT_DOWNLOADED = "EVIDENCE_PACK_DOWNLOADED";
    /** Access-review attestations, written by the review module with target {@code application:<id>}. */
    public static final String REVIEW_KEPT = "ACCESS_REVIEW_KEPT";
    public static final String REVIEW_REDUCED = "ACCESS_REVIEW_REDUCED";
    public static final String REVIEW_REVOKED = "ACCESS_REVIEW_REVOKED";
    public static final String REVIEW_MISSED = "ACCESS_REVIEW_MISSED";
    static final String REVIEW_PREFIX = "ACCESS_REVIEW_";

    /** How a pack is written. */
    public enum Format {
        PDF("application/pdf", "pdf"), JSON("application/json", "json");

        private final String contentType;
        private final String extension;

        Format(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }

        public String contentType() {
            return contentType;
        }

        public String extension() {
            return extension;
        }
    }

    private final ApplicationService applications;
    private final BusinessUnitService units;
    private final RequestService requests;
    private final ApprovalService approvals;
    private final KeyInventory keys;
    private final Alerts alerts;
    private final Compromises compromises;
    private final ModelCatalog catalog;
    private final Provisioner provisioner;
    private final AppliedPolicies appliedPolicies;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final ApplicationEventPublisher events;
    private final FormValidation texts;
    private final EvidencePackProperties properties;
    private final Clock clock;

    EvidencePacks(ApplicationService applications, BusinessUnitService units, RequestService requests,
            ApprovalService approvals, KeyInventory keys, Alerts alerts, Compromises compromises,
            ModelCatalog catalog, Provisioner provisioner, AppliedPolicies appliedPolicies, AuditLog audit,
            CurrentUser currentUser,
            ApplicationEventPublisher events, FormValidation texts, EvidencePackProperties properties, Clock clock) {
        this.applications = applications;
        this.units = units;
        this.requests = requests;
        this.approvals = approvals;
        this.keys = keys;
        this.alerts = alerts;
        this.compromises = compromises;
        this.catalog = catalog;
        this.provisioner = provisioner;
        this.appliedPolicies = appliedPolicies;
        this.audit = audit;
        this.currentUser = currentUser;
        this.events = events;
        this.texts = texts;
        this.properties = properties;
        this.clock = clock;
    }

    // --- who may

    /** Whether the current user may have this application's pack (the page shows the buttons only then). */
    public boolean mayDownload(Application app) {
        return currentUser.get().map(me -> may(me, app.businessUnitId())).orElse(false);
    }

    private boolean may(CurrentUser.Principal me, long unitId) {
        return me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN) || me.has(PortalRole.MANAGER)
                && units.find(unitId).map(u -> u.managers().contains(me.username())).orElse(false);
    }

    private CurrentUser.Principal me() {
        return currentUser.get().orElseThrow(() -> new AccessDeniedException("not logged in"));
    }

    /** The application if the user may have its pack; else refused (audited), the same for one that does not exist. */
    private Application permitted(CurrentUser.Principal me, long applicationId) {
        Optional<Application> app;
        try {
            app = Optional.of(applications.load(applicationId));
        } catch (NoSuchElementException e) {
            app = Optional.empty();
        }
        if (app.isEmpty() || !may(me, app.get().businessUnitId())) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), "application:" + applicationId));
            throw new AccessDeniedException("no evidence pack of application " + applicationId + " for "
                    + me.username());
        }
        return app.get();
    }

    // --- one application

    /** One application's pack. */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    public EvidencePack forApplication(long applicationId) {
        CurrentUser.Principal me = me();
        Application app = permitted(me, applicationId);
        return assemble(app, me, verification());
    }

    /** Writes one application's pack and audits the download. */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    public void downloadApplication(long applicationId, Format format, OutputStream out) throws IOException {
        CurrentUser.Principal me = me();
        Application app = permitted(me, applicationId);
        EvidencePack pack = assemble(app, me, verification());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        if (format == Format.PDF) {
            EvidencePdf.application(pack, buffer);
        } else {
            EvidenceJson.write(pack, buffer);
        }
        audit.record(me.username(), AUDIT_DOWNLOADED, "application:" + applicationId, format.name() + ", "
                + pack.chain().rowsCited() + " audit rows cited, chain " + com.bedrockportal.audit.ChainVerification
                        .verdict(pack.chain().intact(), pack.chain().firstBrokenSeq()));
        buffer.writeTo(out);
    }

    /** The file name of an application's pack. */
    public static String fileName(long applicationId, Format format) {
        return "evidence-application-" + applicationId + "." + format.extension();
    }

    /** The chain's verification, shared by the packs of the same minute (AuditLog.verifiedWithin). */
    private ChainProof verification() {
        AuditLog.Verified verified = audit.verifiedWithin(Duration.ofMinutes(1));
        ChainVerification v = verified.result();
        return new ChainProof(0, -1, null, -1, null, v.intact(), v.rowsChecked(), v.firstBrokenSeq(), v.problem(),
                verified.at());
    }

    EvidencePack assemble(Application app, CurrentUser.Principal me, ChainProof verified) {
        int max = properties.maxRows();
        List<String> truncated = new ArrayList<>();
        BusinessUnit unit = units.find(app.businessUnitId()).orElse(null);
        Map<Long, AuditEntry> cited = new TreeMap<>();
        List<AuditEntry> appRows = rows("application:" + app.id(), max, truncated, "audit rows of the application");
        appRows.forEach(e -> cited.put(e.seq(), e));

        List<AccessRequest> reqs = requests.ofApplication(app.id(), max + 1);
        if (reqs.size() > max) {
            truncated.add(texts.text("evidence.truncated", "requests", max));
            reqs = reqs.subList(0, max);
        }
        List<EvidencePack.RequestItem> requestItems = new ArrayList<>();
        for (AccessRequest r : reqs) {
            List<EvidencePack.Approval> decided = approvals.decisions(r.id()).stream().limit(max)
                    .map(EvidencePacks::approval).toList();
            EvidencePack.PolicyItem policy = requests.policyOf(r.id())
                    .map(p -> EvidencePack.PolicyItem.asked(p.iamUserName(), p.policyJson(), p.tags(), r.id()))
                    .orElse(null);
            requestItems.add(new EvidencePack.RequestItem(r.id(), r.kind().name(), r.requester(), r.createdAt(),
                    r.status().name(), mask(r.purpose()), decided, policy));
            rows("request:" + r.id(), max, truncated, "audit rows of request #" + r.id())
                    .forEach(e -> cited.put(e.seq(), e));
        }

        List<KeyInventory.Row> keyRows = keys.list(KeyInventory.Filter.ofApplication(app.id()),
                KeyInventory.Sort.CREATED_DESC, 0, max + 1);
        if (keyRows.size() > max) {
            truncated.add(texts.text("evidence.truncated", "keys", max));
            keyRows = keyRows.subList(0, max);
        }
        List<EvidencePack.KeyItem> keyItems = new ArrayList<>();
        for (KeyInventory.Row k : keyRows) {
            List<AuditEntry> keyAudit = rows("key:" + k.keyId(), max, truncated, "audit rows of key " + k.prefix());
            keyAudit.forEach(e -> cited.put(e.seq(), e));
            keyItems.add(new EvidencePack.KeyItem(k.keyId(), k.prefix(), k.createdAt(), k.expiresAt(), k.status(),
                    k.revealedAt(), k.revealedBy(), keyAudit.stream().map(EvidencePacks::item).toList()));
        }

        List<Alert> alertRows = alerts.ofApplication(app.id(), max + 1);
        if (alertRows.size() > max) {
            truncated.add(texts.text("evidence.truncated", "alerts", max));
            alertRows = alertRows.subList(0, max);
        }
        List<EvidencePack.AlertItem> alertItems = alertRows.stream().map(a -> new EvidencePack.AlertItem(a.id(),
                a.rule().name(), a.severity().name(), a.status().name(), mask(a.title()), a.firstSeenAt(),
                a.lastSeenAt(), a.action() == null ? null : a.action().name(), a.actedBy(), a.actedAt())).toList();
        for (Alert a : alertRows) {
            rows("alert:" + a.id(), max, truncated, "audit rows of alert #" + a.id())
                    .forEach(e -> cited.put(e.seq(), e));
        }

        List<CompromiseCase> caseRows = compromises.ofApplication(app.id(), max + 1);
        if (caseRows.size() > max) {
            truncated.add(texts.text("evidence.truncated", "compromise cases", max));
            caseRows = caseRows.subList(0, max);
        }
        List<EvidencePack.CaseItem> caseItems = caseRows.stream().map(c -> new EvidencePack.CaseItem(c.id(),
                c.keyPrefix(), c.source().name(), c.status().name(), c.reportedBy(), c.reportedAt(), c.disabledAt(),
                c.triageDecision() == null ? null : c.triageDecision().name(), c.triageBy(), c.triageAt(),
                c.reportAt() != null, c.closedAt())).toList();
        for (CompromiseCase c : caseRows) {
            rows("compromise:" + c.id(), max, truncated, "audit rows of compromise case #" + c.id())
                    .forEach(e -> cited.put(e.seq(), e));
        }

        // Read on their own: an application with many other rows (12-hour keys, rotations) keeps its reviews in view.
        List<AuditEntry> reviewRows = audit.timeline("application:" + app.id(), REVIEW_PREFIX, max);
        reviewRows.forEach(e -> cited.put(e.seq(), e));

        List<AuditEntry> all = new ArrayList<>(cited.values());
        if (all.size() > max) {
            truncated.add(texts.text("evidence.truncatedAudit", all.size(), max));
            all = all.subList(all.size() - max, all.size());
        }
        List<AuditItem> reviews = reviewRows.stream().map(EvidencePacks::item).toList();
        ChainProof chain = proof(all, verified);
        EvidencePack.Header header = header(app, unit, me);
        List<AppliedPolicies.Applied> applied = appliedPolicies.ofApplication(app.id(), max + 1);
        if (applied.size() > max) {
            truncated.add(texts.text("evidence.truncated", "policy changes", max));
            applied = applied.subList(applied.size() - max, applied.size());
        }
        List<EvidencePack.PolicyItem> changes = applied.stream().map(EvidencePacks::policy).toList();
        EvidencePack.PolicyItem now = changes.isEmpty() ? rebuiltPolicy(app, unit, reqs)
                : changes.get(changes.size() - 1);
        return new EvidencePack(header, List.copyOf(requestItems), now, changes, List.copyOf(keyItems),
                reviews, alertItems, caseItems, all.stream().map(EvidencePacks::item).toList(), chain,
                Controls.judge(header, keyItems, reviews, caseItems, chain, header.generatedAt(),
                        properties.reviewEvery()),
                List.copyOf(truncated));
    }

    private List<AuditEntry> rows(String target, int max, List<String> truncated, String what) {
        List<AuditEntry> rows = audit.timeline(target, "", max);
        if (rows.size() >= Math.min(max, 200)) {
            truncated.add(texts.text("evidence.truncatedTarget", what, rows.size()));
        }
        return rows;
    }

    private static ChainProof proof(List<AuditEntry> cited, ChainProof verified) {
        if (cited.isEmpty()) {
            return verified;
        }
        AuditEntry first = cited.get(0);
        AuditEntry last = cited.get(cited.size() - 1);
        return new ChainProof(cited.size(), first.seq(), first.hash(), last.seq(), last.hash(), verified.intact(),
                verified.rowsChecked(), verified.firstBrokenSeq(), verified.problem(), verified.verifiedAt());
    }

    private EvidencePack.Header header(Application app, BusinessUnit unit, CurrentUser.Principal me) {
        Application.Access a = app.access();
        return new EvidencePack.Header(app.id(), app.displayName(), app.slug(),
                unit == null ? "" : unit.displayName(), app.businessUnitId(), app.owner(), app.ownerEmail(),
                mask(app.purpose()), app.dataClassification(), app.status().name(), app.names().iamUser(),
                app.createdAt(), clock.instant().truncatedTo(ChronoUnit.SECONDS), me.username(), a.models(),
                a.regions(), a.sourceCidrs(), a.lifetimeDays(), a.monthlyBudget(), a.storeSecret());
    }

    /**
     * For an application provisioned before the portal kept a copy of each applied policy: the policy and tags
     * rebuilt with today's builder from the access approved last, marked as such.
     */
    private EvidencePack.PolicyItem rebuiltPolicy(Application app, BusinessUnit unit, List<AccessRequest> reqs) {
        Application.Access a = app.access();
        String json = PolicyBuilder.build(new PolicyBuilder.PolicyInput(catalog.find(a.models()), a.regions(),
                a.sourceCidrs(), provisioner.accountId()));
        long lastRequest = reqs.stream().filter(r -> "PROVISIONED".equals(r.status().name()))
                .mapToLong(AccessRequest::id).max()
                .orElse(app.createdByRequest() == null ? 0 : app.createdByRequest());
        String classification = classification(app.dataClassification());
        Map<String, String> tags = new LinkedHashMap<>(ResourceTags.forRequest(unit == null ? "" : unit.slug(),
                app.slug(), unit == null ? "" : unit.costCenter(), app.ownerEmail(), lastRequest, classification));
        return new EvidencePack.PolicyItem(app.names().iamUser(), json, tags, EvidencePack.PolicyItem.REBUILT, null,
                null, null);
    }

    private static String classification(String stored) {
        if (stored == null) {
            return "";
        }
        try {
            return DataClassification.valueOf(stored).tagValue();
        } catch (IllegalArgumentException e) {
            return stored;
        }
    }

    private static EvidencePack.Approval approval(Decision d) {
        return new EvidencePack.Approval(d.stage().name(), d.decidedBy(), d.decidedAs(), d.approved(),
                mask(d.comment()), d.decidedAt());
    }

    private static EvidencePack.PolicyItem policy(AppliedPolicies.Applied a) {
        return new EvidencePack.PolicyItem(a.principalName(), a.policyJson(), a.tags(),
                EvidencePack.PolicyItem.APPLIED, a.requestId(), a.appliedBy(), a.appliedAt());
    }

    private static AuditItem item(AuditEntry e) {
        return new AuditItem(e.seq(), e.occurredAt(), e.actor(), e.action(), e.target(), mask(e.details()), e.hash());
    }

    /** A second line of defence: anything shaped like a key in free text keeps its first 12 characters only. */
    static String mask(String text) {
        return SecretMasking.mask(text);
    }

    // --- a unit, or every unit, for a period

    /**
     * A unit's pack for a period (dates inclusive, UTC), or every unit's when {@code unitId} is null (security and
     * admins only). Refused with {@link FieldErrors} ({@code from}, {@code to}, {@code unit}) before any work.
     */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    public UnitPack forUnits(Long unitId, LocalDate from, LocalDate to) {
        CurrentUser.Principal me = me();
        checkPeriod(from, to);
        List<BusinessUnit> scope;
        String title;
        if (unitId == null) {
            if (!me.has(PortalRole.SECURITY) && !me.has(PortalRole.ADMIN)) {
                events.publishEvent(new SecurityEvents.AccessDenied(me.username(), "evidence:all-units"));
                throw new AccessDeniedException("all-units evidence pack for " + me.username());
            }
            scope = units.active();
            title = "all units";
        } else {
            BusinessUnit unit = units.find(unitId).orElse(null);
            if (unit == null || !may(me, unitId)) {
                events.publishEvent(new SecurityEvents.AccessDenied(me.username(), "business-unit:" + unitId));
                throw new AccessDeniedException("no evidence pack of unit " + unitId + " for " + me.username());
            }
            scope = List.of(unit);
            title = unit.displayName();
        }
        List<String> truncated = new ArrayList<>();
        // Applications created after the period have no evidence in it. Only those the pack lists are read.
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        ApplicationService.Page page = applications.ofUnitsCreatedBefore(scope.stream().map(BusinessUnit::id)
                .toList(), end, properties.maxApplications());
        List<Application> apps = page.first();
        if (page.total() > apps.size()) {
            truncated.add(texts.text("evidence.truncatedApplications", page.total(), properties.maxApplications()));
        }
        ChainProof verified = verification();
        List<UnitPack.ApplicationSummary> summaries = new ArrayList<>();
        List<AuditItem> citedAll = new ArrayList<>();
        for (Application app : apps) {
            EvidencePack pack = assemble(app, me, verified);
            List<AuditItem> inPeriod = pack.auditRows().stream().filter(r -> in(r.at(), start, end)).toList();
            citedAll.addAll(inPeriod);
            summaries.add(summary(pack, start, end, inPeriod));
            for (String t : pack.truncated()) {
                truncated.add(app.slug() + ": " + t);
            }
        }
        citedAll.sort(Comparator.comparingLong(AuditItem::seq));
        ChainProof chain = citedAll.isEmpty() ? verified : new ChainProof(citedAll.size(), citedAll.get(0).seq(),
                citedAll.get(0).hash(), citedAll.get(citedAll.size() - 1).seq(),
                citedAll.get(citedAll.size() - 1).hash(), verified.intact(), verified.rowsChecked(),
                verified.firstBrokenSeq(), verified.problem(), verified.verifiedAt());
        return new UnitPack(title, from, to, clock.instant().truncatedTo(ChronoUnit.SECONDS), me.username(),
                List.copyOf(summaries), chain, List.copyOf(truncated));
    }

    /** Writes a unit's (or all units') pack and audits the download. */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    public void downloadUnits(Long unitId, LocalDate from, LocalDate to, Format format, OutputStream out)
            throws IOException {
        UnitPack pack = forUnits(unitId, from, to);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        if (format == Format.PDF) {
            EvidencePdf.units(pack, buffer);
        } else {
            EvidenceJson.write(pack, buffer);
        }
        audit.record(me().username(), AUDIT_DOWNLOADED, unitId == null ? "business-unit:all" : "business-unit:"
                + unitId, format.name() + ", " + from + " to " + to + ", " + pack.applications().size()
                + " application(s)");
        buffer.writeTo(out);
    }

    public static String fileName(Long unitId, LocalDate from, LocalDate to, Format format) {
        return "evidence-" + (unitId == null ? "all-units" : "unit-" + unitId) + "-" + from + "-" + to + "."
                + format.extension();
    }

    /** The period's rules: both dates, from not after to, at most {@code max-period-days} long. */
    public void checkPeriod(LocalDate from, LocalDate to) {
        FieldErrors.Collector errors = new FieldErrors.Collector();
        if (from == null) {
            errors.add("from", texts.text("evidence.from.required"));
        }
        if (to == null) {
            errors.add("to", texts.text("evidence.to.required"));
        }
        if (from != null && to != null) {
            if (from.isAfter(to)) {
                errors.add("to", texts.text("evidence.to.beforeFrom"));
            } else if (ChronoUnit.DAYS.between(from, to) + 1 > properties.maxPeriodDays()) {
                errors.add("to", texts.text("evidence.period.tooLong", properties.maxPeriodDays()));
            }
        }
        errors.throwIfAny();
    }

    private static boolean in(Instant at, Instant start, Instant end) {
        return at != null && !at.isBefore(start) && at.isBefore(end);
    }

    private static UnitPack.ApplicationSummary summary(EvidencePack p, Instant start, Instant end,
            List<AuditItem> inPeriod) {
        EvidencePack.Header h = p.header();
        int requests = (int) p.requests().stream().filter(r -> in(r.submittedAt(), start, end)).count();
        int decisions = (int) p.requests().stream().flatMap(r -> r.approvals().stream())
                .filter(a -> in(a.decidedAt(), start, end)).count();
        int keysCreated = (int) p.keys().stream().filter(k -> in(k.createdAt(), start, end)).count();
        List<EvidencePack.KeyItem> working = p.keys().stream()
                .filter(k -> "active".equals(k.status()) || "pending reveal".equals(k.status())).toList();
        Instant oldest = working.stream().map(EvidencePack.KeyItem::createdAt).min(Comparator.naturalOrder())
                .orElse(null);
        int keyEvents = (int) p.keys().stream().flatMap(k -> k.events().stream()).filter(e -> in(e.at(), start, end))
                .count();
        List<AuditItem> reviews = p.accessReviews().stream().filter(r -> in(r.at(), start, end)).toList();
        String lastReview = p.accessReviews().isEmpty() ? "no access review recorded"
                : p.accessReviews().get(p.accessReviews().size() - 1).action() + " "
                        + p.accessReviews().get(p.accessReviews().size() - 1).at();
        int alertCount = (int) p.alerts().stream().filter(a -> in(a.lastSeenAt(), start, end)
                || in(a.firstSeenAt(), start, end)).count();
        int cases = (int) p.compromiseCases().stream().filter(c -> in(c.reportedAt(), start, end)).count();
        return new UnitPack.ApplicationSummary(h.applicationId(), h.application(), h.unit(), h.owner(), h.status(),
                h.dataClassification(), requests, decisions, keysCreated, working.size(), oldest, keyEvents,
                reviews.size(), lastReview, alertCount, cases, p.controls());
    }
}
