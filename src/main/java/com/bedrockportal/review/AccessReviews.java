package com.bedrockportal.review;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.application.ShortTermSuspensions;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.lifecycle.KeyActions;
import com.bedrockportal.monitoring.UsageFigures;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.shared.ClusterRuns;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;
import com.bedrockportal.shared.SpreadsheetCells;
import com.bedrockportal.shared.TimerDue;

import jakarta.annotation.security.RolesAllowed;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Access review campaigns. Security starts one (or the quarterly timer of the process {@code bedrock-access-review}
 * does); each unit with active applications gets one review, decided per application by the unit's managers or by
 * security: {@link Decision#KEEP keep} (attest; a manager who owns the application cannot attest it — another manager
 * of the unit or security must), {@link Decision#REDUCE reduce} (the reviewer then files a narrowing change request,
 * which goes through the usual approvals), {@link Decision#REVOKE revoke} (reason required; every key of the
 * application that still exists is revoked through {@link KeyActions#revoke}, as the reviewer). At the deadline
 * ({@link #missed}) what nobody decided is disabled or only flagged, as the campaign's {@link OnMissed} says, and the
 * owner and the managers are told. Every decision is audited against {@code application:<id>}, campaigns against
 * {@code access-review:<id>}.
 */
@Service
public class AccessReviews {

    public static final String AUDIT_STARTED = "ACCESS_REVIEW_STARTED";
    public static final String AUDIT_CLOSED = "ACCESS_REVIEW_CLOSED";
    public static final String AUDIT_KEPT = "ACCESS_REVIEW_KEPT";
    public static final String AUDIT_REDUCED = "ACCESS_REVIEW_REDUCED";
    public static final String AUDIT_REVOKED = "ACCESS_REVIEW_REVOKED";
    public static final String AUDIT_MISSED = "ACCESS_REVIEW_MISSED";

    /** Who the process acts as (the scheduled start, the deadline). */
    public static final String ACTOR = "access-review";
    /** The longest comment or reason the server accepts (the page's fields have the same cap). */
    public static final int MAX_COMMENT = 500;
    /** The most campaigns security's page lists. */
    public static final int MAX_CAMPAIGNS_LISTED = 50;
    /**
     * How long a manager's revoke under way holds an item against other decisions without renewing its hold (after
     * each key): past that its node is taken to have stopped.
     */
    public static final Duration REVOKE_HOLDS = Duration.ofMinutes(5);

    public enum Trigger {
        MANUAL, SCHEDULED
    }

    public enum OnMissed {
        DISABLE, FLAG
    }

    public enum CampaignStatus {
        OPEN, CLOSED
    }

    public enum UnitStatus {
        OPEN, COMPLETED, MISSED
    }

    public enum Decision {
        KEEP, REDUCE, REVOKE, MISSED
    }

    /** A campaign started (by security: the workflow starts its process; by the timer: it runs in one already). */
    public record CampaignStarted(long campaignId, Trigger trigger) {
    }

    /** Every application of a unit's review is decided: its task is done. */
    public record UnitReviewDone(long campaignId, long unitReviewId) {
    }

    /** The action is not allowed, or no longer possible; nothing changed. The message is for the user. */
    public static class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    /** One application as its reviewers see it. Amounts null when not read yet; {@code key} the newest working. */
    public record Row(ReviewRecords.Item item, Application application, String models, ApiKey key,
            Instant lastUsed, BigDecimal spendThisMonth, BigDecimal spendLastMonth, boolean mayKeep) {
    }

    /** A unit's review page: the review, its rows, who reviews it. */
    public record UnitPage(ReviewRecords.UnitReview review, List<Row> rows, Set<String> reviewers) {
    }

    /** A campaign for security: its units (with their reviewers) and every decision. */
    public record Overview(ReviewRecords.Campaign campaign, List<UnitLine> units, List<DecisionLine> decisions) {
    }

    /** A unit's progress; {@code overdue}: still open past the deadline, or missed. */
    public record UnitLine(ReviewRecords.UnitReview review, Set<String> reviewers, boolean overdue) {
    }

    /** A decision (or an application still waiting for one) for the campaign page and its CSV. */
    public record DecisionLine(String unit, long applicationId, String application, String owner, Decision decision,
            String comment, String decidedBy, Instant decidedAt) {
    }

    private static final Logger log = LoggerFactory.getLogger(AccessReviews.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    /** The row a campaign's start holds (V44). */
    static final String CAMPAIGN_START = "review-campaign";

    private final ClusterRuns cluster;
    private final ReviewRepository repository;
    private final ReviewProperties properties;
    private final ApplicationService applications;
    private final BusinessUnitService units;
    private final ApiKeys keys;
    private final KeyActions keyActions;
    private final ModelCatalog catalog;
    private final UsageFigures usage;
    private final AuditLog audit;
    private final Notifier notifier;
    private final CurrentUser currentUser;
    private final FormValidation texts;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    /**
     * Commits on its own even inside the engine's job transaction: the missed step does each application in one,
     * so what AWS already disabled is recorded even when a later application fails the step.
     */
    private final TransactionTemplate ownTransactions;
    private final Clock clock;

    private final ShortTermSuspensions suspensions;

    AccessReviews(ReviewRepository repository, ReviewProperties properties, ApplicationService applications,
            BusinessUnitService units, ApiKeys keys, KeyActions keyActions, ModelCatalog catalog, UsageFigures usage,
            AuditLog audit, Notifier notifier, CurrentUser currentUser, FormValidation texts,
            ApplicationEventPublisher events, PlatformTransactionManager transactionManager, Clock clock,
            ShortTermSuspensions suspensions, ClusterRuns cluster) {
        this.cluster = cluster;
        this.suspensions = suspensions;
        this.repository = repository;
        this.properties = properties;
        this.applications = applications;
        this.units = units;
        this.keys = keys;
        this.keyActions = keyActions;
        this.catalog = catalog;
        this.usage = usage;
        this.audit = audit;
        this.notifier = notifier;
        this.currentUser = currentUser;
        this.texts = texts;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.ownTransactions = new TransactionTemplate(transactionManager);
        this.ownTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    // --- starting and closing

    /** Security starts a campaign now; refused while another is open. */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    public long start() {
        String me = currentUser.get().orElseThrow().username();
        return open(Trigger.MANUAL, me).orElseThrow(() -> new Refused(texts.text("review.refused.openCampaign")));
    }

    /** The process's timer starts a campaign; empty when one is still open (that one goes on). */
    public Optional<Long> startScheduled() {
        return open(Trigger.SCHEDULED, ACTOR);
    }

    private Optional<Long> open(Trigger trigger, String by) {
        // Count caps first, before anything is written or any process starts.
        // The scheduled start runs on the engine's job thread, with nobody logged in.
        List<BusinessUnit> active = trigger == Trigger.SCHEDULED ? units.activeForEngine() : units.active();
        if (active.size() > properties.maxUnits()) {
            throw new Refused(texts.text("review.refused.tooManyUnits", active.size(), properties.maxUnits()));
        }
        Map<BusinessUnit, List<Application>> scope = new LinkedHashMap<>();
        for (BusinessUnit unit : active) {
            // One more than allowed is enough to refuse: a unit's applications are never all read for that.
            List<Application> apps = applications.ofUnit(unit.id(), properties.maxApplications() + 1);
            if (apps.size() > properties.maxApplications()) {
                throw new Refused(texts.text("review.refused.tooManyApplications", unit.displayName(), apps.size(),
                        properties.maxApplications()));
            }
            if (!apps.isEmpty()) {
                scope.put(unit, apps);
            }
        }
        return transactions.execute(status -> {
            // One start at a time across the cluster: without it the timer and security's Start could both find no
            // open campaign and open two.
            cluster.holdUntilCommit(CAMPAIGN_START);
            if (repository.openCampaign().isPresent()) {
                return Optional.<Long>empty();
            }
            Instant now = clock.instant();
            Instant deadline = now.plus(properties.deadline());
            long id = repository.insertCampaign(trigger, by, now, deadline, properties.onMissed());
            int apps = 0;
            for (Map.Entry<BusinessUnit, List<Application>> e : scope.entrySet()) {
                long unitReview = repository.insertUnit(id, e.getKey().id(), e.getKey().displayName());
                for (Application app : e.getValue()) {
                    repository.insertItem(unitReview, app.id(), app.owner());
                    apps++;
                }
            }
            audit.record(by, AUDIT_STARTED, target(id), "campaign " + id + ", " + trigger.name().toLowerCase(Locale.ROOT)
                    + ", " + scope.size() + " unit(s), " + apps + " application(s), deadline " + DAY.format(
                            deadline.atOffset(ZoneOffset.UTC)) + ", on missed: " + properties.onMissed().name());
            for (BusinessUnit unit : scope.keySet()) {
                notifier.notify(unit.managers(), texts.text("review.notify.started.title", unit.displayName()),
                        texts.text("review.notify.started.body", unit.displayName(), day(deadline)), "reviews");
            }
            events.publishEvent(new CampaignStarted(id, trigger));
            log.info("Access review campaign {} started by {}: {} unit(s), {} application(s)", id, by, scope.size(),
                    apps);
            return Optional.of(id);
        });
    }

    /** The process's last step: the campaign is closed (every unit done or missed). */
    public void close(long campaignId) {
        transactions.executeWithoutResult(status -> {
            if (!repository.closeCampaign(campaignId, clock.instant())) {
                return;
            }
            List<ReviewRecords.Item> items = repository.itemsOfCampaign(campaignId);
            Map<Decision, Long> counts = items.stream().filter(i -> i.decision() != null)
                    .collect(Collectors.groupingBy(ReviewRecords.Item::decision, Collectors.counting()));
            audit.record(ACTOR, AUDIT_CLOSED, target(campaignId), "campaign " + campaignId + ", " + items.size()
                    + " application(s): kept " + counts.getOrDefault(Decision.KEEP, 0L) + ", reduced "
                    + counts.getOrDefault(Decision.REDUCE, 0L) + ", revoked " + counts.getOrDefault(Decision.REVOKE, 0L)
                    + ", missed " + counts.getOrDefault(Decision.MISSED, 0L));
        });
    }

    // --- what the process asks

    /** The unit reviews of a campaign (the process's one task per unit). */
    public List<Long> unitReviewIds(long campaignId) {
        return repository.unitsOf(campaignId).stream().map(ReviewRecords.UnitReview::id).toList();
    }

    /** A unit's reviewers: its managers now. */
    public List<String> reviewers(long unitReviewId) {
        return repository.unit(unitReviewId).flatMap(u -> units.find(u.businessUnitId()))
                .map(u -> u.managers().stream().sorted().toList()).orElse(List.of());
    }

    public Date deadline(long campaignId) {
        return Date.from(repository.campaign(campaignId).orElseThrow().deadline());
    }

    /** When the reminder is due: {@code portal.reviews.reminder-before} ahead of the deadline (now, if past). */
    public Date reminderAt(long campaignId) {
        Instant at = repository.campaign(campaignId).orElseThrow().deadline().minus(properties.reminderBefore());
        Instant now = clock.instant();
        return Date.from(at.isBefore(now) ? now : at);
    }

    /** Reminds the managers of a unit whose review is still open (once per review). */
    public void remind(long unitReviewId) {
        transactions.executeWithoutResult(status -> {
            ReviewRecords.UnitReview review = repository.unit(unitReviewId).orElseThrow();
            if (!review.open() || review.remindedAt() != null) {
                return;
            }
            repository.reminded(unitReviewId, clock.instant());
            notifier.notify(reviewers(unitReviewId), texts.text("review.notify.reminder.title", review.unitName()),
                    texts.text("review.notify.reminder.body", review.unitName(), review.total() - review.decided(),
                            day(review.deadline())), "reviews/" + unitReviewId);
        });
    }

    /**
     * The deadline passed with applications undecided: each is recorded MISSED and audited, its working keys
     * disabled when the campaign says {@link OnMissed#DISABLE}, and its owner and the unit's managers told. Each
     * application in its own transaction, after AWS said yes: a failure (AWS not answering) is thrown for the engine
     * to retry, and the retry skips what is done.
     * <p>
     * The step checks for itself, as every step that touches AWS: nothing happens unless the unit's review is still
     * open and its deadline has passed (a timer fired more than a minute early is refused, for the engine's retry and
     * incident), and each
     * application's row is locked and read again before its keys are disabled, so a manager's decision that came
     * first wins and one that comes after is refused ("decided by access-review").
     */
    public void missed(long unitReviewId) {
        ReviewRecords.UnitReview review = repository.unit(unitReviewId).orElseThrow();
        if (!review.open()) {
            return; // completed by the last decision, or finished by an earlier attempt of this step
        }
        if (TimerDue.early(clock.instant(), review.deadline())) {
            throw new IllegalStateException("Unit review " + unitReviewId + " is open until " + review.deadline()
                    + ": nothing is missed before its deadline");
        }
        ReviewRecords.Campaign campaign = repository.campaign(review.campaignId()).orElseThrow();
        List<String> managers = reviewers(unitReviewId);
        boolean disable = campaign.onMissed() == OnMissed.DISABLE;
        String reason = texts.text("review.missed.reason", campaign.id());
        List<Long> held = new ArrayList<>();
        for (ReviewRecords.Item listed : repository.items(unitReviewId)) {
            if (listed.decision() != null) {
                continue;
            }
            ownTransactions.executeWithoutResult(status -> {
                Optional<ReviewRecords.Item> undecided = repository.lockUndecided(listed.id());
                if (undecided.isEmpty()) {
                    return; // decided since the list was read
                }
                if (undecided.get().revokeUnderWay(clock.instant().minus(REVOKE_HOLDS))) {
                    held.add(listed.id()); // a manager's revoke, begun before the deadline, is under way
                    return;
                }
                int disabled = 0;
                boolean suspended = false;
                if (disable) {
                    for (ApiKey key : keys.workingOfApplication(listed.applicationId())) {
                        if (keyActions.disableBySystem(key.id(), ACTOR, reason).isPresent()) {
                            disabled++;
                        }
                    }
                    // 12-hour keys have no key to disable: issuing them is suspended, earlier sessions refused.
                    suspended = suspensions.suspend(listed.applicationId(), ACTOR, reason);
                }
                String outcome = disable ? "key(s) disabled: " + disabled + (suspended ? "; 12-hour keys suspended"
                        : "") : "flagged";
                if (!repository.decide(listed.id(), Decision.MISSED, outcome, ACTOR, clock.instant(),
                        clock.instant().minus(REVOKE_HOLDS), null)) {
                    throw new IllegalStateException("Review item " + listed.id() + " was decided under its lock");
                }
                Application app = applications.load(listed.applicationId());
                audit.record(ACTOR, AUDIT_MISSED, "application:" + app.id(), "campaign " + campaign.id() + ", unit "
                        + review.unitName() + ", not attested by the deadline; " + outcome);
                Set<String> told = new LinkedHashSet<>(managers);
                told.add(app.owner());
                notifier.notify(told, texts.text("review.notify.missed.title", app.displayName()),
                        texts.text(disable ? "review.notify.missed.disabled" : "review.notify.missed.flagged",
                                app.displayName(), review.unitName(), campaign.id()),
                        "applications/" + app.id());
            });
        }
        if (!held.isEmpty()) {
            // The engine's retry comes back when the revoke has been recorded, or has stopped and let the item go.
            throw new IllegalStateException("Review items " + held + " are being revoked by a manager; the missed "
                    + "deadline is handled for them once that ends");
        }
        ownTransactions.executeWithoutResult(status -> repository.finishUnit(unitReviewId, UnitStatus.MISSED,
                clock.instant()));
    }

    // --- reviewers

    /** The open unit reviews the user reviews: as a manager of the unit, or (security) all. */
    @RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    public List<ReviewRecords.UnitReview> openReviews() {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        return repository.openUnits().stream().filter(u -> mayReview(me, u)).toList();
    }

    /**
     * The open unit reviews waiting for the user as a manager of the unit: for the home page's count, where security's
     * view of every unit is not "waiting for you" (a person who is both counts only the units they manage).
     */
    @RolesAllowed(PortalRole.MANAGER_ROLE)
    public List<ReviewRecords.UnitReview> openReviewsToDecide() {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        return repository.openUnits().stream().filter(u -> managerOf(me, u)).toList();
    }

    /** A unit's review page, if the user reviews the unit (else empty, audited as denied). */
    @RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    public Optional<UnitPage> unitPage(long unitReviewId) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Optional<ReviewRecords.UnitReview> review = repository.unit(unitReviewId);
        if (review.isEmpty() || !mayReview(me, review.get())) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), "access-review-unit:" + unitReviewId));
            return Optional.empty();
        }
        YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        var byId = catalog.byId();
        // Every row's application, newest working key, use and spend in a few queries for the whole page (before,
        // about nine per application, each figure checking the application's visibility again).
        List<ReviewRecords.Item> items = repository.items(unitReviewId);
        List<Long> ids = items.stream().map(ReviewRecords.Item::applicationId).toList();
        Map<Long, Application> apps = applications.loadAll(ids);
        Map<Long, ApiKey> newest = new HashMap<>();
        for (ApiKeys.OfApplication k : keys.workingOfApplications(ids)) {
            newest.putIfAbsent(k.applicationId(), k.key()); // newest first within each application
        }
        Map<Long, UsageFigures.Recent> recent = usage.recent(apps.values(), month);
        List<Row> rows = new ArrayList<>();
        for (ReviewRecords.Item item : items) {
            Application app = apps.get(item.applicationId());
            UsageFigures.Recent figures = recent.getOrDefault(app.id(), UsageFigures.Recent.NONE);
            rows.add(new Row(item, app, ModelCatalog.names(byId, app.access().models()), newest.get(app.id()),
                    figures.lastUsedAt(), figures.spendUsd(), figures.previousSpendUsd(),
                    !me.username().equals(app.owner())));
        }
        return Optional.of(new UnitPage(review.get(), rows, Set.copyOf(reviewers(unitReviewId))));
    }

    /**
     * Decides on one application. {@code comment}: optional for keep and reduce, the reason (required) for revoke.
     * Refused ({@link FieldErrors} on "comment", or {@link Refused}) with nothing changed when the user may not
     * review the unit, owns the application and would attest it, the review is over, the application was decided
     * already, or the text is missing or too long.
     */
    @RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    public Decision decide(long itemId, Decision decision, String comment) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        if (decision == null || decision == Decision.MISSED) {
            throw new Refused(texts.text("review.refused.decision"));
        }
        String text = comment == null ? "" : comment.strip();
        if (text.length() > MAX_COMMENT) {
            throw FieldErrors.of("comment", texts.text("review.comment.long", MAX_COMMENT));
        }
        if (decision == Decision.REVOKE && text.isEmpty()) {
            throw FieldErrors.of("comment", texts.text("review.reason.required"));
        }
        ReviewRecords.Item item = repository.item(itemId).orElseThrow(() -> denied(me, itemId));
        ReviewRecords.UnitReview review = repository.unit(item.unitReviewId()).orElseThrow(() -> denied(me, itemId));
        if (!mayReview(me, review)) {
            throw denied(me, itemId);
        }
        if (!review.open()) {
            throw new Refused(texts.text("review.refused.over"));
        }
        if (item.decision() != null) {
            throw new Refused(texts.text("review.refused.decided", item.decidedBy()));
        }
        Application app = applications.load(item.applicationId());
        if (decision == Decision.KEEP && me.username().equals(app.owner())) {
            throw new Refused(texts.text("review.refused.ownApplication"));
        }
        Instant staleBefore = clock.instant().minus(REVOKE_HOLDS);
        // A revoke holds the item first, so that a Keep while its keys go (another manager's, or the same manager's
        // in another tab) is refused rather than recorded over keys already revoked.
        String token = decision != Decision.REVOKE ? null : claimRevoke(itemId, me, staleBefore);
        boolean recorded = false;
        try {
            if (decision == Decision.REVOKE) {
                // Each key through the usual revoke (AWS first, its own transaction, audited, owner told); a failure
                // stops here with the decision not recorded, so trying again revokes what is left. An application
                // with 12-hour keys has none: issuing them is suspended and the sessions issued before are refused.
                for (ApiKey key : keys.ofApplication(app.id())) {
                    if (key.status().live()) {
                        try {
                            keyActions.revoke(key.id(), texts.text("review.revoke.reason", review.campaignId(),
                                    text));
                        } catch (KeyActions.Refused | KeyActions.CloudFailed e) {
                            throw new Refused(e.getMessage());
                        }
                        if (!Boolean.TRUE.equals(transactions.execute(status -> repository.renewRevoke(itemId, token,
                                clock.instant())))) {
                            throw taken(itemId, staleBefore); // held so long that it lapsed and was taken over
                        }
                    }
                }
            }
            transactions.executeWithoutResult(status -> {
                if (decision == Decision.REVOKE && app.shortTermOnly()) {
                    // Under the item's lock, in the decision's transaction: a decision that came first wins and no
                    // suspension is left behind by a decision that was refused.
                    if (repository.lockUndecided(itemId).isEmpty()) {
                        throw taken(itemId, staleBefore);
                    }
                    suspensions.suspend(app.id(), me.username(), texts.text("review.revoke.reason",
                            review.campaignId(), text));
                }
                record(itemId, decision, text, me, review, app, staleBefore, token);
            });
            recorded = true;
        } catch (CloudException e) {
            throw new Refused(texts.text("keyaction.aws.transient"));
        } finally {
            if (!recorded && token != null) {
                // A revoke that stopped before its decision was recorded no longer holds the item.
                transactions.executeWithoutResult(status -> repository.releaseRevoke(itemId, token));
            }
        }
        return decision;
    }

    /** The revoke's hold on the item (committed at once), or the refusal when it is decided or held already. */
    private String claimRevoke(long itemId, CurrentUser.Principal me, Instant staleBefore) {
        Optional<String> token = transactions.execute(status -> repository.claimRevoke(itemId, me.username(),
                clock.instant(), staleBefore));
        if (token == null || token.isEmpty()) {
            throw taken(itemId, staleBefore);
        }
        return token.get();
    }

    /** The refusal when the item is decided already, or a revoke is under way (whose it says). */
    private Refused taken(long itemId, Instant staleBefore) {
        ReviewRecords.Item now = repository.item(itemId).orElseThrow();
        return now.decision() == null && now.revokeUnderWay(staleBefore)
                ? new Refused(texts.text("review.refused.revoking", now.revokingBy()))
                : new Refused(texts.text("review.refused.decided", now.decidedBy() == null ? "?" : now.decidedBy()));
    }

    /**
     * Records the decision, audited, the owner told of a reduction, the unit's review completed by its last one.
     * {@code revokeToken}: the revoke's hold, which must still be its own (null for the other decisions).
     */
    private void record(long itemId, Decision decision, String text, CurrentUser.Principal me,
            ReviewRecords.UnitReview review, Application app, Instant staleBefore, String revokeToken) {
        Instant now = clock.instant();
        if (!repository.decide(itemId, decision, text.isEmpty() ? null : text, me.username(), now, staleBefore,
                revokeToken)) {
            throw taken(itemId, staleBefore);
        }
        audit.record(me.username(), switch (decision) {
            case KEEP -> AUDIT_KEPT;
            case REDUCE -> AUDIT_REDUCED;
            default -> AUDIT_REVOKED;
        }, "application:" + app.id(), "campaign " + review.campaignId() + ", unit " + review.unitName()
                + (text.isEmpty() ? "" : (decision == Decision.REVOKE ? ", reason: " : ", comment: ") + text));
        if (decision == Decision.REDUCE && !me.username().equals(app.owner())) {
            notifier.notify(List.of(app.owner()), texts.text("review.notify.reduce.title", app.displayName()),
                    texts.text("review.notify.reduce.body", app.displayName(), me.username(),
                            text.isEmpty() ? "-" : text), "applications/" + app.id());
        }
        ReviewRecords.UnitReview after = repository.unit(review.id()).orElseThrow();
        if (after.decided() == after.total() && repository.finishUnit(review.id(), UnitStatus.COMPLETED, now)) {
            events.publishEvent(new UnitReviewDone(review.campaignId(), review.id()));
        }
    }

    // --- security's campaign page

    /** The latest campaigns, newest first. */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    public List<ReviewRecords.Campaign> campaigns() {
        return repository.campaigns(MAX_CAMPAIGNS_LISTED);
    }

    /** A campaign's progress per unit, reviewers, and every decision. */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    public Optional<Overview> overview(long campaignId) {
        return repository.campaign(campaignId).map(c -> {
            Instant now = clock.instant();
            List<ReviewRecords.UnitReview> unitReviews = repository.unitsOf(campaignId);
            List<UnitLine> lines = unitReviews.stream().map(u -> new UnitLine(u, Set.copyOf(reviewers(u.id())),
                    u.status() == UnitStatus.MISSED || u.open() && now.isAfter(u.deadline()))).toList();
            Map<Long, ReviewRecords.UnitReview> byId = unitReviews.stream()
                    .collect(Collectors.toMap(ReviewRecords.UnitReview::id, Function.identity()));
            List<ReviewRecords.Item> items = repository.itemsOfCampaign(campaignId);
            // The applications' names in a statement per thousand, not one per item.
            Map<Long, String> names = applications.displayNames(items.stream()
                    .map(ReviewRecords.Item::applicationId).toList());
            List<DecisionLine> decisions = items.stream().map(i -> new DecisionLine(
                    byId.get(i.unitReviewId()).unitName(), i.applicationId(), names.getOrDefault(i.applicationId(),
                            "#" + i.applicationId()), i.owner(), i.decision(), i.comment(), i.decidedBy(),
                    i.decidedAt())).toList();
            return new Overview(c, lines, decisions);
        });
    }

    /** The campaign's decisions as CSV (UTF-8): unit, application, owner, decision, comment, by, at (UTC). */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    public void exportCsv(long campaignId, OutputStream out) throws IOException {
        Overview o = overview(campaignId).orElseThrow(() -> new Refused(texts.text("review.refused.noCampaign")));
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try (CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("campaign", "unit",
                "application_id", "application", "owner", "decision", "comment", "decided_by", "decided_at")
                .get())) {
            for (DecisionLine d : o.decisions()) {
                // Names, owners and comments are typed by people: never run as a formula in a spreadsheet.
                csv.printRecord(campaignId, SpreadsheetCells.defuse(d.unit()), d.applicationId(),
                        SpreadsheetCells.defuse(d.application()), SpreadsheetCells.defuse(d.owner()),
                        d.decision() == null ? "PENDING" : d.decision().name(), SpreadsheetCells.defuse(d.comment()),
                        SpreadsheetCells.defuse(d.decidedBy()),
                        d.decidedAt() == null ? null : d.decidedAt().toString());
            }
        }
    }

    private boolean mayReview(CurrentUser.Principal me, ReviewRecords.UnitReview review) {
        return me.has(PortalRole.SECURITY) || managerOf(me, review);
    }

    private boolean managerOf(CurrentUser.Principal me, ReviewRecords.UnitReview review) {
        return me.has(PortalRole.MANAGER) && units.find(review.businessUnitId())
                .map(u -> u.managers().contains(me.username())).orElse(false);
    }

    private Refused denied(CurrentUser.Principal me, long itemId) {
        events.publishEvent(new SecurityEvents.AccessDenied(me.username(), "access-review-item:" + itemId));
        return new Refused(texts.text("review.refused.notAllowed"));
    }

    private static String day(Instant at) {
        return DAY.format(at.atOffset(ZoneOffset.UTC));
    }

    static String target(long campaignId) {
        return "access-review:" + campaignId;
    }
}
