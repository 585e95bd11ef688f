package com.bedrockportal.monitoring;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.provisioning.ApplicationSpend;
import com.bedrockportal.provisioning.BedrockCalls;
import com.bedrockportal.provisioning.BedrockCalls.BedrockCall;
import com.bedrockportal.provisioning.BudgetReadings;
import com.bedrockportal.provisioning.BudgetReadings.BudgetReading;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.shared.ClusterRuns;
import com.bedrockportal.shared.IpRanges;
import com.bedrockportal.shared.Totals;

import jakarta.annotation.security.RolesAllowed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The usage collection: every {@code portal.usage.interval} (while {@code portal.usage.enabled}) and on "Refresh
 * now", for every ACTIVE application (at most {@code portal.usage.max-applications}, counted before any AWS look-up)
 * it reads
 * <ul>
 * <li>the Bedrock runtime calls of its IAM user over {@code portal.usage.window} (CloudTrail, {@link BedrockCalls}):
 * calls per UTC day, refused ones ({@code AccessDenied*}), calls from outside the application's approved ranges,
 * tokens where the source tells them, the last call and the last accepted one, the distinct source addresses, and the
 * notable calls themselves (refused, from outside);</li>
 * <li>Amazon Bedrock's daily cost of every application at once — one Cost Explorer report grouped by the unit and
 * application cost-allocation tags ({@link ApplicationSpend});</li>
 * <li>each application budget and each unit-wide budget ({@code DescribeBudget}, {@link BudgetReadings}): limit,
 * actual and forecast of the month;</li>
 * </ul>
 * and writes them to usage_day, usage_summary, usage_event and spend_month ({@link UsageStore}): one transaction per
 * application or budget, none open while AWS answers, idempotent. A failure for one application records the error on
 * its rows and the run goes on. After the run {@link UsageCollected} is published.
 * <p>
 * Once per interval across portal nodes: a scheduled run first claims its interval's slot in
 * {@code usage_collection_run}; a second node's insert fails on the key and it skips (as the expiry watch claims each
 * reminder). One run at a time per node.
 */
@Service
public class UsageCollection {

    /** Audited for "Refresh now". */
    public static final String AUDIT_REFRESHED = "USAGE_REFRESHED";
    /** Who the scheduled run acts as. */
    public static final String SCHEDULE = "usage-schedule";
    /** The unit-wide budget's alert threshold (the application module sets it so, {@code UnitBudgets}). */
    static final int UNIT_ALERT_THRESHOLD = 80;
    static final String DENIED = "DENIED";
    static final String OUTSIDE_RANGE = "OUTSIDE_RANGE";
    private static final DateTimeFormatter PERIOD = DateTimeFormatter.ofPattern("yyyy-MM");
    private static final Logger log = LoggerFactory.getLogger(UsageCollection.class);

    /**
     * What one run did. {@code ran} false when it did not run (another node had the interval, or a run was going on
     * here); {@code skipped}: active applications over the cap.
     */
    public record Outcome(boolean ran, Instant at, int applications, int failures, int skipped) {

        static Outcome notRun(Instant at) {
            return new Outcome(false, at, 0, 0, 0);
        }
    }

    private final ApplicationService applications;
    private final BusinessUnitService units;
    private final BedrockCalls calls;
    private final ApplicationSpend spend;
    private final BudgetReadings budgets;
    private final UsageStore store;
    private final UsageProperties properties;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ClusterRuns cluster;

    UsageCollection(ApplicationService applications, BusinessUnitService units, BedrockCalls calls,
            ApplicationSpend spend, BudgetReadings budgets, UsageStore store, UsageProperties properties,
            AuditLog audit, ApplicationEventPublisher events, PlatformTransactionManager transactionManager,
            Clock clock, ClusterRuns cluster) {
        this.cluster = cluster;
        this.applications = applications;
        this.units = units;
        this.calls = calls;
        this.spend = spend;
        this.budgets = budgets;
        this.store = store;
        this.properties = properties;
        this.audit = audit;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** The scheduled run: once per interval across nodes. */
    @Scheduled(fixedDelayString = "${portal.usage.interval:PT15M}",
            initialDelayString = "${portal.usage.initial-delay:PT1M}")
    void scheduledRun() {
        if (!properties.enabled()) {
            return;
        }
        try {
            Outcome o = collect(SCHEDULE, scheduledSlot(clock.instant()));
            if (o.ran()) {
                log.info("Usage collected: {} application(s), {} failed, {} over the cap", o.applications(),
                        o.failures(), o.skipped());
            }
        } catch (RuntimeException e) {
            // The database unreachable: the next interval tries again; each application's rows are whole.
            log.warn("Usage collection failed: {}", e.getMessage());
        }
    }

    /**
     * "Refresh now" (security and admins): one run at once, whatever the schedule did; audited. Returns what it did
     * ({@code ran} false when a run is already going on on this node: its figures arrive shortly).
     */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    public Outcome collectNow(String by) {
        Outcome o = collect(by, "M-" + UUID.randomUUID());
        transactions.executeWithoutResult(status -> audit.record(by, AUDIT_REFRESHED, "usage", o.ran()
                ? "usage and spend refreshed: " + o.applications() + " application(s), " + o.failures()
                        + " failed, " + o.skipped() + " over the cap of " + properties.maxApplications()
                : "usage and spend refresh asked while a run was going on"));
        return o;
    }

    /** How often the schedule runs ({@code portal.usage.interval}), for the views. */
    public java.time.Duration interval() {
        return properties.interval();
    }

    /** How far back calls are counted ({@code portal.usage.window}), for the views. */
    public java.time.Duration window() {
        return properties.window();
    }

    /** The slot of a scheduled run at {@code at}: its interval, the same on every node. */
    String scheduledSlot(Instant at) {
        long seconds = properties.interval().toSeconds();
        return "S-" + seconds + "-" + Math.floorDiv(at.getEpochSecond(), seconds);
    }

    /**
     * One run under {@code slot}; not run when the slot is taken, or a run is going on here or on another node (a run
     * of many applications can outlast its interval: the next slot's run on another node would ask AWS at the same
     * time, past LookupEvents' rate).
     */
    Outcome collect(String by, String slot) {
        Instant now = clock.instant();
        return cluster.exclusively("usage", longest(), null, () -> {
            try {
                store.claim(slot, by, now);
            } catch (DuplicateKeyException taken) {
                return Outcome.notRun(now);
            }
            return run(slot, now);
        }).orElseGet(() -> Outcome.notRun(now));
    }

    /**
     * The longest a run holds the cluster's lease: four intervals, at least two hours (a node gone gives it up after
     * one heartbeat, {@link ClusterRuns#HEARTBEAT}; a run that hangs, after this).
     */
    java.time.Duration longest() {
        java.time.Duration four = properties.interval().multipliedBy(4);
        return four.compareTo(java.time.Duration.ofHours(2)) > 0 ? four : java.time.Duration.ofHours(2);
    }

    private Outcome run(String slot, Instant now) {
        // Cap first, in SQL: the oldest max-applications active applications are read, the others only counted;
        // nothing is asked of AWS for them.
        List<Application> apps = applications.activeAfter(0, properties.maxApplications());
        int active = Totals.of(apps, properties.maxApplications(), applications::countActive);
        int skipped = Math.max(0, active - apps.size());
        if (skipped > 0) {
            log.warn("Usage collection: {} active applications, {} collected (portal.usage.max-applications)",
                    active, apps.size());
        }
        Map<Long, BusinessUnit> unitsById = new LinkedHashMap<>();
        for (Application a : apps) {
            unitsById.computeIfAbsent(a.businessUnitId(), id -> units.find(id).orElse(null));
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate firstDay = today.minusDays(properties.windowDays() - 1L);
        Instant from = firstDay.atStartOfDay().toInstant(ZoneOffset.UTC);
        LocalDate monthStart = today.withDayOfMonth(1);
        String period = PERIOD.format(today);

        Map<List<String>, Map<LocalDate, BigDecimal>> costs = null;
        String spendError = null;
        if (!apps.isEmpty()) {
            try {
                ApplicationSpend.Report report = spend.dailyByApplication(
                        firstDay.isBefore(monthStart) ? firstDay : monthStart, today.plusDays(1),
                        properties.maxCostGroups());
                costs = new HashMap<>();
                for (ApplicationSpend.TaggedSpend row : report.rows()) {
                    costs.computeIfAbsent(List.of(row.businessUnitTag(), row.applicationTag()), k -> new TreeMap<>())
                            .merge(row.day(), row.amountUsd(), BigDecimal::add);
                }
                if (report.truncated()) {
                    log.warn("Cost Explorer report cut at {} groups (portal.usage.max-cost-groups)",
                            properties.maxCostGroups());
                }
            } catch (CloudException e) {
                spendError = "Cost Explorer: " + e.getMessage();
                log.warn("Usage collection: spend could not be read: {}", e.getMessage());
            }
        }

        int failures = 0;
        for (Application app : apps) {
            BusinessUnit unit = unitsById.get(app.businessUnitId());
            Map<LocalDate, BigDecimal> appCosts = costs == null ? null
                    : unit == null ? Map.of() : costs.getOrDefault(List.of(unit.slug(), app.slug()), Map.of());
            boolean failed = false;
            try {
                store.writeUsage(usage(app, appCosts, spendError, from, firstDay, today, now));
            } catch (CloudException e) {
                failed = true;
                log.warn("Usage of application {} could not be read: {}", app.id(), e.getMessage());
                store.writeUsageError(app.id(), now, from, "CloudTrail: " + e.getMessage());
            }
            failed |= !writeApplicationSpend(app, appCosts, spendError, monthStart, period, now);
            if (failed) {
                failures++;
            }
        }
        for (BusinessUnit unit : unitsById.values()) {
            if (unit != null && !unit.archived()) {
                writeBudget("UNIT", unit.id(), unit.id(), ApplicationNames.unitBudget(unit.slug()),
                        unit.defaultMonthlyBudget(), UNIT_ALERT_THRESHOLD, null, period, now);
            }
        }
        int collected = apps.size();
        int failed = failures;
        transactions.executeWithoutResult(status -> {
            store.finish(slot, clock.instant(), collected, failed, skipped);
            // Inside the transaction: the listeners (after commit) see the run's rows.
            events.publishEvent(new UsageCollected(now, collected, failed));
        });
        return new Outcome(true, now, collected, failed, skipped);
    }

    /** What the application's calls in the window say, day by day. */
    private UsageStore.AppUsage usage(Application app, Map<LocalDate, BigDecimal> costs, String spendError,
            Instant from, LocalDate firstDay, LocalDate today, Instant now) {
        BedrockCalls.Calls read = calls.callsOfUser(app.names().iamUser(), from, now, properties.maxCalls());
        List<String> ranges = app.access() == null || app.access().sourceCidrs() == null ? List.of()
                : app.access().sourceCidrs().stream().filter(c -> !c.isBlank()).toList();
        Map<LocalDate, long[]> days = new TreeMap<>();
        for (LocalDate d = firstDay; !d.isAfter(today); d = d.plusDays(1)) {
            days.put(d, new long[5]);
        }
        Instant lastUsed = null;
        Instant lastCall = null;
        Set<String> ips = new LinkedHashSet<>();
        List<UsageStore.Notable> notable = new ArrayList<>();
        for (BedrockCall c : read.calls()) {
            long[] day = days.get(LocalDate.ofInstant(c.time(), ZoneOffset.UTC));
            if (day == null) {
                continue;
            }
            boolean outside = !ranges.isEmpty() && c.sourceIp() != null && !IpRanges.inAny(ranges, c.sourceIp());
            day[0]++;
            day[1] += c.denied() ? 1 : 0;
            day[2] += outside ? 1 : 0;
            day[3] += c.inputTokens() == null ? 0 : c.inputTokens();
            day[4] += c.outputTokens() == null ? 0 : c.outputTokens();
            lastCall = lastCall == null || c.time().isAfter(lastCall) ? c.time() : lastCall;
            if (c.errorCode() == null && (lastUsed == null || c.time().isAfter(lastUsed))) {
                lastUsed = c.time();
            }
            if (c.sourceIp() != null) {
                ips.add(c.sourceIp());
            }
            if ((outside || c.denied()) && notable.size() < properties.maxEvents()) {
                notable.add(new UsageStore.Notable(c.eventId(), c.time(), outside ? OUTSIDE_RANGE : DENIED,
                        c.eventName(), c.sourceIp(), c.region(), c.errorCode(), c.credentialId()));
            }
        }
        List<UsageStore.Day> rows = new ArrayList<>();
        days.forEach((d, n) -> rows.add(new UsageStore.Day(d, (int) n[0], (int) n[1], (int) n[2], n[3], n[4],
                costs == null ? null : costs.getOrDefault(d, BigDecimal.ZERO))));
        if (read.truncated()) {
            log.info("Application {}: calls cut at {} (portal.usage.max-calls)", app.id(), properties.maxCalls());
        }
        return new UsageStore.AppUsage(app.id(), now, from, rows, lastUsed, lastCall, String.join(",", ips),
                read.calls().size(), notable, spendError);
    }

    /** The application's month: its budget as AWS Budgets reads it, else Cost Explorer's sum. False on a failure. */
    private boolean writeApplicationSpend(Application app, Map<LocalDate, BigDecimal> costs, String spendError,
            LocalDate monthStart, String period, Instant now) {
        BigDecimal explored = costs == null ? null : costs.entrySet().stream()
                .filter(e -> !e.getKey().isBefore(monthStart)).map(Map.Entry::getValue)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal approved = app.access() == null ? null : app.access().monthlyBudget();
        Integer threshold = app.access() == null ? null : app.access().alertThreshold();
        if (app.names().budgetName() == null) {
            store.writeSpend(new UsageStore.MonthSpend("APPLICATION", app.id(), period, app.businessUnitId(), null,
                    approved, explored, null, threshold, now, explored == null ? spendError : null));
            return explored != null;
        }
        return writeBudget("APPLICATION", app.id(), app.businessUnitId(), app.names().budgetName(), approved,
                threshold, explored, period, now);
    }

    /** One budget's month into spend_month; false when AWS could not be read. */
    private boolean writeBudget(String scope, long scopeId, long unitId, String budgetName, BigDecimal approved,
            Integer threshold, BigDecimal explored, String period, Instant now) {
        try {
            Optional<BudgetReading> reading = budgets.reading(budgetName);
            if (reading.isEmpty()) {
                store.writeSpend(new UsageStore.MonthSpend(scope, scopeId, period, unitId, budgetName, approved,
                        explored, null, threshold, now, explored == null
                                ? "the budget " + budgetName + " is not in AWS Budgets" : null));
                return true;
            }
            BudgetReading r = reading.get();
            BigDecimal[] month = month(r.actualUsd(), r.forecastUsd(), explored, now);
            store.writeSpend(new UsageStore.MonthSpend(scope, scopeId, period, unitId, budgetName,
                    r.limitUsd() != null ? r.limitUsd() : approved, month[0], month[1], threshold, now, null));
            return true;
        } catch (CloudException e) {
            log.warn("Budget {} could not be read: {}", budgetName, e.getMessage());
            store.writeSpend(new UsageStore.MonthSpend(scope, scopeId, period, unitId, budgetName, null, null, null,
                    threshold, now, "AWS Budgets: " + e.getMessage()));
            return false;
        }
    }

    /**
     * The month's actual spend and forecast, from the budget's reading and Cost Explorer's month so far
     * ({@code explored}, null when unknown). AWS Budgets may not see IAM-principal cost-allocation tags (Cost Explorer
     * does; see README "Usage and spend"): when Cost Explorer's month is the larger, it is the truth, and the budget's
     * forecast (built on what the budget saw) is replaced by the month so far extended to the whole month.
     */
    static BigDecimal[] month(BigDecimal budgetActual, BigDecimal budgetForecast, BigDecimal explored, Instant now) {
        BigDecimal cents = explored == null ? null : explored.setScale(2, RoundingMode.HALF_UP);
        if (cents != null && (budgetActual == null || budgetActual.compareTo(cents) < 0)) {
            return new BigDecimal[] { cents, wholeMonth(cents, now) };
        }
        return new BigDecimal[] { budgetActual, budgetForecast };
    }

    /** The month so far extended to the whole month at its average day (UTC). */
    static BigDecimal wholeMonth(BigDecimal monthToDate, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return monthToDate.multiply(BigDecimal.valueOf(today.lengthOfMonth()))
                .divide(BigDecimal.valueOf(today.getDayOfMonth()), 2, RoundingMode.HALF_UP);
    }
}
