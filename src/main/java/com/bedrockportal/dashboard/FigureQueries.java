package com.bedrockportal.dashboard;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.bedrockportal.dashboard.Figures.AppUsage;
import com.bedrockportal.dashboard.Figures.Tiles;
import com.bedrockportal.dashboard.Figures.UnitKeys;
import com.bedrockportal.dashboard.Figures.UnitSpend;
import com.bedrockportal.dashboard.Figures.WeekCount;
import com.bedrockportal.dashboard.Figures.WeekLead;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The dashboard's figures, counted by the database for one {@link Scope}: every query is an aggregate (group by)
 * over indexed columns, so the work grows with the number of units, weeks and days, not with the rows read into
 * Java — except the lead times (one row per key created in the last 12 weeks, at most {@link #LEAD_ROWS}).
 */
@Component
class FigureQueries {

    /** Weeks of approval lead time shown. */
    static final int LEAD_WEEKS = 12;
    /** Days of the expiry timeline. */
    static final int EXPIRY_DAYS = 90;
    /** Days of usage shown. */
    static final int USAGE_DAYS = 14;
    /** The most provisioned requests read for the lead times (a busier quarter is sampled: the newest). */
    static final int LEAD_ROWS = 100_000;

    private static final String LIVE_KEY = "k.status in ('PENDING_REVEAL', 'ACTIVE', 'INACTIVE')";
    private static final String WORKING_KEY = "k.status in ('PENDING_REVEAL', 'ACTIVE')";

    private final JdbcClient jdbc;

    FigureQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Everything but the charts, for one audience, at {@code now}. */
    @Transactional(readOnly = true)
    Figures compute(Scope scope, Instant now, int maxApplications) {
        Map<Long, String> units = unitNames();
        List<UnitKeys> keys = keysByUnit(scope, now, units);
        List<WeekCount> expiry = expiry(scope, now);
        List<WeekLead> lead = leadTimes(scope, now);
        String period = OffsetDateTime.ofInstant(now, ZoneOffset.UTC).toLocalDate().toString().substring(0, 7);
        List<UnitSpend> spend = spend(scope, period, units);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<LocalDate> days = new ArrayList<>();
        for (int i = USAGE_DAYS - 1; i >= 0; i--) {
            days.add(today.minusDays(i));
        }
        List<AppUsage> usage = usage(scope, days, units, maxApplications);

        long active = keys.stream().mapToLong(UnitKeys::active).sum();
        long[] expiring = expiring(scope, now);
        Pending pending = pending(scope);
        BigDecimal spent = spend.stream().map(UnitSpend::actual).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal budgets = spend.stream().map(UnitSpend::budget).reduce(BigDecimal.ZERO, BigDecimal::add);
        Long incidents = scope.all() ? count("select count(*) from act_ru_incident") : null;
        Long compromises = scope.all()
                ? count("select count(*) from compromise_case where status not in ('CLOSED', 'FALSE_ALARM')")
                : null;
        Long drift = scope.all() ? count("select count(*) from drift_finding where resolved_at is null") : null;
        // Open alerts: security's inbox, which managers read for their units; requesters have none to act on.
        Long alerts = null;
        if (scope.all()) {
            alerts = count("select count(*) from alert where status = 'OPEN'");
        } else if (scope.unitIds() != null) {
            alerts = jdbc.sql("select count(*) from alert where status = 'OPEN' and business_unit_id in (:units)")
                    .params(params(scope)).query(Long.class).single();
        }
        Tiles tiles = new Tiles(active, expiring[0], expiring[1], pending.count(), pending.oldest(), incidents,
                compromises, drift, spent, budgets, alerts);
        return new Figures(scope.key(), now, 0, tiles, keys, expiry, lead, spend, days, usage, Map.of());
    }

    Map<Long, String> unitNames() {
        Map<Long, String> names = new HashMap<>();
        jdbc.sql("select id, display_name from business_unit").query((rs, n) -> names.put(rs.getLong(1),
                rs.getString(2))).list();
        return names;
    }

    /** The units a manager manages. */
    List<Long> managedUnits(String username) {
        return jdbc.sql("select business_unit_id from business_unit_manager where username = :u order by 1")
                .param("u", username).query(Long.class).list();
    }

    /** Every manager on record. */
    List<String> managers() {
        return jdbc.sql("select distinct username from business_unit_manager order by 1").query(String.class).list();
    }

    private List<UnitKeys> keysByUnit(Scope scope, Instant now, Map<Long, String> names) {
        Map<Long, long[]> byUnit = new TreeMap<>();
        jdbc.sql("select unit_id, key_status, is_expired, count(*) from (select k.business_unit_id unit_id, k.status key_status, "
                + "case when k.expires_at <= :now then 1 else 0 end is_expired from api_key k" + keyScope(scope)
                + " and " + LIVE_KEY + ") t group by unit_id, key_status, is_expired")
                .params(params(scope)).param("now", ts(now)).query((rs, n) -> {
                    long[] c = byUnit.computeIfAbsent(rs.getLong(1), u -> new long[4]);
                    String status = rs.getString(2);
                    boolean expired = rs.getInt(3) == 1;
                    long count = rs.getLong(4);
                    if (!"INACTIVE".equals(status) && expired) {
                        c[3] += count;
                    } else if ("ACTIVE".equals(status)) {
                        c[0] += count;
                    } else if ("PENDING_REVEAL".equals(status)) {
                        c[1] += count;
                    } else {
                        c[2] += count;
                    }
                    return null;
                }).list();
        List<UnitKeys> rows = new ArrayList<>();
        byUnit.forEach((unit, c) -> rows.add(new UnitKeys(unit, names.getOrDefault(unit, "#" + unit), c[0], c[1],
                c[2], c[3])));
        rows.sort(Comparator.comparingLong(UnitKeys::total).reversed().thenComparing(UnitKeys::unit));
        return rows;
    }

    /**
     * Applications whose newest working key expires within 7 and within 30 days: what the tiles link to (the
     * applications list's expiry filter). Counting keys, the tiles counted a rotation's old key, whose application
     * keeps working with the new one, and each of an application's keys.
     */
    private long[] expiring(Scope scope, Instant now) {
        long[] counts = new long[2];
        jdbc.sql("select sum(case when e.newest <= :d7 then 1 else 0 end), count(*) from (select (select "
                + "max(n.expires_at) from api_key n where n.application_id = a.id and n.status in ('PENDING_REVEAL', "
                + "'ACTIVE')) newest from application a where a.id in (select k.application_id from api_key k where "
                + WORKING_KEY + " and k.expires_at > :now and k.expires_at <= :d30)" + appScope(scope) + ") e "
                + "where e.newest <= :d30")
                .params(params(scope)).param("now", ts(now)).param("d7", ts(now.plus(Duration.ofDays(7))))
                .param("d30", ts(now.plus(Duration.ofDays(30)))).query((rs, n) -> {
                    counts[0] = rs.getLong(1);
                    counts[1] = rs.getLong(2);
                    return null;
                }).list();
        return counts;
    }

    private List<WeekCount> expiry(Scope scope, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate firstWeek = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Map<LocalDate, Long> weeks = new LinkedHashMap<>();
        for (LocalDate w = firstWeek; !w.isAfter(today.plusDays(EXPIRY_DAYS)); w = w.plusWeeks(1)) {
            weeks.put(w, 0L);
        }
        // The day in UTC, as the weeks are, counted from the epoch: a cast to a date takes the database session's
        // time zone (the JVM's, through the driver), which moved a key expiring late on a Sunday into the next week;
        // H2 does so even after "at time zone 'UTC'".
        String utcDay = "floor(extract(epoch from k.expires_at) / 86400)";
        jdbc.sql("select " + utcDay + ", count(*) from api_key k" + keyScope(scope) + " and " + WORKING_KEY
                + " and k.expires_at > :now and k.expires_at <= :until group by " + utcDay)
                .params(params(scope)).param("now", ts(now)).param("until", ts(now.plus(Duration.ofDays(EXPIRY_DAYS))))
                .query((rs, n) -> {
                    LocalDate day = LocalDate.ofEpochDay(rs.getLong(1));
                    weeks.merge(day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), rs.getLong(2),
                            Long::sum);
                    return null;
                }).list();
        return weeks.entrySet().stream().map(e -> new WeekCount(e.getKey(), e.getValue())).toList();
    }

    private record Pending(long count, Instant oldest) {
    }

    private Pending pending(Scope scope) {
        String where = scope.owner() != null ? " and r.requester = :owner"
                : scope.unitIds() != null ? " and r.business_unit_id in (:units)" : "";
        return jdbc.sql("select count(*), min(r.created_at) from access_request r where r.status in "
                + "('PENDING_MANAGER', 'PENDING_SECURITY')" + where).params(params(scope)).query((rs, n) -> {
                    Timestamp t = rs.getTimestamp(2);
                    return new Pending(rs.getLong(1), t == null ? null : t.toInstant());
                }).single();
    }

    private List<WeekLead> leadTimes(Scope scope, Instant now) {
        LocalDate thisWeek = LocalDate.ofInstant(now, ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(
                DayOfWeek.MONDAY));
        LocalDate from = thisWeek.minusWeeks(LEAD_WEEKS - 1L);
        Map<LocalDate, List<Double>> hours = new TreeMap<>();
        for (int i = 0; i < LEAD_WEEKS; i++) {
            hours.put(from.plusWeeks(i), new ArrayList<>());
        }
        String where = scope.owner() != null ? " and r.requester = :owner"
                : scope.unitIds() != null ? " and r.business_unit_id in (:units)" : "";
        jdbc.sql("select r.created_at, k.created_at from api_key k join access_request r on r.id = k.request_id "
                + "where k.created_at >= :from" + where + " order by k.created_at desc limit " + LEAD_ROWS).params(params(scope)).param("from", ts(from.atStartOfDay(ZoneOffset.UTC).toInstant()))
                .query((rs, n) -> {
                    Instant submitted = rs.getTimestamp(1).toInstant();
                    Instant made = rs.getTimestamp(2).toInstant();
                    LocalDate week = LocalDate.ofInstant(made, ZoneOffset.UTC)
                            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    List<Double> list = hours.get(week);
                    if (list != null) {
                        list.add(Duration.between(submitted, made).toSeconds() / 3600.0);
                    }
                    return null;
                }).list();
        List<WeekLead> rows = new ArrayList<>();
        hours.forEach((week, list) -> {
            list.sort(Double::compare);
            rows.add(new WeekLead(week, list.size(), percentile(list, 50), percentile(list, 90)));
        });
        return rows;
    }

    /** Nearest-rank percentile of a sorted list; 0 for none. */
    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private List<UnitSpend> spend(Scope scope, String period, Map<Long, String> names) {
        Map<Long, BigDecimal[]> byUnit = new TreeMap<>();
        String appWhere = appScope(scope);
        jdbc.sql("select a.business_unit_id, sum(a.monthly_budget), sum(s.actual_usd), sum(s.forecast_usd), "
                + "count(s.forecast_usd) from application a left join spend_month s on s.scope = 'APPLICATION' "
                + "and s.scope_id = a.id and s.period = :period where a.status = 'ACTIVE'" + appWhere
                + " group by a.business_unit_id").params(params(scope)).param("period", period).query((rs, n) -> {
                    BigDecimal actual = rs.getBigDecimal(3);
                    BigDecimal forecast = rs.getLong(5) > 0 ? rs.getBigDecimal(4) : null;
                    byUnit.put(rs.getLong(1), new BigDecimal[] { rs.getBigDecimal(2),
                            actual == null ? BigDecimal.ZERO : actual, forecast });
                    return null;
                }).list();
        List<UnitSpend> rows = new ArrayList<>();
        byUnit.forEach((unit, v) -> rows.add(new UnitSpend(unit, names.getOrDefault(unit, "#" + unit), v[1], v[2],
                v[0])));
        rows.sort(Comparator.comparing(UnitSpend::budget).reversed().thenComparing(UnitSpend::unit));
        return rows;
    }

    /**
     * The busiest {@code max} applications' daily calls and refusals, and one more row, "others", with the rest
     * summed (application id 0): the work stays bounded however many applications there are.
     */
    private List<AppUsage> usage(Scope scope, List<LocalDate> days, Map<Long, String> names, int max) {
        String appWhere = appScope(scope);
        LocalDate first = days.get(0);
        String from = " from usage_day u join application a on a.id = u.application_id where u.usage_date >= :from";
        List<Long> top = jdbc.sql("select u.application_id, sum(u.invocations) + sum(u.access_denied) busy" + from
                + appWhere + " group by u.application_id order by busy desc, u.application_id limit " + max)
                .params(params(scope)).param("from", first).query((rs, n) -> rs.getLong(1)).list();
        Map<Long, long[][]> byApp = new LinkedHashMap<>();
        Map<Long, String[]> labels = new HashMap<>();
        top.forEach(id -> byApp.put(id, new long[2][days.size()]));
        long[][] all = new long[2][days.size()];
        if (!top.isEmpty()) {
            jdbc.sql("select u.application_id, a.display_name, a.business_unit_id, u.usage_date, u.invocations, "
                    + "u.access_denied" + from + " and u.application_id in (:top)").param("from", first)
                    .param("top", top).query((rs, n) -> {
                        long app = rs.getLong(1);
                        labels.putIfAbsent(app, new String[] { rs.getString(2), names.getOrDefault(rs.getLong(3),
                                "") });
                        add(byApp.get(app), days, first, rs.getDate(4).toLocalDate(), rs.getLong(5), rs.getLong(6));
                        return null;
                    }).list();
        }
        long[] apps = { 0 };
        jdbc.sql("select u.usage_date, sum(u.invocations), sum(u.access_denied), count(*)" + from + appWhere
                + " group by u.usage_date").params(params(scope)).param("from", first).query((rs, n) -> {
                    add(all, days, first, rs.getDate(1).toLocalDate(), rs.getLong(2), rs.getLong(3));
                    return null;
                }).list();
        apps[0] = jdbc.sql("select count(distinct u.application_id)" + from + appWhere).params(params(scope))
                .param("from", first).query(Long.class).single();
        List<AppUsage> rows = new ArrayList<>();
        byApp.forEach((app, v) -> {
            String[] label = labels.getOrDefault(app, new String[] { "#" + app, "" });
            rows.add(new AppUsage(app, label[0], label[1], boxed(v[0]), boxed(v[1])));
            for (int i = 0; i < days.size(); i++) {
                all[0][i] -= v[0][i];
                all[1][i] -= v[1][i];
            }
        });
        rows.sort(Comparator.comparingLong((AppUsage a) -> a.totalInvocations() + a.totalDenied()).reversed()
                .thenComparing(AppUsage::application));
        long rest = apps[0] - top.size();
        if (rest > 0) {
            rows.add(new AppUsage(0, "others (" + rest + " applications)", "", boxed(all[0]), boxed(all[1])));
        }
        return rows;
    }

    private static void add(long[][] into, List<LocalDate> days, LocalDate first, LocalDate day, long calls,
            long denied) {
        int i = (int) (day.toEpochDay() - first.toEpochDay());
        if (into != null && i >= 0 && i < days.size()) {
            into[0][i] += calls;
            into[1][i] += denied;
        }
    }

    private static List<Long> boxed(long[] values) {
        List<Long> list = new ArrayList<>(values.length);
        for (long v : values) {
            list.add(v);
        }
        return list;
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    /** The applications of the audience, as a condition to add to a query over {@code application a}. */
    private static String appScope(Scope scope) {
        return scope.owner() != null ? " and a.owner = :owner"
                : scope.unitIds() != null ? " and a.business_unit_id in (:units)" : "";
    }

    /** The key rows of a scope: a unit's keys, or the keys of the owner's applications. */
    private static String keyScope(Scope scope) {
        if (scope.owner() != null) {
            return " join application a on a.id = k.application_id where a.owner = :owner";
        }
        return scope.unitIds() != null ? " where k.business_unit_id in (:units)" : " where 1 = 1";
    }

    private static Map<String, Object> params(Scope scope) {
        Map<String, Object> p = new HashMap<>();
        if (scope.owner() != null) {
            p.put("owner", scope.owner());
        }
        if (scope.unitIds() != null) {
            p.put("units", scope.unitIds().isEmpty() ? List.of(-1L) : scope.unitIds());
        }
        return p;
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}
