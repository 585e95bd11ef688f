package com.bedrockportal.lifecycle;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.monitoring.KeyEvidence;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.provisioning.SpendReports;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Compromise response (process {@code bedrock-key-compromise}): a key reported compromised — by anyone who can see it,
 * by security pasting a leaked key or its beginning, or by a signed secret-scanning alert — gets a case, is disabled in
 * AWS at once, its owner, the unit's managers and security are told, CloudTrail and spend evidence is kept on the case,
 * security triages it (a false alarm re-enables the key), a confirmed compromise rotates the application's key and
 * deletes the old one, and the owner writes a post-incident report (overdue: the managers are told). Every decision is
 * checked and recorded here; the process's steps ({@code workflow.CompromiseDelegates}) call the step methods below,
 * each of which re-reads the case before touching AWS ({@link #violation}). A pasted or scanned key is only hashed and
 * compared here: never logged, stored, or handed on.
 */
@Service
public class Compromises {

    /** The longest reason or triage comment the server accepts (the forms' fields have the same cap). */
    public static final int MAX_REASON = 500;
    /** The longest text of each part of the post-incident report. */
    public static final int MAX_REPORT = 2000;
    /** The fewest characters of a key the leak form looks up (fewer would match too many keys to act on). */
    public static final int MIN_PASTE = 8;
    /** The longest paste the leak form reads (a Bedrock API key is about 130 characters). */
    public static final int MAX_PASTE = 512;

    public static final String AUDIT_REPORTED = "COMPROMISE_REPORTED";
    public static final String AUDIT_DISABLED = "COMPROMISE_KEY_DISABLED";
    public static final String AUDIT_EVIDENCE = "COMPROMISE_EVIDENCE";
    public static final String AUDIT_TRIAGED = "COMPROMISE_TRIAGED";
    public static final String AUDIT_REENABLED = "COMPROMISE_KEY_REENABLED";
    public static final String AUDIT_ROTATION = "COMPROMISE_ROTATION";
    public static final String AUDIT_KEY_DELETED = "COMPROMISE_KEY_DELETED";
    public static final String AUDIT_REPORT = "COMPROMISE_REPORT_SUBMITTED";
    public static final String AUDIT_OVERDUE = "COMPROMISE_REPORT_OVERDUE";
    public static final String AUDIT_CLOSED = "COMPROMISE_CLOSED";
    public static final String AUDIT_EXPORTED = "COMPROMISE_EXPORTED";
    public static final String AUDIT_LEAK_LOOKUP = "LEAK_LOOKUP";
    public static final String AUDIT_SCANNER_REFUSED = "SECRET_SCANNING_REFUSED";

    /** The steps of the process, each checked by {@link #violation} before it acts. */
    public enum Step {
        DISABLE, NOTIFY, EVIDENCE, REENABLE, START_ROTATION, DELETE_OLD_KEY, ESCALATE, CLOSE
    }

    /** What the leak form found. */
    public enum LeakResult {
        /** A live key matched: it is being disabled, a case opened. */
        FOUND,
        /** A live key matched that an open case already handles. */
        ALREADY_OPEN,
        /** No live key matches. */
        NONE
    }

    /** A report refused; nothing changed. The message is for the user. */
    public static class Refused extends com.bedrockportal.shared.Refusal {
        private static final long serialVersionUID = 1L;

        Refused(String message, boolean notPermitted) {
            super(message, notPermitted);
        }
    }

    /** The leak form's answer: never whose key, only the case (for security, who may open every case). */
    public record LeakOutcome(LeakResult result, Long caseId) {
    }

    /** One CloudTrail event of the evidence snapshot. */
    public record TrailRow(Instant time, String event, String sourceIp, String userAgent, String region,
            String errorCode) {
    }

    /** A case page: the case, its evidence, the names it shows, and what the current user may do now. */
    public record CaseView(CompromiseCase c, String unit, String application, String owner,
            List<TrailRow> events, List<SpendReports.DailySpend> spend, int spendDays, BigDecimal last30,
            BigDecimal previous30, boolean mayTriage, boolean mayReport) {
    }

    private static final Logger log = LoggerFactory.getLogger(Compromises.class);

    private final CompromiseRepository repository;
    private final ApiKeys keys;
    private final KeyActions keyActions;
    private final ServiceCredentials credentials;
    private final KeyEvidence evidence;
    private final Rotations rotations;
    private final ApplicationService applications;
    private final BusinessUnitService units;
    private final CurrentUser currentUser;
    private final UserDirectory directory;
    private final AuditLog audit;
    private final Notifier notifier;
    private final ApplicationEventPublisher events;
    private final FormValidation texts;
    private final CompromiseProperties properties;
    private final Clock clock;

    Compromises(CompromiseRepository repository, ApiKeys keys, KeyActions keyActions, ServiceCredentials credentials,
            KeyEvidence evidence, Rotations rotations,
            ApplicationService applications, BusinessUnitService units, CurrentUser currentUser,
            UserDirectory directory, AuditLog audit, Notifier notifier, ApplicationEventPublisher events,
            FormValidation texts, CompromiseProperties properties, Clock clock) {
        this.repository = repository;
        this.keys = keys;
        this.keyActions = keyActions;
        this.credentials = credentials;
        this.evidence = evidence;
        this.rotations = rotations;
        this.applications = applications;
        this.units = units;
        this.currentUser = currentUser;
        this.directory = directory;
        this.audit = audit;
        this.notifier = notifier;
        this.events = events;
        this.texts = texts;
        this.properties = properties;
        this.clock = clock;
    }

    // --- reporting

    /**
     * Anyone who can see the key reports it compromised, with a reason: a case is opened and the key disabled at once.
     *
     * @throws FieldErrors {@code reason} missing or too long
     * @throws Refused     when the key is not theirs to see (not permitted), no longer exists in AWS, or an open case
     *                     already handles it (its number in the message)
     */
    @PermitAll
    @Transactional(noRollbackFor = { FieldErrors.class, Refused.class }) // a refusal keeps its audit entry
    public CompromiseCase report(long keyId, String reason) {
        CurrentUser.Principal me = me();
        String text = reason(reason, "reason");
        // The key page's own rule of who may see a key (and its audit of those who may not).
        if (keyActions.page(keyId).isEmpty()) {
            throw new Refused(texts.text("compromise.refused.notAllowed"), true);
        }
        ApiKey key = keys.lock(keyId).orElseThrow();
        if (!key.status().live()) {
            throw new Refused(texts.text("compromise.refused.gone"), false);
        }
        Optional<CompromiseCase> open = repository.openOf(keyId);
        if (open.isPresent()) {
            throw new Refused(texts.text("compromise.refused.open", open.get().id()), false);
        }
        return open(key, CompromiseCase.Source.USER_REPORT, me.username(), text);
    }

    /**
     * Security pastes a leaked key, or its first characters (at least {@value #MIN_PASTE}): a full key is found by its
     * SHA-256 (fingerprint), a beginning by the keys' recorded first characters. The answer names no owner or key. The
     * pasted characters are overwritten before this returns and go nowhere else.
     *
     * @throws FieldErrors {@code key} too short, too long, or matching several keys ("give more characters");
     *                     {@code reason} missing or too long
     */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    @Transactional(noRollbackFor = FieldErrors.class) // an ambiguous look-up keeps its audit entry
    public LeakOutcome reportLeak(char[] pasted, String reason) {
        try {
            CurrentUser.Principal me = me();
            char[] key = strip(pasted);
            try {
                if (key.length < MIN_PASTE) {
                    throw FieldErrors.of("key", texts.text("compromise.leak.short", MIN_PASTE));
                }
                if (key.length > MAX_PASTE) {
                    throw FieldErrors.of("key", texts.text("compromise.leak.long", MAX_PASTE));
                }
                String text = reason(reason, "reason");
                List<ApiKey> found = match(key);
                if (found.size() > 1) {
                    audit.record(me.username(), AUDIT_LEAK_LOOKUP, "leak-form", "ambiguous: " + key.length
                            + " characters match several keys; nothing done");
                    throw FieldErrors.of("key", texts.text("compromise.leak.ambiguous"));
                }
                if (found.isEmpty()) {
                    audit.record(me.username(), AUDIT_LEAK_LOOKUP, "leak-form", "no live key matches ("
                            + key.length + " characters pasted)");
                    return new LeakOutcome(LeakResult.NONE, null);
                }
                ApiKey match = keys.lock(found.get(0).id()).orElseThrow();
                Optional<CompromiseCase> open = repository.openOf(match.id());
                if (open.isPresent()) {
                    audit.record(me.username(), AUDIT_LEAK_LOOKUP, "compromise:" + open.get().id(),
                            "a pasted key matches the key of this open case");
                    return new LeakOutcome(LeakResult.ALREADY_OPEN, open.get().id());
                }
                CompromiseCase c = open(match, CompromiseCase.Source.LEAK_FORM, me.username(),
                        texts.text("compromise.leak.reason", text));
                return new LeakOutcome(LeakResult.FOUND, c.id());
            } finally {
                Arrays.fill(key, '\0');
            }
        } finally {
            Arrays.fill(pasted, '\0');
        }
    }

    /** One token of a secret-scanning alert; {@code token} is overwritten after the look-up. */
    record ScannedToken(char[] token, String type, String url, String source) {
    }

    /**
     * Secret-scanning alerts, after the endpoint checked their signature: each full token found among the live keys
     * opens a case (or joins the open one). Returns one label per token, in order: {@code true_positive} (a live key,
     * disabled) or {@code false_positive}. No user is logged in; the reporter is "secret-scanner".
     */
    @Transactional
    List<String> reportScanned(List<ScannedToken> tokens) {
        List<String> labels = new ArrayList<>();
        for (ScannedToken t : tokens) {
            try {
                Optional<ApiKey> found = t.token().length < MIN_PASTE || t.token().length > MAX_PASTE
                        ? Optional.empty() : keys.liveByFingerprint(ApiKeys.fingerprint(t.token()));
                if (found.isEmpty()) {
                    labels.add("false_positive");
                    continue;
                }
                ApiKey key = keys.lock(found.get().id()).orElseThrow();
                if (repository.openOf(key.id()).isEmpty()) {
                    open(key, CompromiseCase.Source.SCANNER, "secret-scanner", texts.text("compromise.scanner.reason",
                            oneLine(t.type(), 60), oneLine(t.source(), 60), oneLine(t.url(), 300)));
                }
                labels.add("true_positive");
            } finally {
                Arrays.fill(t.token(), '\0');
            }
        }
        audit.record("secret-scanner", AUDIT_LEAK_LOOKUP, "secret-scanning", tokens.size() + " token(s), "
                + labels.stream().filter("true_positive"::equals).count() + " live key(s) found");
        return labels;
    }

    // --- the case page, the list, triage, report

    /** The case, if the user may see it: security, the key's owner, the managers of its unit. Others: audited. */
    @PermitAll
    @Transactional // a refusal is audited
    public Optional<CaseView> view(long caseId) {
        CurrentUser.Principal me = me();
        Optional<CompromiseCase> found = repository.find(caseId);
        if (found.isEmpty() || !mayView(me, found.get())) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), target(caseId)));
            return Optional.empty();
        }
        CompromiseCase c = found.get();
        List<SpendReports.DailySpend> spend = repository.spend(c.id());
        LocalDate today = LocalDate.ofInstant(c.evidenceAt() == null ? c.reportedAt() : c.evidenceAt(),
                ZoneOffset.UTC);
        int days = c.spendDays() > 0 ? c.spendDays() : 30;
        BigDecimal last = CompromiseRepository.sum(spend, today.minusDays(days - 1L), today.plusDays(1));
        BigDecimal before = CompromiseRepository.sum(spend, today.minusDays(2L * days - 1), today.minusDays(days - 1L));
        String owner = ownerOf(c);
        String app = c.applicationId() == null ? null
                : applications.find(c.applicationId()).map(Application::displayName).orElse(null);
        String unit = units.find(c.businessUnitId()).map(BusinessUnit::displayName).orElse("");
        return Optional.of(new CaseView(c, unit, app, owner, repository.events(c.id()), spend, days, last, before,
                me.has(PortalRole.SECURITY) && c.status() == CompromiseCase.Status.TRIAGE,
                me.username().equals(owner) && c.status() == CompromiseCase.Status.REPORT_DUE
                        && c.reportAt() == null));
    }

    /** The open case of a key, if any (the key page links to it). */
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<Long> openCaseOf(long keyId) {
        return repository.openOf(keyId).map(CompromiseCase::id);
    }

    /**
     * One application's cases, newest first, at most {@code max} (500 at most), as far as the user may see them:
     * security and admins all, managers those of their units (the evidence pack reads them).
     */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional(readOnly = true)
    public List<CompromiseCase> ofApplication(long applicationId, int max) {
        CurrentUser.Principal me = me();
        return repository.ofApplication(applicationId, Math.min(max, 500)).stream()
                .filter(c -> me.has(PortalRole.ADMIN) || mayView(me, c)).toList();
    }

    /** The latest cases, newest first, at most {@code portal.compromise.max-open-listed}. Security only. */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    @Transactional(readOnly = true)
    public List<CompromiseCase> list(boolean openOnly) {
        return repository.latest(openOnly, properties.maxOpenListed());
    }

    /**
     * Security's triage: confirmed (the application's key is rotated, the old one deleted, the owner reports) or a
     * false alarm (the key is re-enabled, the case closed), with a reason. Only while the case waits for triage.
     */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    @Transactional
    public CompromiseCase triage(long caseId, boolean confirmed, String reason) {
        CurrentUser.Principal me = me();
        String text = reason(reason, "triageReason");
        CompromiseCase c = repository.find(caseId).orElseThrow(() -> FieldErrors.of("form",
                texts.text("compromise.refused.gone")));
        CompromiseCase.Triage decision = confirmed ? CompromiseCase.Triage.CONFIRMED
                : CompromiseCase.Triage.FALSE_ALARM;
        if (!repository.triage(c.id(), decision, me.username(), text, clock.instant())) {
            throw FieldErrors.of("form", texts.text("compromise.refused.notTriage"));
        }
        audit.record(me.username(), AUDIT_TRIAGED, target(c.id()), decision + " for key " + c.keyPrefix()
                + "… of " + c.iamUser() + ", reason: " + text);
        notifier.notify(involved(c, false), texts.text("compromise.notify.triaged.title", c.id(), c.keyPrefix(),
                texts.text("compromise.triage." + decision.name())),
                texts.text("compromise.notify.triaged.body." + decision.name() + (confirmed
                        || keys.find(c.keyId()).map(k -> keptInactive(c, k)).isEmpty() ? ""
                                : ".keptInactive"), c.keyPrefix(), me.username(), text),
                link(c.id()));
        events.publishEvent(new CompromiseEvents.Triaged(c.id()));
        return repository.find(c.id()).orElseThrow();
    }

    /**
     * The owner's post-incident report: what happened, the root cause, the actions taken (e.g. tightened IP ranges).
     * Every part required, at most {@value #MAX_REPORT} characters; only while the report is due.
     */
    @PermitAll
    @Transactional(noRollbackFor = FieldErrors.class) // a refusal keeps its audit entry (nothing is written before)
    public CompromiseCase submitReport(long caseId, String what, String rootCause, String actions) {
        CurrentUser.Principal me = me();
        CompromiseCase c = repository.find(caseId).orElse(null);
        if (c == null || !actingOwner(me, c)) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), "report " + target(caseId)));
            throw FieldErrors.of("form", texts.text("compromise.refused.ownerOnly"));
        }
        FieldErrors.Collector errors = new FieldErrors.Collector();
        String w = reportPart(what, "what", errors);
        String rc = reportPart(rootCause, "rootCause", errors);
        String a = reportPart(actions, "actions", errors);
        errors.throwIfAny();
        if (!repository.report(c.id(), w, rc, a, me.username(), clock.instant())) {
            throw FieldErrors.of("form", texts.text("compromise.refused.noReportDue"));
        }
        audit.record(me.username(), AUDIT_REPORT, target(c.id()), "what happened: " + w + "; root cause: " + rc
                + "; actions: " + a);
        events.publishEvent(new CompromiseEvents.ReportSubmitted(c.id()));
        return repository.find(c.id()).orElseThrow();
    }

    /**
     * Records that the user exported the case ({@code csv} or {@code json}); only a case the user may see (the
     * caller read it through {@link #view}): a case the user may not see gets a denial row instead.
     */
    @PermitAll
    @Transactional
    public void exported(long caseId, String format) {
        if (!"csv".equals(format) && !"json".equals(format)) {
            throw new IllegalArgumentException("Export format csv or json");
        }
        CurrentUser.Principal me = me();
        if (repository.find(caseId).filter(c -> mayView(me, c)).isPresent()) {
            audit.record(me.username(), AUDIT_EXPORTED, target(caseId), format);
        } else {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), target(caseId)));
        }
    }

    // --- the process's steps (no user logged in)

    /** A case, for the process's steps. */
    @Transactional(readOnly = true)
    public CompromiseCase load(long caseId) {
        return repository.find(caseId).orElseThrow();
    }

    /**
     * Why {@code step} may not act on this case; empty when it may. Every step checks, whatever moved the process
     * there: the case is recorded and in the status the step follows, and a decision the step carries out was
     * recorded here by security.
     */
    @Transactional(readOnly = true)
    public Optional<String> violation(long caseId, Step step) {
        Optional<CompromiseCase> found = repository.find(caseId);
        if (found.isEmpty()) {
            return Optional.of("no such compromise case recorded by the portal");
        }
        CompromiseCase c = found.get();
        Set<CompromiseCase.Status> expected = switch (step) {
            case DISABLE -> Set.of(CompromiseCase.Status.DISABLING, CompromiseCase.Status.TRIAGE);
            case NOTIFY, EVIDENCE -> Set.of(CompromiseCase.Status.TRIAGE, CompromiseCase.Status.ROTATING,
                    CompromiseCase.Status.REENABLING, CompromiseCase.Status.REPORT_DUE,
                    CompromiseCase.Status.FALSE_ALARM, CompromiseCase.Status.CLOSED);
            case REENABLE -> Set.of(CompromiseCase.Status.REENABLING, CompromiseCase.Status.FALSE_ALARM);
            case START_ROTATION, DELETE_OLD_KEY -> Set.of(CompromiseCase.Status.ROTATING,
                    CompromiseCase.Status.REPORT_DUE);
            case ESCALATE, CLOSE -> Set.of(CompromiseCase.Status.REPORT_DUE, CompromiseCase.Status.CLOSED);
        };
        if (!expected.contains(c.status())) {
            return Optional.of("case is " + c.status() + ", expected one of " + expected);
        }
        if (step == Step.REENABLE && c.triageDecision() != CompromiseCase.Triage.FALSE_ALARM) {
            return Optional.of("no false-alarm decision recorded by security");
        }
        if ((step == Step.START_ROTATION || step == Step.DELETE_OLD_KEY)
                && c.triageDecision() != CompromiseCase.Triage.CONFIRMED) {
            return Optional.of("the compromise was not confirmed by security");
        }
        if (step == Step.CLOSE && c.reportAt() == null) {
            return Optional.of("no post-incident report recorded by the portal");
        }
        return Optional.empty();
    }

    /**
     * Sets the key Inactive in AWS. A credential AWS no longer has cannot be used either: that counts as disabled. Any
     * other failure is recorded on the case (it keeps saying "disabling…") and rethrown, so the engine retries.
     */
    @Transactional
    public void disableKey(long caseId) {
        CompromiseCase c = load(caseId);
        if (c.disabledAt() != null) {
            return; // a replayed step
        }
        // Locked before AWS is asked: a reveal (pending -> active) or another action on the key at the same moment
        // either came first, and is seen here, or waits, so the key is marked from the status it really has.
        ApiKey key = keys.lock(c.keyId()).orElseThrow();
        if (key.status().live()) {
            try {
                credentials.updateServiceCredentialStatus(key.iamUser(), key.credentialId(), false);
            } catch (CloudException e) {
                if (e.kind() != CloudException.Kind.NOT_FOUND) {
                    repository.attemptFailed(c.id(), forPeople(c, e, "Disabling"));
                    log.warn("Compromise case {}: disabling key {}… failed ({}), will retry", c.id(), c.keyPrefix(),
                            e.kind());
                    throw e;
                }
            }
            if (key.status() == KeyStatus.ACTIVE || key.status() == KeyStatus.PENDING_REVEAL) {
                keys.markInactive(key.id(), key.status(), texts.text("compromise.key.reason", c.id(), c.reason()),
                        c.reportedBy());
            }
        }
        Instant now = clock.instant();
        repository.disabled(c.id(), now, key.status() == KeyStatus.INACTIVE);
        double seconds = java.time.Duration.between(c.reportedAt(), now).toMillis() / 1000.0;
        audit.record("system", AUDIT_DISABLED, target(c.id()), String.format(java.util.Locale.ROOT,
                "key %s… of %s Inactive in AWS %.1f s after the report", c.keyPrefix(), c.iamUser(), seconds));
        log.info("Compromise case {}: key {}… Inactive {} s after the report", c.id(), c.keyPrefix(), seconds);
    }

    /** Tells the owner, the unit's managers and security (once). */
    @Transactional
    public void notifyReported(long caseId) {
        CompromiseCase c = load(caseId);
        if (c.notifiedAt() != null) {
            return;
        }
        notifier.notify(involved(c, true), texts.text("compromise.notify.reported.title", c.id(), c.keyPrefix()),
                texts.text("compromise.notify.reported.body", c.keyPrefix(), c.iamUser(), c.reportedBy(), c.reason()),
                link(c.id()));
        repository.notified(c.id(), clock.instant());
    }

    /**
     * Keeps the evidence on the case ({@link KeyEvidence}: the IAM user's CloudTrail events of
     * {@code portal.evidence.trail-window} and the application's daily spend of twice {@code spend-days}). A part AWS
     * could not answer is written on the case and the process goes on: triage must not wait for evidence.
     */
    @Transactional
    public void gatherEvidence(long caseId) {
        CompromiseCase c = load(caseId);
        Instant now = clock.instant();
        Optional<KeyEvidence.Evidence> gathered = evidence.gather(c.keyId());
        if (gathered.isEmpty()) {
            String gone = texts.text("compromise.evidence.failed", "the key is no longer on record");
            repository.evidence(c.id(), List.of(), false, gone, List.of(), gone, 0, now);
            return;
        }
        KeyEvidence.Evidence e = gathered.get();
        List<TrailRow> rows = e.events().stream().map(CompromiseRepository::row).toList();
        String trailNote = e.eventsError() == null ? null : texts.text("compromise.evidence.failed", e.eventsError());
        String spendNote = e.spendError() == null ? null : texts.text("compromise.evidence.failed", e.spendError());
        List<SpendReports.DailySpend> spend = e.daily().stream().limit(2L * e.spendDays() + 1).toList();
        repository.evidence(c.id(), rows, e.eventsCut(), trailNote, spend, spendNote, e.spendDays(), now);
        audit.record("system", AUDIT_EVIDENCE, target(c.id()), rows.size() + " CloudTrail event(s)"
                + (e.eventsCut() ? " (cut)" : "") + (trailNote == null ? "" : " (" + trailNote + ")") + ", "
                + spend.size() + " day(s) of spend" + (spendNote == null ? "" : " (" + spendNote + ")"));
    }

    /** A false alarm: the key Active in AWS again, the case FALSE_ALARM (closed), the owner told. */
    @Transactional
    public void reenableKey(long caseId) {
        CompromiseCase c = load(caseId);
        if (c.status() == CompromiseCase.Status.FALSE_ALARM) {
            return;
        }
        ApiKey key = keys.lock(c.keyId()).orElseThrow();
        Instant now = clock.instant();
        String kept = keptInactive(c, key);
        if (key.status() == KeyStatus.INACTIVE && kept == null) {
            try {
                credentials.updateServiceCredentialStatus(key.iamUser(), key.credentialId(), true);
            } catch (CloudException e) {
                repository.attemptFailed(c.id(), forPeople(c, e, "Enabling again"));
                throw e;
            }
            keys.markReenabled(key.id(), texts.text("compromise.key.falseAlarm", c.id(), c.triageReason()),
                    c.triageBy());
        }
        repository.move(c.id(), CompromiseCase.Status.REENABLING, CompromiseCase.Status.FALSE_ALARM,
                "reenabled_at = :at", now);
        audit.record("system", AUDIT_REENABLED, target(c.id()), "false alarm (" + c.triageBy() + "): key "
                + c.keyPrefix() + "… of " + c.iamUser() + (kept == null ? " Active again" : " " + kept)
                + "; case closed");
    }

    /** What the case records of an AWS failure: the call and a log reference; AWS's own words go to the log only. */
    private static String forPeople(CompromiseCase c, CloudException e, String doing) {
        return e.forPeopleLogged(log, doing + " key " + c.keyPrefix() + "… (compromise case " + c.id() + ")");
    }

    /**
     * Why a false alarm leaves the key Inactive, or null when it comes back. Only what the case itself disabled comes
     * back: a key a person, a review or its reveal window had disabled before the report stays so, and a key never
     * revealed whose reveal window passed meanwhile is held by nobody.
     */
    private String keptInactive(CompromiseCase c, ApiKey key) {
        if (!key.status().live()) {
            // Deleted or revoked since the report (a rotation made room, a person revoked it): nothing comes back.
            return "is " + key.status().name().toLowerCase(java.util.Locale.ROOT) + " (since the report) and stays so";
        }
        if (key.status() != KeyStatus.INACTIVE) {
            return null;
        }
        if (repository.keyWasInactive(c.id())) {
            return "was Inactive before the report (" + (key.statusChangedBy() == null ? "not revealed in time"
                    : "disabled by " + key.statusChangedBy()) + ") and stays Inactive";
        }
        if (keys.nobodyHolds(key)) {
            return "was never revealed and its reveal window has passed: it stays Inactive";
        }
        return null;
    }

    /**
     * Confirmed: the application's key rotation ({@link Rotations#startBySystem} with trigger COMPROMISE), once. An
     * application that cannot rotate now is written on the case; the old key is deleted either way.
     */
    @Transactional
    public void startRotation(long caseId) {
        CompromiseCase c = load(caseId);
        if (c.rotationId() != null || c.rotationNote() != null) {
            return;
        }
        if (c.applicationId() == null) {
            repository.rotation(c.id(), null, texts.text("compromise.rotation.noApplication"));
            return;
        }
        Optional<Long> id = rotations.open(c.applicationId());
        if (id.isEmpty()) {
            id = rotations.startBySystem(c.applicationId(), Rotations.Trigger.COMPROMISE,
                    texts.text("compromise.rotation.reason", c.id(), c.triageReason()), c.triageBy());
        }
        repository.rotation(c.id(), id.orElse(null), id.isPresent() ? null
                : texts.text("compromise.rotation.notStarted"));
        audit.record("system", AUDIT_ROTATION, target(c.id()), id.map(r -> "rotation " + r + " started")
                .orElse("no rotation started: the application cannot rotate now"));
    }

    /**
     * Deletes the old (Inactive) key in AWS and marks it REVOKED, whatever else deleted it first (the rotation frees
     * its slot the same way): a credential AWS no longer has counts as deleted. Then the owner's report is due.
     */
    @Transactional
    public void deleteOldKey(long caseId) {
        CompromiseCase c = load(caseId);
        ApiKey key = keys.find(c.keyId()).orElseThrow();
        Instant now = clock.instant();
        if (key.status().live()) {
            try {
                credentials.updateServiceCredentialStatus(key.iamUser(), key.credentialId(), false);
                credentials.deleteServiceCredential(key.iamUser(), key.credentialId());
            } catch (CloudException e) {
                if (e.kind() != CloudException.Kind.NOT_FOUND) {
                    repository.attemptFailed(c.id(), forPeople(c, e, "Deleting"));
                    throw e;
                }
            }
            keys.markRevokedIfLive(key.id(), texts.text("compromise.key.deleted", c.id()), "system");
        }
        if (c.status() != CompromiseCase.Status.ROTATING) {
            return; // a replayed step
        }
        Instant due = now.plus(properties.reportDue());
        repository.oldKeyDeleted(c.id(), now, due);
        audit.record("system", AUDIT_KEY_DELETED, target(c.id()), "key " + c.keyPrefix() + "… of " + c.iamUser()
                + " deleted in AWS and revoked; post-incident report due " + due);
        String owner = ownerOf(c);
        if (owner != null) {
            notifier.notify(List.of(owner), texts.text("compromise.notify.reportDue.title", c.id(), c.keyPrefix()),
                    texts.text("compromise.notify.reportDue.body", c.keyPrefix(), properties.reportDue().toHours()),
                    link(c.id()));
        }
    }

    /** The report is overdue: the unit's managers are told (once); the owner can still submit it. */
    @Transactional
    public void escalateReport(long caseId) {
        CompromiseCase c = load(caseId);
        if (c.reportAt() != null || !repository.escalated(c.id(), clock.instant())) {
            return;
        }
        List<String> managers = managersOf(c);
        audit.record("system", AUDIT_OVERDUE, target(c.id()), "post-incident report by " + ownerOf(c)
                + " overdue; told " + String.join(", ", managers));
        notifier.notify(managers, texts.text("compromise.notify.overdue.title", c.id(), c.keyPrefix()),
                texts.text("compromise.notify.overdue.body", c.keyPrefix(), ownerOf(c)), link(c.id()));
    }

    /** The report is in: the case is CLOSED; owner, managers and security are told. */
    @Transactional
    public void close(long caseId) {
        CompromiseCase c = load(caseId);
        if (!repository.move(c.id(), CompromiseCase.Status.REPORT_DUE, CompromiseCase.Status.CLOSED, null,
                clock.instant())) {
            return;
        }
        audit.record("system", AUDIT_CLOSED, target(c.id()), "post-incident report by " + c.reportBy()
                + " received; case closed");
        notifier.notify(involved(c, true), texts.text("compromise.notify.closed.title", c.id(), c.keyPrefix()),
                texts.text("compromise.notify.closed.body", c.keyPrefix(), c.reportBy()), link(c.id()));
    }

    /** A security alert: a step found the case's checks violated and did nothing. */
    public void alert(long caseId, Step step, String violation) {
        audit.record("system", AuditActions.SECURITY_ALERT, target(caseId), step + ": " + violation);
    }

    /** Who writes the post-incident report (the process's candidate user): the key's owner. */
    @Transactional(readOnly = true)
    public List<String> reportersOf(long caseId) {
        String owner = ownerOf(load(caseId));
        return owner == null ? List.of() : List.of(owner);
    }

    /**
     * Security's recorded triage decision, for the process where it would wait for triage. Security may triage as soon
     * as the key is disabled, while the process still gathers evidence and has no triage task to complete. The case's
     * row is read under its lock, which {@link #triage} also takes: either the process sees the decision here and does
     * not wait, or it waits and the triage finds its task.
     */
    @Transactional
    public Optional<CompromiseCase.Triage> triageDecision(long caseId) {
        return repository.lockedTriage(caseId);
    }

    /** The report's due time as an ISO-8601 duration, for the process's timer. */
    public String reportDue() {
        return properties.reportDue().toString();
    }

    // --- helpers

    private CompromiseCase open(ApiKey key, CompromiseCase.Source source, String by, String reason) {
        Long app = keys.applicationOf(key.id()).orElse(null);
        long id;
        try {
            id = repository.insert(key.id(), app, key.businessUnitId(), key.prefix(), key.iamUser(), source, by,
                    reason, clock.instant());
        } catch (DuplicateKeyException raced) {
            // Cannot happen while reports lock the key's row first; the database keeps the rule anyway.
            throw new IllegalStateException("key " + key.id() + " already has an open compromise case", raced);
        }
        audit.record(by, AUDIT_REPORTED, target(id), source + ": key " + key.prefix() + "… of " + key.iamUser()
                + " (key:" + key.id() + "), reason: " + reason);
        events.publishEvent(new CompromiseEvents.Reported(id));
        return repository.find(id).orElseThrow();
    }

    /** Full key by fingerprint; a beginning (or an old key without fingerprint) by its first characters. */
    private List<ApiKey> match(char[] key) {
        Optional<ApiKey> byFingerprint = keys.liveByFingerprint(ApiKeys.fingerprint(key));
        if (byFingerprint.isPresent()) {
            return List.of(byFingerprint.get());
        }
        boolean whole = key.length > ApiKeys.PREFIX_LENGTH;
        // Only the first characters (which the portal records anyway) leave the array.
        String head = new String(key, 0, Math.min(key.length, ApiKeys.PREFIX_LENGTH));
        return keys.liveByPrefix(head, whole, 2);
    }

    private static char[] strip(char[] pasted) {
        int from = 0;
        int to = pasted.length;
        while (from < to && Character.isWhitespace(pasted[from])) {
            from++;
        }
        while (to > from && Character.isWhitespace(pasted[to - 1])) {
            to--;
        }
        return Arrays.copyOfRange(pasted, from, to);
    }

    private boolean mayView(CurrentUser.Principal me, CompromiseCase c) {
        return me.has(PortalRole.SECURITY) || actingOwner(me, c)
                || me.has(PortalRole.MANAGER) && managersOf(c).contains(me.username());
    }

    /** The key's owner, while a member of its unit (an owner who left sees and reports nothing of it). */
    private boolean actingOwner(CurrentUser.Principal me, CompromiseCase c) {
        return me.username().equals(ownerOf(c))
                && units.find(c.businessUnitId()).map(u -> u.members().contains(me.username())).orElse(false);
    }

    /** The key's owner: the owner of its application (it follows a handover), or whom the key was issued to. */
    private String ownerOf(CompromiseCase c) {
        return applications.ownerOfIamUser(c.iamUser())
                .orElseGet(() -> keys.find(c.keyId()).map(ApiKey::requester).orElse(null));
    }

    private List<String> managersOf(CompromiseCase c) {
        return units.find(c.businessUnitId()).map(u -> u.managers().stream().sorted().toList()).orElse(List.of());
    }

    /** Owner and managers, and security when {@code withSecurity}. */
    private List<String> involved(CompromiseCase c, boolean withSecurity) {
        Set<String> people = new LinkedHashSet<>();
        String owner = ownerOf(c);
        if (owner != null) {
            people.add(owner);
        }
        people.addAll(managersOf(c));
        if (withSecurity) {
            directory.withRole(PortalRole.SECURITY).forEach(u -> people.add(u.username()));
        }
        return List.copyOf(people);
    }

    private String reason(String reason, String field) {
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty()) {
            throw FieldErrors.of(field, texts.text("compromise.reason.required"));
        }
        if (text.length() > MAX_REASON) {
            throw FieldErrors.of(field, texts.text("compromise.reason.long", MAX_REASON));
        }
        return text;
    }

    private String reportPart(String value, String field, FieldErrors.Collector errors) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            errors.add(field, texts.text("compromise.report.required"));
        } else if (text.length() > MAX_REPORT) {
            errors.add(field, texts.text("compromise.reason.long", MAX_REPORT));
        }
        return text;
    }

    static String capped(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static String oneLine(String text, int max) {
        if (text == null) {
            return "-";
        }
        String line = text.replaceAll("[\\p{Cntrl}]", " ").strip();
        return line.length() > max ? line.substring(0, max) + "…" : line;
    }

    private CurrentUser.Principal me() {
        return currentUser.get().orElseThrow(() -> new IllegalStateException("no logged-in user"));
    }

    static String target(long caseId) {
        return "compromise:" + caseId;
    }

    static String link(long caseId) {
        return "compromise/" + caseId;
    }
}
