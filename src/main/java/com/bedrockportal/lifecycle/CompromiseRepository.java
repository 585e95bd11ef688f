package com.bedrockportal.lifecycle;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.provisioning.ActivityTrail;
import com.bedrockportal.provisioning.SpendReports;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The {@code compromise_case} rows and their evidence snapshot. Status changes are conditional (from → to). */
@Repository
class CompromiseRepository {

    private final JdbcClient jdbc;

    CompromiseRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(long keyId, Long applicationId, long unitId, String prefix, String iamUser,
            CompromiseCase.Source source, String by, String reason, Instant at) {
        jdbc.sql("""
                insert into compromise_case (key_id, open_key_id, application_id, business_unit_id, key_prefix,
                    iam_user, source, reported_by, reason, reported_at, status)
                values (:key, :key, :app, :bu, :prefix, :user, :source, :by, :reason, :at, :status)""")
                .param("key", keyId).param("app", applicationId).param("bu", unitId).param("prefix", prefix)
                .param("user", iamUser).param("source", source.name()).param("by", by).param("reason", reason)
                .param("at", at(at)).param("status", CompromiseCase.Status.DISABLING.name()).update();
        return openOf(keyId).orElseThrow().id();
    }

    Optional<CompromiseCase> find(long id) {
        return jdbc.sql("select * from compromise_case where id = :id").param("id", id)
                .query(CompromiseRepository::map).optional();
    }

    Optional<CompromiseCase> openOf(long keyId) {
        return jdbc.sql("select * from compromise_case where open_key_id = :key").param("key", keyId)
                .query(CompromiseRepository::map).optional();
    }

    /** One application's cases, newest first, at most {@code max}. */
    List<CompromiseCase> ofApplication(long applicationId, int max) {
        return jdbc.sql("select * from compromise_case where application_id = :app order by id desc limit :max")
                .param("app", applicationId).param("max", max).query(CompromiseRepository::map).list();
    }

    List<CompromiseCase> latest(boolean openOnly, int max) {
        return jdbc.sql("select * from compromise_case" + (openOnly ? " where open_key_id is not null" : "")
                + " order by id desc limit :max").param("max", max).query(CompromiseRepository::map).list();
    }

    /** Moves a case from one status to another; false when it was not in {@code from}. */
    boolean move(long id, CompromiseCase.Status from, CompromiseCase.Status to, String extraSet, Instant at) {
        boolean end = !to.open();
        return jdbc.sql("update compromise_case set status = :to" + (end ? ", open_key_id = null, closed_at = :at" : "")
                + (extraSet == null ? "" : ", " + extraSet) + " where id = :id and status = :from")
                .param("to", to.name()).param("from", from.name()).param("at", at(at)).param("id", id).update() == 1;
    }

    /**
     * AWS confirmed the key Inactive: DISABLING → TRIAGE with the time, and whether the key had been Inactive before
     * (then a false alarm leaves it so).
     */
    boolean disabled(long id, Instant at, boolean keyWasInactive) {
        return move(id, CompromiseCase.Status.DISABLING, CompromiseCase.Status.TRIAGE,
                "disabled_at = :at, key_was_inactive = " + keyWasInactive, at);
    }

    /** Whether the key was Inactive already when the case disabled it. */
    boolean keyWasInactive(long id) {
        return jdbc.sql("select key_was_inactive from compromise_case where id = :id").param("id", id)
                .query(Boolean.class).single();
    }

    /**
     * A failed attempt to change the key in AWS, kept even though the step's transaction rolls back (the case page
     * shows it while the engine retries).
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void attemptFailed(long id, String error) {
        jdbc.sql("update compromise_case set disable_attempts = disable_attempts + 1, last_error = :e where id = :id")
                .param("e", cap(error, 500)).param("id", id).update();
    }

    void notified(long id, Instant at) {
        jdbc.sql("update compromise_case set notified_at = :at where id = :id and notified_at is null")
                .param("at", at(at)).param("id", id).update();
    }

    /** Replaces the evidence snapshot (a retried step writes it again, whole). */
    void evidence(long id, List<Compromises.TrailRow> events, boolean truncated, String trailNote,
            List<SpendReports.DailySpend> spend, String spendNote, int spendDays, Instant at) {
        jdbc.sql("delete from compromise_trail_event where case_id = :id").param("id", id).update();
        jdbc.sql("delete from compromise_spend_day where case_id = :id").param("id", id).update();
        int seq = 0;
        for (Compromises.TrailRow e : events) {
            jdbc.sql("""
                    insert into compromise_trail_event (case_id, seq, event_time, event_name, source_ip, user_agent,
                        region, error_code) values (:id, :seq, :t, :n, :ip, :ua, :r, :err)""")
                    .param("id", id).param("seq", seq++).param("t", at(e.time())).param("n", cap(e.event(), 128))
                    .param("ip", cap(e.sourceIp(), 64)).param("ua", cap(e.userAgent(), 300))
                    .param("r", cap(e.region(), 32)).param("err", cap(e.errorCode(), 128)).update();
        }
        for (SpendReports.DailySpend d : spend) {
            jdbc.sql("insert into compromise_spend_day (case_id, spend_date, amount_usd) values (:id, :d, :a)")
                    .param("id", id).param("d", Date.valueOf(d.day())).param("a", d.amountUsd()).update();
        }
        jdbc.sql("""
                update compromise_case set evidence_at = :at, trail_note = :tn, trail_truncated = :tt,
                    spend_note = :sn, spend_days = :days where id = :id""")
                .param("days", spendDays).param("at", at(at)).param("tn", cap(trailNote, 500)).param("tt", truncated)
                .param("sn", cap(spendNote, 500)).param("id", id).update();
    }

    List<Compromises.TrailRow> events(long id) {
        return jdbc.sql("select * from compromise_trail_event where case_id = :id order by seq").param("id", id)
                .query((rs, i) -> new Compromises.TrailRow(instant(rs, "event_time"), rs.getString("event_name"),
                        rs.getString("source_ip"), rs.getString("user_agent"), rs.getString("region"),
                        rs.getString("error_code")))
                .list();
    }

    List<SpendReports.DailySpend> spend(long id) {
        return jdbc.sql("select spend_date, amount_usd from compromise_spend_day where case_id = :id order by spend_date")
                .param("id", id).query((rs, i) -> new SpendReports.DailySpend(rs.getObject(1, LocalDate.class),
                        rs.getBigDecimal(2)))
                .list();
    }

    boolean triage(long id, CompromiseCase.Triage decision, String by, String reason, Instant at) {
        CompromiseCase.Status to = decision == CompromiseCase.Triage.CONFIRMED ? CompromiseCase.Status.ROTATING
                : CompromiseCase.Status.REENABLING;
        return jdbc.sql("""
                update compromise_case set status = :to, triage_decision = :d, triage_by = :by, triage_reason = :r,
                    triage_at = :at where id = :id and status = :from and triage_decision is null""")
                .param("to", to.name()).param("d", decision.name()).param("by", by).param("r", reason)
                .param("at", at(at)).param("id", id).param("from", CompromiseCase.Status.TRIAGE.name())
                .update() == 1;
    }

    /**
     * The case's triage decision, read with its row locked until the transaction ends (empty: not triaged yet; the
     * case must exist). {@link #triage} updates the same row, so the two are ordered.
     */
    Optional<CompromiseCase.Triage> lockedTriage(long id) {
        List<String> decision = jdbc.sql("select triage_decision from compromise_case where id = :id for update")
                .param("id", id).query((rs, i) -> rs.getString(1)).list();
        return Optional.ofNullable(decision.get(0)).map(CompromiseCase.Triage::valueOf);
    }

    void rotation(long id, Long rotationId, String note) {
        jdbc.sql("update compromise_case set rotation_id = :r, rotation_note = :n where id = :id")
                .param("r", rotationId).param("n", cap(note, 500)).param("id", id).update();
    }

    /** The old key is gone from AWS: ROTATING → REPORT_DUE with the report's due time. */
    boolean oldKeyDeleted(long id, Instant at, Instant reportDue) {
        jdbc.sql("update compromise_case set old_key_deleted_at = coalesce(old_key_deleted_at, :at), "
                + "report_due_at = coalesce(report_due_at, :due) where id = :id")
                .param("at", at(at)).param("due", at(reportDue)).param("id", id).update();
        return move(id, CompromiseCase.Status.ROTATING, CompromiseCase.Status.REPORT_DUE, null, at);
    }

    boolean report(long id, String what, String rootCause, String actions, String by, Instant at) {
        return jdbc.sql("""
                update compromise_case set report_what = :w, report_root_cause = :rc, report_actions = :a,
                    report_by = :by, report_at = :at where id = :id and status = :due and report_at is null""")
                .param("w", what).param("rc", rootCause).param("a", actions).param("by", by).param("at", at(at))
                .param("id", id).param("due", CompromiseCase.Status.REPORT_DUE.name()).update() == 1;
    }

    boolean escalated(long id, Instant at) {
        return jdbc.sql("update compromise_case set escalated_at = :at where id = :id and escalated_at is null")
                .param("at", at(at)).param("id", id).update() == 1;
    }

    static String cap(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    static Compromises.TrailRow row(ActivityTrail.TrailEvent e) {
        return new Compromises.TrailRow(e.time(), e.eventName(), e.sourceIp(), e.userAgent(), e.region(), e.errorCode());
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static <E extends Enum<E>> E named(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }

    private static CompromiseCase map(ResultSet rs, int i) throws SQLException {
        return new CompromiseCase(rs.getLong("id"), rs.getLong("key_id"), (Long) rs.getObject("application_id",
                Long.class), rs.getLong("business_unit_id"), rs.getString("key_prefix"), rs.getString("iam_user"),
                named(CompromiseCase.Source.class, rs.getString("source")), rs.getString("reported_by"),
                rs.getString("reason"), instant(rs, "reported_at"),
                named(CompromiseCase.Status.class, rs.getString("status")), instant(rs, "disabled_at"),
                rs.getInt("disable_attempts"), rs.getString("last_error"), instant(rs, "notified_at"),
                instant(rs, "evidence_at"), rs.getString("trail_note"), rs.getBoolean("trail_truncated"),
                rs.getString("spend_note"), rs.getInt("spend_days"), named(CompromiseCase.Triage.class, rs.getString("triage_decision")),
                rs.getString("triage_by"), rs.getString("triage_reason"), instant(rs, "triage_at"),
                instant(rs, "reenabled_at"), (Long) rs.getObject("rotation_id", Long.class),
                rs.getString("rotation_note"), instant(rs, "old_key_deleted_at"), instant(rs, "report_due_at"),
                rs.getString("report_what"), rs.getString("report_root_cause"), rs.getString("report_actions"),
                rs.getString("report_by"), instant(rs, "report_at"), instant(rs, "escalated_at"),
                instant(rs, "closed_at"));
    }

    static BigDecimal sum(List<SpendReports.DailySpend> days, LocalDate from, LocalDate to) {
        return days.stream().filter(d -> !d.day().isBefore(from) && d.day().isBefore(to))
                .map(SpendReports.DailySpend::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
