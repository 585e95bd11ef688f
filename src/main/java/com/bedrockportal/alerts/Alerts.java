package com.bedrockportal.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import com.bedrockportal.alerts.Alert.Action;
import com.bedrockportal.alerts.Alert.Rule;
import com.bedrockportal.alerts.Alert.Severity;
import com.bedrockportal.alerts.Alert.Status;
import com.bedrockportal.alerts.AlertRules.Decision;
import com.bedrockportal.alerts.AlertRules.Finding;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.drift.DriftFinding;
import com.bedrockportal.drift.DriftService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.lifecycle.CompromiseCase;
import com.bedrockportal.lifecycle.Compromises;
import com.bedrockportal.lifecycle.KeyActions;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.RolesAllowed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Security alerts: {@link #evaluate()} runs every rule ({@link AlertRules}) over the usage and spend figures and the
 * open drift findings, and raises, updates or leaves each alert (de-duplicated by fingerprint — see
 * {@link AlertRules} for when a dismissed alert comes back); security is told of each new alert once. The inbox lists
 * and filters them; security (and admins, as far as the key actions let them) disables the alert's key, opens a
 * compromise case for it, or dismisses it with a reason — each audited, each closing the alert.
 * <p>
 * Exactly once across portal nodes: an alert is raised in its own transaction together with its notification and
 * audit entry, and the table allows one open alert per fingerprint ({@code open_fingerprint} unique), so a second
 * node's insert fails on the constraint and rolls back its notification too; an update only applies evidence newer
 * than the alert's ({@code last_seen_at <}), so two nodes cannot count one sighting twice. One evaluation at a time
 * per node.
 */
@Service
public class Alerts {

    /** The longest reason the server accepts (the dialogs' fields have the same cap). */
    public static final int MAX_REASON = 500;
    /** Who raises alerts in the audit log. */
    public static final String ACTOR = "alert-rules";

    public static final String AUDIT_RAISED = "ALERT_RAISED";
    public static final String AUDIT_EVALUATED = "ALERTS_EVALUATED";
    public static final String AUDIT_KEY_DISABLED = "ALERT_KEY_DISABLED";
    public static final String AUDIT_COMPROMISE = "ALERT_COMPROMISE_OPENED";
    public static final String AUDIT_DISMISSED = "ALERT_DISMISSED";

    /**
     * What one evaluation did: conditions found, alerts raised, open alerts given newer evidence, conditions kept
     * quiet (closed recently, not materially worse), raised by another node first, failed; {@code capped}: more
     * conditions or events than the caps, the rest wait for the next evaluation.
     */
    public record Outcome(int conditions, int raised, int updated, int quiet, int lost, int failed, boolean capped) {
    }

    /** The inbox's filter (from the view or the query parameters); null fields match everything. */
    public record Filter(Status status, Severity severity, Rule rule) {
    }

    /**
     * An alert's page: the alert, the key's status in words (null without a key), the open compromise case of its
     * key, and what the current user may do now.
     */
    public record AlertPage(Alert alert, String keyStatus, Long openCaseId, boolean mayDisable, boolean mayOpenCase,
            boolean mayDismiss) {
    }

    /** The action is not possible (any more); nothing changed. The message is for the user. */
    public static class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final AlertRepository repository;
    private final AlertRules rules;
    private final AlertsProperties properties;
    private final DriftService drift;
    private final ApiKeys keys;
    private final KeyActions keyActions;
    private final Compromises compromises;
    private final BusinessUnitService units;
    private final CurrentUser currentUser;
    private final UserDirectory directory;
    private final Notifier notifier;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final FormValidation texts;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();

    Alerts(AlertRepository repository, AlertsProperties properties, DriftService drift, ApiKeys keys,
            KeyActions keyActions, Compromises compromises, BusinessUnitService units, CurrentUser currentUser,
            UserDirectory directory, Notifier notifier, AuditLog audit, ApplicationEventPublisher events,
            FormValidation texts, PlatformTransactionManager transactionManager, Clock clock) {
        this.repository = repository;
        this.rules = new AlertRules(properties.rules(), texts);
        this.properties = properties;
        this.drift = drift;
        this.keys = keys;
        this.keyActions = keyActions;
        this.compromises = compromises;
        this.units = units;
        this.currentUser = currentUser;
        this.directory = directory;
        this.notifier = notifier;
        this.audit = audit;
        this.events = events;
        this.texts = texts;
        // Each alert in a transaction of its own, also when called from a listener's transaction: a constraint
        // violation (another node first) must roll back that alert alone.
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    // --- evaluation

    /**
     * Runs every rule that is on, now: the schedule's, the usage collection's and the tests' entry (no user). Safe to
     * repeat: evaluating again without new figures changes nothing. @return null when an evaluation is running on
     * this node already (it covers the same figures)
     */
    public Outcome evaluate() {
        if (!running.tryLock()) {
            return null;
        }
        try {
            return evaluateLocked();
        } finally {
            running.unlock();
        }
    }

    /** "Evaluate now" (security): {@link #evaluate()}, audited. @throws Refused when one is running already */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    public Outcome evaluateNow() {
        String me = me().username();
        Outcome o = evaluate();
        if (o == null) {
            throw new Refused(texts.text("alerts.busy"));
        }
        audit.record(me, AUDIT_EVALUATED, "alerts", o.conditions() + " condition(s), " + o.raised() + " raised, "
                + o.updated() + " updated, " + o.quiet() + " kept quiet" + (o.capped() ? ", capped" : ""));
        return o;
    }

    /**
     * After each usage collection: new figures, so the rules look at them at once rather than at the next scheduled
     * evaluation (asynchronously, after the collection's commit).
     */
    // After the collection's commit, on another thread, and outside any transaction of its own: the work below
    // opens short transactions itself (one per new alert).
    @org.springframework.scheduling.annotation.Async
    @org.springframework.transaction.event.TransactionalEventListener
    public void onUsageCollected(com.bedrockportal.monitoring.UsageCollected collected) {
        Outcome o = evaluate();
        if (o != null && (o.raised() > 0 || o.updated() > 0)) {
            log.info("Alerts after usage collection: {} raised, {} updated", o.raised(), o.updated());
        }
    }

    private Outcome evaluateLocked() {
        Instant now = clock.instant();
        int max = properties.maxConditions();
        List<Finding> found = new ArrayList<>();
        boolean capped = false;
        String period = YearMonth.from(now.atOffset(ZoneOffset.UTC)).toString();
        if (properties.rules().spend().enabled()) {
            var rows = repository.spend(period, max);
            capped |= rows.size() >= max;
            found.addAll(rules.spend(rows));
        }
        Instant since = now.minus(properties.lookback());
        if (properties.rules().deniedBurst().enabled()) {
            var denied = repository.events("DENIED", since, properties.maxEvents());
            capped |= denied.size() >= properties.maxEvents();
            found.addAll(rules.deniedBursts(denied));
        }
        if (properties.rules().outsideRange().enabled()) {
            var outside = repository.events("OUTSIDE_RANGE", since, properties.maxEvents());
            capped |= outside.size() >= properties.maxEvents();
            found.addAll(rules.outsideRange(outside));
        }
        if (properties.rules().unusedKey().enabled()) {
            var uses = repository.keyUses(now.minus(java.time.Duration.ofDays(properties.rules().unusedKey().days())),
                    max);
            capped |= uses.size() >= max;
            found.addAll(rules.unusedKeys(uses));
        }
        if (properties.rules().createdOutside().enabled()) {
            var outside = createdOutside(max);
            capped |= outside.size() >= max;
            found.addAll(rules.createdOutside(outside));
        }
        // The most severe first: the caps leave out the least important.
        found.sort(Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::lastSeen,
                Comparator.reverseOrder()));
        if (found.size() > max) {
            found = found.subList(0, max);
            capped = true;
        }
        // Only the alerts of what was found: not every alert ever raised.
        Set<String> prints = found.stream().map(Finding::fingerprint).collect(Collectors.toSet());
        Map<String, Alert> open = repository.openByFingerprint(prints);
        Map<String, Alert> closed = repository.closedSince(prints, now.minus(properties.quietAfterClose()));
        int raised = 0;
        int updated = 0;
        int quiet = 0;
        int lost = 0;
        int failed = 0;
        for (Finding f : found) {
            Alert alert = open.get(f.fingerprint());
            Decision decision = rules.decide(f, alert, closed.get(f.fingerprint()), now, properties.quietAfterClose());
            try {
                switch (decision) {
                    case RAISE -> {
                        if (raised >= properties.maxNew()) {
                            capped = true;
                            continue;
                        }
                        if (raise(f, now)) {
                            raised++;
                        } else {
                            quiet++;
                        }
                    }
                    case UPDATE -> {
                        if (Boolean.TRUE.equals(ownTransaction.execute(s -> repository.update(alert.id(), f)))) {
                            updated++;
                        }
                    }
                    case QUIET -> quiet++;
                    case UNCHANGED -> {
                        // the open alert shows this evidence already
                    }
                }
            } catch (DuplicateKeyException another) {
                lost++; // another node raised it first; this node's notification was rolled back with it
            } catch (RuntimeException e) {
                failed++;
                log.warn("Alert {} not raised or updated, tried again next time: {}", f.fingerprint(),
                        e.getMessage());
            }
        }
        return new Outcome(found.size(), raised, updated, quiet, lost, failed, capped);
    }

    /**
     * Raises one alert: the row, its audit entry and security's notification, together or not at all; false, and
     * nothing raised, when an alert of the same condition was closed since this evaluation read the closed ones (another
     * node raised it meanwhile and someone dismissed it: it stays quiet, as it would had this evaluation started later).
     * Asked after the insert: a close that commits while the insert waits for it frees the fingerprint for the insert
     * and is seen here.
     */
    private boolean raise(Finding finding, Instant now) {
        Finding f = withSoleKey(finding);
        return Boolean.TRUE.equals(ownTransaction.execute(s -> {
            long id = repository.insert(f, now);
            Duration quiet = properties.quietAfterClose();
            Alert lastClosed = repository.closedSince(List.of(f.fingerprint()), now.minus(quiet)).get(f.fingerprint());
            if (rules.decide(f, null, lastClosed, now, quiet) == Decision.QUIET) {
                s.setRollbackOnly();
                return false;
            }
            audit.record(ACTOR, AUDIT_RAISED, target(id), f.rule() + " " + f.severity() + ": " + f.title());
            List<String> security = directory.withRole(PortalRole.SECURITY).stream()
                    .map(UserDirectory.KnownUser::username).toList();
            String title = texts.text("alerts.notify.title", texts.text("alerts.severity." + f.severity().name()),
                    f.title());
            String body = texts.text("alerts.notify.body", f.title(), f.evidence());
            notifier.notify(security, title, body, "alerts/" + id);
            if (f.businessUnitId() != null) {
                notifier.chat(f.businessUnitId(), title, body, "alerts/" + id, null);
            }
            return true;
        }));
    }

    /** A call-based alert whose events name no portal key: the application's key, when it has exactly one. */
    private Finding withSoleKey(Finding f) {
        if (f.keyId() != null || f.applicationId() == null
                || f.rule() != Rule.DENIED_BURST && f.rule() != Rule.OUTSIDE_IP_RANGE) {
            return f;
        }
        List<ApiKey> working = keys.workingOfApplication(f.applicationId());
        if (working.size() != 1) {
            return f;
        }
        return new Finding(f.rule(), f.severity(), f.fingerprint(), f.applicationId(), f.businessUnitId(),
                working.get(0).id(), f.title(), f.evidence(), f.measure(), f.marks(), f.firstSeen(), f.lastSeen());
    }

    private List<AlertRules.CreatedOutside> createdOutside(int max) {
        List<DriftFinding> findings = drift.openOfKinds(EnumSet.of(DriftFinding.Kind.KEY_OUTSIDE_PORTAL,
                DriftFinding.Kind.UNKNOWN_IAM_USER), max);
        Set<Long> appIds = new HashSet<>();
        findings.stream().map(DriftFinding::applicationId).filter(java.util.Objects::nonNull).forEach(appIds::add);
        Map<Long, AlertRepository.AppRef> apps = repository.applications(appIds);
        return findings.stream().map(d -> {
            AlertRepository.AppRef app = d.applicationId() == null ? null : apps.get(d.applicationId());
            return new AlertRules.CreatedOutside(d.id(), d.kind().name(), texts.text("alerts.drift." + d.kind().name()),
                    d.applicationId(), app == null ? null : app.name(), app == null ? null : app.businessUnitId(),
                    d.iamUser(), d.resource(), d.detail(), d.firstSeenAt(), d.lastSeenAt());
        }).toList();
    }

    // --- the inbox

    /**
     * The alerts the user may see, filtered, the most urgent first, at most {@code portal.alerts.max-listed}:
     * security and admins all, managers those of the units they manage (read-only).
     */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional(readOnly = true)
    public List<Alert> list(Filter filter) {
        return repository.list(new AlertRepository.Filter(filter.status(), filter.severity(), filter.rule(),
                visibleUnits(me())), properties.maxListed());
    }

    /**
     * One application's alerts, newest first, at most {@code max} (500 at most), as far as the user may see them:
     * security and admins all, managers those of the units they manage (the evidence pack reads them).
     */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional(readOnly = true)
    public List<Alert> ofApplication(long applicationId, int max) {
        return repository.ofApplication(applicationId, visibleUnits(me()), Math.min(max, 500));
    }

    /** Open alerts by severity, as far as the user may see them (the dashboard's tile). */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional(readOnly = true)
    public Map<Severity, Integer> openCounts() {
        return repository.openCounts(visibleUnits(me()));
    }

    /** An alert's page, if the user may see it; anyone else gets the same empty answer as for none, audited. */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional
    public Optional<AlertPage> page(long id) {
        CurrentUser.Principal me = me();
        Optional<Alert> found = repository.find(id);
        Collection<Long> mine = visibleUnits(me);
        if (found.isEmpty() || mine != null && !mine.contains(found.get().businessUnitId())) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), target(id)));
            return Optional.empty();
        }
        Alert a = found.get();
        boolean acts = actor(me) && a.open();
        String keyStatus = null;
        Long openCase = null;
        boolean disable = false;
        boolean live = false;
        if (a.keyId() != null) {
            Optional<ApiKey> key = keys.find(a.keyId());
            keyStatus = key.map(k -> k.status().label()).orElse(null);
            live = key.map(k -> k.status().live()).orElse(false);
            openCase = compromises.openCaseOf(a.keyId()).orElse(null);
            disable = acts && keyActions.page(a.keyId()).map(p -> p.actions().contains(KeyActions.Action.DISABLE))
                    .orElse(false);
        }
        return Optional.of(new AlertPage(a, keyStatus, openCase, disable, acts && live && openCase == null, acts));
    }

    // --- actions

    /**
     * Disables the alert's key in AWS at once (through the key actions, which check the caller and the key's state
     * again and tell its owner), and closes the alert as acted on.
     *
     * @throws FieldErrors {@code reason} missing or too long
     * @throws Refused     the alert is closed already, names no key, or the key cannot be disabled now (AWS refused or
     *                     did not answer, or the key is not active)
     */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(noRollbackFor = Refused.class)
    public Alert disableKey(long id, String reason) {
        CurrentUser.Principal me = me();
        String text = reason(reason);
        Alert a = openWithKey(id);
        try {
            keyActions.disable(a.keyId(), keyReason(a, text));
        } catch (KeyActions.Refused | KeyActions.CloudFailed e) {
            throw new Refused(e.getMessage());
        }
        return closed(a, me, Action.KEY_DISABLED, text, null, AUDIT_KEY_DISABLED, "key " + a.keyPrefix() + "…");
    }

    /**
     * Opens a compromise case for the alert's key (the case disables the key at once and gathers the evidence), or
     * joins the case already open for it, and closes the alert as acted on. @return the case's id
     *
     * @throws FieldErrors {@code reason} missing or too long
     * @throws Refused     the alert is closed already, names no key, or the key no longer exists in AWS
     */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(noRollbackFor = Refused.class)
    public long openCompromiseCase(long id, String reason) {
        CurrentUser.Principal me = me();
        String text = reason(reason);
        Alert a = openWithKey(id);
        Optional<Long> existing = compromises.openCaseOf(a.keyId());
        long caseId;
        if (existing.isPresent()) {
            caseId = existing.get();
        } else {
            try {
                CompromiseCase c = compromises.report(a.keyId(), keyReason(a, text));
                caseId = c.id();
            } catch (FieldErrors e) {
                throw new Refused(String.join(" ", e.errors().values()));
            } catch (com.bedrockportal.lifecycle.Compromises.Refused e) {
                throw new Refused(e.getMessage());
            }
        }
        closed(a, me, Action.COMPROMISE_OPENED, text, caseId, AUDIT_COMPROMISE, "compromise case " + caseId
                + (existing.isPresent() ? " (already open)" : "") + " for key " + a.keyPrefix() + "…");
        return caseId;
    }

    /**
     * Dismisses the alert with a reason; the same condition stays quiet for {@code portal.alerts.quiet-after-close}
     * unless it gets materially worse.
     *
     * @throws FieldErrors {@code reason} missing or too long
     * @throws Refused     the alert is closed already
     */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(noRollbackFor = Refused.class)
    public Alert dismiss(long id, String reason) {
        CurrentUser.Principal me = me();
        String text = reason(reason);
        Alert a = openForAction(id);
        return closed(a, me, Action.DISMISSED, text, null, AUDIT_DISMISSED, "dismissed");
    }

    /** An open alert that names a key (the key actions need one). */
    private Alert openWithKey(long id) {
        Alert a = openForAction(id);
        if (a.keyId() == null) {
            throw new Refused(texts.text("alerts.refused.noKey"));
        }
        return a;
    }

    private Alert openForAction(long id) {
        Alert a = repository.lock(id).orElseThrow(() -> new Refused(texts.text("alerts.refused.gone")));
        if (!a.open()) {
            throw new Refused(texts.text("alerts.refused.closed", a.actedBy(),
                    texts.text("alerts.action." + a.action().name())));
        }
        return a;
    }

    private Alert closed(Alert a, CurrentUser.Principal me, Action action, String reason, Long caseId,
            String auditAction, String what) {
        if (!repository.close(a.id(), action, me.username(), clock.instant(), reason, caseId)) {
            throw new Refused(texts.text("alerts.refused.gone"));
        }
        audit.record(me.username(), auditAction, target(a.id()), a.rule() + " \"" + a.title() + "\": " + what
                + ", reason: " + reason);
        return repository.find(a.id()).orElseThrow();
    }

    /** The reason the key's record and its owner's notice get: the alert and security's words, within the cap. */
    private String keyReason(Alert a, String text) {
        String r = texts.text("alerts.keyReason", a.id(), texts.text("alerts.rule." + a.rule().name()), text);
        return r.length() <= KeyActions.MAX_REASON ? r : r.substring(0, KeyActions.MAX_REASON - 1) + "…";
    }

    private String reason(String reason) {
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty()) {
            throw FieldErrors.of("reason", texts.text("alerts.reason.required"));
        }
        if (text.length() > MAX_REASON) {
            throw FieldErrors.of("reason", texts.text("alerts.reason.long", MAX_REASON));
        }
        return text;
    }

    /** Null: every unit (security, admins); otherwise the ids of the units the user manages. */
    private Collection<Long> visibleUnits(CurrentUser.Principal me) {
        if (me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN)) {
            return null;
        }
        return units.unitsOf(me.username()).stream().filter(u -> u.managers().contains(me.username()))
                .map(BusinessUnit::id).toList();
    }

    private static boolean actor(CurrentUser.Principal me) {
        return me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN);
    }

    private CurrentUser.Principal me() {
        return currentUser.get().orElseThrow();
    }

    static String target(long id) {
        return "alert:" + id;
    }
}
