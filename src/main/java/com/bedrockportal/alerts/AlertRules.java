package com.bedrockportal.alerts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.bedrockportal.alerts.Alert.Rule;
import com.bedrockportal.alerts.Alert.Severity;
import com.bedrockportal.shared.FormValidation;

/**
 * The alert rules as pure functions: figures in, conditions ({@link Finding}) out, no database and no clock, so each
 * rule's boundary is unit-tested. {@link #decide} is the de-duplication: what a condition does to the open or last
 * closed alert of the same fingerprint.
 * <p>
 * <b>Materially worse</b> — when a condition whose alert was dismissed or acted on raises a new alert within
 * {@code portal.alerts.quiet-after-close} ({@link #materiallyWorse}): spend, when the month's actual spend rose by
 * {@code worse-by-points} points of the budget or more, or crossed 100 % of it; an AccessDenied burst, when a window
 * now holds {@code worse-factor} times the refused calls the closed alert showed; calls from outside the ranges, when
 * they come from an address the closed alert did not list, or number {@code worse-factor} times as many; an unused
 * key and a resource created outside the portal never (they are facts, not amounts: the same key or finding stays
 * quiet; a new finding is a new condition). After the quiet period the condition raises a new alert as any other.
 */
final class AlertRules {

    /** Evidence lists at most this many events (the count says how many there were). */
    static final int MAX_EVIDENCE_EVENTS = 10;
    /** The longest evidence text stored (the column's size). */
    static final int MAX_EVIDENCE = 4000;
    /** The most source addresses an alert remembers for "materially worse". */
    static final int MAX_MARKS = 20;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    /** A condition one rule found now. {@code marks}: the source addresses, for outside-range calls. */
    record Finding(Rule rule, Severity severity, String fingerprint, Long applicationId, Long businessUnitId,
            Long keyId, String title, String evidence, long measure, Set<String> marks, Instant firstSeen,
            Instant lastSeen) {
    }

    /** A spend_month row of the current month. */
    record SpendRow(String scope, long scopeId, String period, long businessUnitId, Long applicationId,
            String application, String businessUnit, String budgetName, BigDecimal budget, BigDecimal actual, BigDecimal forecast,
            Integer threshold, Instant refreshedAt) {
    }

    /** A notable call (usage_event) with its application; {@code keyId} when its credential is a portal key. */
    record Event(String eventId, long applicationId, String application, long businessUnitId, Instant time,
            String eventName, String sourceIp, String region, String errorCode, String credentialId, Long keyId) {
    }

    /** An active key with its application's last use as the usage collection last saw it. */
    record KeyUse(long keyId, String keyPrefix, long applicationId, String application, long businessUnitId,
            Instant createdAt, Instant lastUsedAt, Instant windowFrom, Instant refreshedAt) {
    }

    /** An open drift finding of a key or IAM user created outside the portal. */
    record CreatedOutside(long findingId, String kind, String kindLabel, Long applicationId, String application,
            Long businessUnitId, String iamUser, String resource, String detail, Instant firstSeen,
            Instant lastSeen) {
    }

    /** What a condition does to the alerts of its fingerprint. */
    enum Decision {
        /** No alert of it is open, and none closed recently (or it got materially worse): raise one. */
        RAISE,
        /** Its open alert gets newer evidence: occurrences + 1, last seen, evidence. */
        UPDATE,
        /** Its open alert already shows this evidence: nothing changes (evaluating twice changes nothing). */
        UNCHANGED,
        /** Dismissed or acted on within the quiet period and not materially worse: stays closed. */
        QUIET
    }

    private final AlertsProperties.Rules rules;
    private final FormValidation texts;

    AlertRules(AlertsProperties.Rules rules, FormValidation texts) {
        this.rules = rules;
        this.texts = texts;
    }

    // --- spend

    /**
     * A budget whose month-to-date actual spend is over its alert threshold (strictly, as AWS Budgets' "greater
     * than"), or whose forecast is over 100 % of it. Rows AWS could not answer (error, no budget) are skipped.
     */
    List<Finding> spend(List<SpendRow> rows) {
        AlertsProperties.Spend rule = rules.spend();
        List<Finding> found = new ArrayList<>();
        if (!rule.enabled()) {
            return found;
        }
        for (SpendRow r : rows) {
            if (r.budget() == null || r.budget().signum() <= 0 || r.actual() == null) {
                continue;
            }
            int threshold = r.threshold() == null ? rule.defaultThreshold() : r.threshold();
            BigDecimal limit = r.budget().multiply(BigDecimal.valueOf(threshold)).divide(BigDecimal.valueOf(100));
            boolean overThreshold = r.actual().compareTo(limit) > 0;
            boolean forecastOver = r.forecast() != null && r.forecast().compareTo(r.budget()) > 0;
            if (!overThreshold && !forecastOver) {
                continue;
            }
            long actualPercent = percent(r.actual(), r.budget());
            String forecast = r.forecast() == null ? "—" : usd(r.forecast()) + " (" + percent(r.forecast(), r.budget())
                    + " %)";
            String evidence = texts.text("alerts.evidence.spend", r.budgetName() == null ? "—" : r.budgetName(),
                    r.period(), usd(r.budget()), usd(r.actual()), actualPercent, forecast, threshold,
                    time(r.refreshedAt()));
            String subject = r.application() == null ? texts.text("alerts.subject.unit", r.businessUnit())
                    : texts.text("alerts.subject.application", r.application(), r.businessUnit());
            String title = overThreshold
                    ? texts.text("alerts.title.spend.actual", subject, actualPercent, threshold, r.period())
                    : texts.text("alerts.title.spend.forecast", subject, percent(r.forecast(), r.budget()), r.period());
            found.add(new Finding(Rule.SPEND_OVER_BUDGET, rule.severity(), Rule.SPEND_OVER_BUDGET + ":" + r.scope()
                    + ":" + r.scopeId() + ":" + r.period(), r.applicationId(), r.businessUnitId(), null, title,
                    evidence, actualPercent, Set.of(), r.refreshedAt(), r.refreshedAt()));
        }
        return found;
    }

    // --- AccessDenied burst

    /**
     * An application with at least {@code count} refused calls within {@code within} (inclusive: the first and the
     * last call of the window at most {@code within} apart). {@code events}: the refused calls of the lookback, any
     * order. The measure is the fullest window's count; the evidence shows that window.
     */
    List<Finding> deniedBursts(List<Event> events) {
        AlertsProperties.DeniedBurst rule = rules.deniedBurst();
        List<Finding> found = new ArrayList<>();
        if (!rule.enabled() || rule.count() < 1) {
            return found;
        }
        for (List<Event> calls : byApplication(events).values()) {
            int best = 0;
            int bestFrom = 0;
            int bestTo = -1;
            Instant newestTriggering = null;
            int from = 0;
            for (int to = 0; to < calls.size(); to++) {
                Instant end = calls.get(to).time();
                while (Duration.between(calls.get(from).time(), end).compareTo(rule.within()) > 0) {
                    from++;
                }
                int n = to - from + 1;
                if (n >= rule.count()) {
                    newestTriggering = end;
                }
                if (n > best) {
                    best = n;
                    bestFrom = from;
                    bestTo = to;
                }
            }
            if (newestTriggering == null) {
                continue;
            }
            List<Event> window = calls.subList(bestFrom, bestTo + 1);
            Event first = window.get(0);
            String evidence = texts.text("alerts.evidence.burst", best, rule.within().toMinutes(),
                    time(first.time()), time(window.get(window.size() - 1).time()), calls.size(),
                    distinct(window, Event::sourceIp), distinct(window, Event::errorCode)) + "\n" + lines(window);
            String title = texts.text("alerts.title.burst", first.application(), best, rule.within().toMinutes());
            found.add(new Finding(Rule.DENIED_BURST, rule.severity(), Rule.DENIED_BURST + ":app:"
                    + first.applicationId(), first.applicationId(), first.businessUnitId(), keyOf(window), title,
                    evidence, best, Set.of(), first.time(), newestTriggering));
        }
        return found;
    }

    // --- outside the IP ranges

    /** An application with at least {@code min-calls} calls from outside its ranges within the lookback. */
    List<Finding> outsideRange(List<Event> events) {
        AlertsProperties.OutsideRange rule = rules.outsideRange();
        List<Finding> found = new ArrayList<>();
        if (!rule.enabled()) {
            return found;
        }
        for (List<Event> calls : byApplication(events).values()) {
            if (calls.size() < Math.max(1, rule.minCalls())) {
                continue;
            }
            Event first = calls.get(0);
            Set<String> addresses = new TreeSet<>();
            calls.stream().map(Event::sourceIp).filter(ip -> ip != null && !ip.isBlank()).forEach(addresses::add);
            String evidence = texts.text("alerts.evidence.outside", calls.size(), time(first.time()),
                    time(calls.get(calls.size() - 1).time()), String.join(", ", limited(addresses, MAX_MARKS)))
                    + "\n" + lines(calls.subList(Math.max(0, calls.size() - MAX_EVIDENCE_EVENTS), calls.size()));
            String title = texts.text("alerts.title.outside", first.application(), calls.size(), addresses.size());
            found.add(new Finding(Rule.OUTSIDE_IP_RANGE, rule.severity(), Rule.OUTSIDE_IP_RANGE + ":app:"
                    + first.applicationId(), first.applicationId(), first.businessUnitId(), keyOf(calls), title,
                    evidence, calls.size(), limited(addresses, MAX_MARKS), first.time(),
                    calls.get(calls.size() - 1).time()));
        }
        return found;
    }

    // --- unused keys

    /**
     * An active key with no accepted call for {@code days} days, as far as the last look at its application's use
     * tells: quiet since the later of its creation and the application's last accepted call (or, when no call was
     * seen, the start of the window the look covered), up to that look. Measured up to the look, not to now: calls
     * after it are unknown.
     */
    List<Finding> unusedKeys(List<KeyUse> keys) {
        AlertsProperties.UnusedKey rule = rules.unusedKey();
        List<Finding> found = new ArrayList<>();
        if (!rule.enabled()) {
            return found;
        }
        for (KeyUse k : keys) {
            if (k.refreshedAt() == null) {
                continue;
            }
            Instant quietSince = k.createdAt();
            Instant seen = k.lastUsedAt() != null ? k.lastUsedAt() : k.windowFrom();
            if (seen != null && seen.isAfter(quietSince)) {
                quietSince = seen;
            }
            long days = Duration.between(quietSince, k.refreshedAt()).toDays();
            if (days < rule.days()) {
                continue;
            }
            String evidence = texts.text("alerts.evidence.unused", k.keyPrefix(), time(k.createdAt()),
                    k.lastUsedAt() == null ? "—" : time(k.lastUsedAt()), time(k.refreshedAt()), days);
            String title = texts.text("alerts.title.unused", k.keyPrefix(), k.application(), days);
            found.add(new Finding(Rule.KEY_UNUSED, rule.severity(), Rule.KEY_UNUSED + ":key:" + k.keyId(),
                    k.applicationId(), k.businessUnitId(), k.keyId(), title, evidence, days, Set.of(), quietSince,
                    k.refreshedAt()));
        }
        return found;
    }

    // --- created outside the portal

    /** Each open drift finding of a key or IAM user created outside the portal is one condition. */
    List<Finding> createdOutside(List<CreatedOutside> findings) {
        AlertsProperties.CreatedOutside rule = rules.createdOutside();
        List<Finding> found = new ArrayList<>();
        if (!rule.enabled()) {
            return found;
        }
        for (CreatedOutside f : findings) {
            String evidence = texts.text("alerts.evidence.outsidePortal", f.kindLabel(), f.iamUser(), f.resource(),
                    time(f.firstSeen()), time(f.lastSeen()), f.findingId(), f.detail());
            String title = texts.text("alerts.title.outsidePortal", f.kindLabel(), f.iamUser());
            found.add(new Finding(Rule.CREATED_OUTSIDE_PORTAL, rule.severity(), Rule.CREATED_OUTSIDE_PORTAL
                    + ":drift:" + f.findingId(), f.applicationId(), f.businessUnitId(), null, title, evidence, 1,
                    Set.of(), f.firstSeen(), f.lastSeen()));
        }
        return found;
    }

    // --- de-duplication

    /**
     * What {@code f} does, given the open alert of its fingerprint (null if none) and the last closed one (null if
     * none): update the open one when the evidence is newer, else nothing; stay quiet after a close within
     * {@code quiet} unless {@link #materiallyWorse}; otherwise raise.
     */
    Decision decide(Finding f, Alert open, Alert lastClosed, Instant now, Duration quiet) {
        if (open != null) {
            return f.lastSeen().isAfter(open.lastSeenAt()) ? Decision.UPDATE : Decision.UNCHANGED;
        }
        if (lastClosed != null && lastClosed.actedAt() != null
                && lastClosed.actedAt().plus(quiet).isAfter(now) && !materiallyWorse(f, lastClosed)) {
            return Decision.QUIET;
        }
        return Decision.RAISE;
    }

    /** See the class comment. */
    boolean materiallyWorse(Finding now, Alert closed) {
        return switch (now.rule()) {
            case SPEND_OVER_BUDGET -> now.measure() >= closed.measure() + rules.spend().worseByPoints()
                    || closed.measure() < 100 && now.measure() >= 100;
            case DENIED_BURST -> now.measure() >= closed.measure() * Math.max(1, rules.deniedBurst().worseFactor());
            case OUTSIDE_IP_RANGE -> now.measure() >= closed.measure() * Math.max(1, rules.outsideRange().worseFactor())
                    || !marks(closed.marks()).containsAll(now.marks());
            case KEY_UNUSED, CREATED_OUTSIDE_PORTAL -> false;
        };
    }

    static Set<String> marks(String stored) {
        Set<String> marks = new LinkedHashSet<>();
        if (stored != null) {
            for (String m : stored.split(",")) {
                if (!m.isBlank()) {
                    marks.add(m.strip());
                }
            }
        }
        return marks;
    }

    // --- helpers

    private static Map<Long, List<Event>> byApplication(List<Event> events) {
        Map<Long, List<Event>> by = new LinkedHashMap<>();
        events.stream().sorted(Comparator.comparing(Event::applicationId).thenComparing(Event::time)
                .thenComparing(Event::eventId))
                .forEach(e -> by.computeIfAbsent(e.applicationId(), id -> new ArrayList<>()).add(e));
        return by;
    }

    /** The key of the newest call that names a portal key, if any. */
    private static Long keyOf(List<Event> calls) {
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (calls.get(i).keyId() != null) {
                return calls.get(i).keyId();
            }
        }
        return null;
    }

    private static String distinct(List<Event> events, java.util.function.Function<Event, String> field) {
        Set<String> values = new TreeSet<>();
        events.stream().map(field).filter(v -> v != null && !v.isBlank()).forEach(values::add);
        return values.isEmpty() ? "—" : String.join(", ", limited(values, 5)) + (values.size() > 5 ? ", …" : "");
    }

    /** The last {@value #MAX_EVIDENCE_EVENTS} events, one a line. */
    private static String lines(List<Event> events) {
        StringBuilder s = new StringBuilder();
        for (Event e : events.subList(Math.max(0, events.size() - MAX_EVIDENCE_EVENTS), events.size())) {
            s.append(time(e.time())).append("  ").append(e.eventName()).append("  ")
                    .append(e.sourceIp() == null ? "—" : e.sourceIp()).append("  ")
                    .append(e.region() == null ? "—" : e.region()).append("  ")
                    .append(e.errorCode() == null ? "—" : e.errorCode()).append("  ")
                    .append(e.credentialId() == null ? "—" : e.credentialId()).append('\n');
        }
        return s.toString().stripTrailing();
    }

    private static Set<String> limited(Set<String> values, int max) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (out.size() == max) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    private static long percent(BigDecimal part, BigDecimal whole) {
        return part.multiply(BigDecimal.valueOf(100)).divide(whole, 0, RoundingMode.FLOOR).longValue();
    }

    private static String usd(BigDecimal amount) {
        return "USD " + amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    static String time(Instant instant) {
        return instant == null ? "—" : TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** The evidence as stored: at most {@value #MAX_EVIDENCE} characters. */
    static String bounded(String evidence) {
        return evidence.length() <= MAX_EVIDENCE ? evidence : evidence.substring(0, MAX_EVIDENCE - 1) + "…";
    }
}
