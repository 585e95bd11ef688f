package com.bedrockportal.alerts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.alerts.Alert.Action;
import com.bedrockportal.alerts.Alert.Rule;
import com.bedrockportal.alerts.Alert.Severity;
import com.bedrockportal.alerts.Alert.Status;
import com.bedrockportal.alerts.AlertRules.Event;
import com.bedrockportal.alerts.AlertRules.Finding;
import com.bedrockportal.alerts.AlertRules.KeyUse;
import com.bedrockportal.alerts.AlertRules.SpendRow;
import com.bedrockportal.shared.InLists;
import com.bedrockportal.shared.SqlConditions;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The alert table, and the rules' inputs: the usage and spend tables (V22), read as the usage collection last wrote
 * them. Every read that feeds a rule is capped in SQL, before any work.
 */
@Repository
class AlertRepository {

    private static final String SELECT = """
            select al.*, a.display_name as app_name, u.display_name as unit_name, k.key_prefix
            from alert al
            left join application a on a.id = al.application_id
            left join business_unit u on u.id = al.business_unit_id
            left join api_key k on k.id = al.key_id""";

    private final JdbcClient jdbc;

    AlertRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // --- the rules' inputs

    /** The budgets' rows of a month that AWS answered, at most {@code max}. */
    List<SpendRow> spend(String period, int max) {
        return jdbc.sql("""
                select s.*, a.id as app_id, a.display_name as app_name, u.display_name as unit_name
                from spend_month s
                join business_unit u on u.id = s.business_unit_id
                left join application a on s.scope = 'APPLICATION' and a.id = s.scope_id
                where s.period = :period and s.error is null
                order by s.scope, s.scope_id limit :max""")
                .param("period", period).param("max", max)
                .query((rs, i) -> new SpendRow(rs.getString("scope"), rs.getLong("scope_id"), rs.getString("period"),
                        rs.getLong("business_unit_id"), nullableLong(rs, "app_id"), rs.getString("app_name"),
                        rs.getString("unit_name"), rs.getString("budget_name"), rs.getBigDecimal("budget_usd"),
                        rs.getBigDecimal("actual_usd"), rs.getBigDecimal("forecast_usd"),
                        nullableInt(rs, "alert_threshold"), instant(rs, "refreshed_at")))
                .list();
    }

    /** The newest notable calls of a kind since {@code since}, at most {@code max}, with the portal key they used. */
    List<Event> events(String kind, Instant since, int max) {
        return jdbc.sql("""
                select e.*, a.display_name as app_name, a.business_unit_id, k.id as key_id
                from usage_event e
                join application a on a.id = e.application_id
                left join api_key k on k.credential_id = e.credential_id and k.iam_user = a.iam_user
                where e.kind = :kind and e.event_time > :since
                order by e.event_time desc, e.event_id limit :max""")
                .param("kind", kind).param("since", at(since)).param("max", max)
                .query((rs, i) -> new Event(rs.getString("event_id"), rs.getLong("application_id"),
                        rs.getString("app_name"), rs.getLong("business_unit_id"), instant(rs, "event_time"),
                        rs.getString("event_name"), rs.getString("source_ip"), rs.getString("region"),
                        rs.getString("error_code"), rs.getString("credential_id"), nullableLong(rs, "key_id")))
                .list();
    }

    /**
     * Active keys of active applications created at or before {@code createdBefore} (younger ones cannot have been
     * unused that long), with the application's last look at its use — only where that look succeeded.
     */
    List<KeyUse> keyUses(Instant createdBefore, int max) {
        return jdbc.sql("""
                select k.id, k.key_prefix, k.created_at, a.id as app_id, a.display_name as app_name,
                    a.business_unit_id, s.last_used_at, s.window_from, s.refreshed_at
                from api_key k
                join application a on a.id = k.application_id
                join usage_summary s on s.application_id = a.id
                where k.status = 'ACTIVE' and a.status = 'ACTIVE' and s.error is null and k.created_at <= :before
                order by k.id limit :max""")
                .param("before", at(createdBefore)).param("max", max)
                .query((rs, i) -> new KeyUse(rs.getLong("id"), rs.getString("key_prefix"), rs.getLong("app_id"),
                        rs.getString("app_name"), rs.getLong("business_unit_id"), instant(rs, "created_at"),
                        instant(rs, "last_used_at"), instant(rs, "window_from"), instant(rs, "refreshed_at")))
                .list();
    }

    /** An application's display name and unit, for drift findings (which name the application by slug). */
    record AppRef(long id, String name, long businessUnitId) {
    }

    Map<Long, AppRef> applications(Collection<Long> ids) {
        Map<Long, AppRef> refs = new HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.sql("select id, display_name, business_unit_id from application where id in (:ids)")
                    .param("ids", ids).query((rs, i) -> new AppRef(rs.getLong("id"), rs.getString("display_name"),
                            rs.getLong("business_unit_id")))
                    .list().forEach(r -> refs.put(r.id(), r));
        }
        return refs;
    }

    // --- alerts: de-duplication

    /** The open alerts of these fingerprints, by fingerprint (read {@value InLists#MAX} fingerprints a query). */
    Map<String, Alert> openByFingerprint(Collection<String> fingerprints) {
        Map<String, Alert> open = new HashMap<>();
        for (List<String> chunk : InLists.chunks(fingerprints)) {
            jdbc.sql(SELECT + " where al.open_fingerprint in (:prints)").param("prints", chunk)
                    .query(AlertRepository::map).list().forEach(a -> open.put(a.fingerprint(), a));
        }
        return open;
    }

    /** The latest alert of each of these fingerprints closed at or after {@code since}, by fingerprint. */
    Map<String, Alert> closedSince(Collection<String> fingerprints, Instant since) {
        Map<String, Alert> closed = new HashMap<>();
        for (List<String> chunk : InLists.chunks(fingerprints)) {
            jdbc.sql(SELECT + " where al.fingerprint in (:prints) and al.status <> 'OPEN' and al.acted_at >= :since"
                    + " order by al.acted_at").param("prints", chunk).param("since", at(since))
                    .query(AlertRepository::map).list().forEach(a -> closed.put(a.fingerprint(), a));
        }
        return closed;
    }

    /**
     * Raises an alert. @throws org.springframework.dao.DuplicateKeyException when an open alert of the fingerprint
     * exists (another node raised it first)
     */
    long insert(Finding f, Instant now) {
        jdbc.sql("""
                insert into alert (rule, severity, status, fingerprint, open_fingerprint, application_id,
                    business_unit_id, key_id, title, evidence, measure, marks, first_seen_at, last_seen_at,
                    occurrences, created_at)
                values (:rule, :severity, 'OPEN', :fp, :fp, :app, :unit, :key, :title, :evidence, :measure, :marks,
                    :first, :last, 1, :now)""")
                .param("rule", f.rule().name()).param("severity", f.severity().name()).param("fp", f.fingerprint())
                .param("app", f.applicationId()).param("unit", f.businessUnitId()).param("key", f.keyId())
                .param("title", cap(f.title(), 300)).param("evidence", AlertRules.bounded(f.evidence()))
                .param("measure", f.measure()).param("marks", marks(f)).param("first", at(f.firstSeen()))
                .param("last", at(f.lastSeen())).param("now", at(now)).update();
        return jdbc.sql("select id from alert where open_fingerprint = :fp").param("fp", f.fingerprint())
                .query(Long.class).single();
    }

    /** Newer evidence for an open alert; false when it was closed or another node updated it first. */
    boolean update(long id, Finding f) {
        return jdbc.sql("""
                update alert set occurrences = occurrences + 1, last_seen_at = :last, title = :title,
                    evidence = :evidence, measure = :measure, marks = :marks,
                    key_id = coalesce(:key, key_id), severity = :severity
                where id = :id and status = 'OPEN' and last_seen_at < :last""")
                .param("id", id).param("last", at(f.lastSeen())).param("title", cap(f.title(), 300))
                .param("evidence", AlertRules.bounded(f.evidence())).param("measure", f.measure())
                .param("marks", marks(f)).param("key", f.keyId()).param("severity", f.severity().name())
                .update() == 1;
    }

    // --- alerts: the inbox

    /** The inbox's filter; null fields match everything; {@code unitIds} null: every unit. */
    record Filter(Status status, Severity severity, Rule rule, Collection<Long> unitIds) {
    }

    List<Alert> list(Filter filter, int max) {
        SqlConditions where = conditions(filter);
        if (filter.unitIds() != null && filter.unitIds().isEmpty()) {
            return List.of();
        }
        return where.bind(jdbc.sql(SELECT + where.where() + " " + """
                 order by case when al.status = 'OPEN' then 0 else 1 end,
                    case al.severity when 'CRITICAL' then 0 when 'HIGH' then 1 when 'MEDIUM' then 2 else 3 end,
                    al.last_seen_at desc, al.id desc limit :max""").param("max", max))
                .query(AlertRepository::map).list();
    }

    /** One application's alerts, newest first, at most {@code max}; none when its unit is not in {@code unitIds}. */
    List<Alert> ofApplication(long applicationId, Collection<Long> unitIds, int max) {
        SqlConditions where = conditions(new Filter(null, null, null, unitIds));
        if (unitIds != null && unitIds.isEmpty()) {
            return List.of();
        }
        where.add("al.application_id = :app", "app", applicationId);
        return where.bind(jdbc.sql(SELECT + where.where() + " order by al.id desc limit :max").param("max", max))
                .query(AlertRepository::map).list();
    }

    Map<Severity, Integer> openCounts(Collection<Long> unitIds) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        if (unitIds != null && unitIds.isEmpty()) {
            return counts;
        }
        SqlConditions where = conditions(new Filter(Status.OPEN, null, null, unitIds));
        where.bind(jdbc.sql("select al.severity, count(*) as n from alert al" + where.where()
                + " group by al.severity"))
                .query((rs, i) -> Map.entry(Severity.valueOf(rs.getString("severity")), rs.getInt("n"))).list()
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    private static SqlConditions conditions(Filter filter) {
        SqlConditions where = new SqlConditions();
        if (filter.status() != null) {
            where.add("al.status = :status", "status", filter.status().name());
        }
        if (filter.severity() != null) {
            where.add("al.severity = :severity", "severity", filter.severity().name());
        }
        if (filter.rule() != null) {
            where.add("al.rule = :rule", "rule", filter.rule().name());
        }
        if (filter.unitIds() != null && !filter.unitIds().isEmpty()) {
            where.add("al.business_unit_id in (:units)", "units", filter.unitIds());
        }
        return where;
    }

    Optional<Alert> find(long id) {
        return jdbc.sql(SELECT + " where al.id = :id").param("id", id).query(AlertRepository::map).optional();
    }

    /** Locks the alert's row for an action (two people acting at once: the second waits, then sees it closed). */
    Optional<Alert> lock(long id) {
        jdbc.sql("select id from alert where id = :id for update").param("id", id).query(Long.class).optional();
        return find(id);
    }

    /** Closes an open alert; false when it was closed already. */
    boolean close(long id, Action action, String by, Instant at, String reason, Long caseId) {
        return jdbc.sql("""
                update alert set status = :status, open_fingerprint = null, action = :action, acted_by = :by,
                    acted_at = :at, reason = :reason, compromise_case_id = :case
                where id = :id and status = 'OPEN'""")
                .param("status", action == Action.DISMISSED ? Status.DISMISSED.name() : Status.ACTED.name())
                .param("action", action.name()).param("by", by).param("at", at(at)).param("reason", reason)
                .param("case", caseId).param("id", id).update() == 1;
    }

    // --- mapping

    private static Alert map(ResultSet rs, int row) throws SQLException {
        String action = rs.getString("action");
        return new Alert(rs.getLong("id"), Rule.valueOf(rs.getString("rule")), Severity.valueOf(rs.getString("severity")),
                Status.valueOf(rs.getString("status")), rs.getString("fingerprint"),
                nullableLong(rs, "application_id"), rs.getString("app_name"), nullableLong(rs, "business_unit_id"),
                rs.getString("unit_name"), nullableLong(rs, "key_id"), rs.getString("key_prefix"),
                rs.getString("title"), rs.getString("evidence"), rs.getLong("measure"), rs.getString("marks"),
                instant(rs, "first_seen_at"), instant(rs, "last_seen_at"), rs.getInt("occurrences"),
                instant(rs, "created_at"), rs.getString("acted_by"), instant(rs, "acted_at"),
                action == null ? null : Action.valueOf(action), rs.getString("reason"),
                nullableLong(rs, "compromise_case_id"));
    }

    private static String marks(Finding f) {
        return f.marks().isEmpty() ? null : cap(String.join(",", f.marks()), 1000);
    }

    private static String cap(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
