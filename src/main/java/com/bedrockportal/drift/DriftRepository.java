package com.bedrockportal.drift;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The findings and runs of the reconciliation. */
@Repository
class DriftRepository {

    private static final String SELECT = """
            select f.*, a.slug as app_slug, u.slug as unit_slug from drift_finding f
            left join application a on a.id = f.application_id
            left join business_unit u on u.id = f.business_unit_id""";

    private final JdbcClient jdbc;

    DriftRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<DriftFinding> open() {
        return jdbc.sql(SELECT + " where f.resolved_at is null order by f.last_seen_at desc, f.id desc")
                .query(DriftRepository::map).list();
    }

    /** The open findings seen last, newest first, at most {@code max}. */
    List<DriftFinding> open(int max) {
        return jdbc.sql(SELECT + " where f.resolved_at is null order by f.last_seen_at desc, f.id desc "
                + "fetch first :max rows only").param("max", max).query(DriftRepository::map).list();
    }

    int countOpen() {
        return jdbc.sql("select count(*) from drift_finding where resolved_at is null").query(Integer.class).single();
    }

    /** The open findings of these kinds, oldest first, at most {@code max}. */
    List<DriftFinding> open(java.util.Collection<DriftFinding.Kind> kinds, int max) {
        return jdbc.sql(SELECT + " where f.resolved_at is null and f.kind in (:kinds) order by f.first_seen_at, f.id"
                + " limit :max").param("kinds", kinds.stream().map(Enum::name).toList()).param("max", max)
                .query(DriftRepository::map).list();
    }

    Optional<DriftFinding> find(long id) {
        return jdbc.sql(SELECT + " where f.id = :id").param("id", id).query(DriftRepository::map).optional();
    }

    /** The finding, its row locked until the transaction ends: two actions on it run one after the other. */
    Optional<DriftFinding> lock(long id) {
        jdbc.sql("select id from drift_finding where id = :id for update").param("id", id).query(Long.class)
                .optional();
        return find(id);
    }

    Optional<Long> openId(String fingerprint) {
        return jdbc.sql("select id from drift_finding where open_fingerprint = :f")
                .param("f", fingerprint).query(Long.class).optional();
    }

    /** Whether security's last action on this finding left AWS in exactly the state observed now. */
    boolean settledBySecurity(String fingerprint, String observed) {
        return jdbc.sql("""
                select resolution, observed from drift_finding where fingerprint = :f and resolved_at is not null
                order by resolved_at desc, id desc fetch first 1 rows only""").param("f", fingerprint)
                .query((rs, i) -> !"AUTO".equals(rs.getString(1)) && observed != null
                        && observed.equals(rs.getString(2)))
                .optional().orElse(false);
    }

    long insert(Observed o, Instant now) {
        jdbc.sql("""
                insert into drift_finding (kind, fingerprint, open_fingerprint, application_id, business_unit_id,
                    iam_user, resource, observed, detail, first_seen_at, last_seen_at)
                values (:kind, :fp, :fp, :app, :unit, :user, :resource, :observed, :detail, :now, :now)""")
                .param("kind", o.kind().name()).param("fp", o.fingerprint()).param("app", o.applicationId())
                .param("unit", o.businessUnitId()).param("user", o.iamUser()).param("resource", o.resource())
                .param("observed", o.observed()).param("detail", o.detail()).param("now", at(now)).update();
        return openId(o.fingerprint()).orElseThrow();
    }

    void seen(long id, Observed o, Instant now) {
        jdbc.sql("update drift_finding set last_seen_at = :now, detail = :detail, observed = :observed where id = :id")
                .param("now", at(now)).param("detail", o.detail()).param("observed", o.observed()).param("id", id)
                .update();
    }

    /** Open findings of these IAM users (the ones a run could read) that the run did not see again. */
    List<Long> openNotSeen(java.util.Collection<String> checkedUsers, java.util.Set<String> seenFingerprints) {
        return jdbc.sql("select id, fingerprint, iam_user from drift_finding where resolved_at is null")
                .query((rs, i) -> checkedUsers.contains(rs.getString(3)) && !seenFingerprints.contains(rs.getString(2))
                        ? rs.getLong(1) : null)
                .list().stream().filter(java.util.Objects::nonNull).toList();
    }

    boolean resolve(long id, DriftFinding.Resolution resolution, String by, String reason, String observed,
            Instant now) {
        return jdbc.sql("""
                update drift_finding set resolved_at = :now, open_fingerprint = null, resolution = :r, resolved_by = :by,
                    resolution_reason = :reason, observed = coalesce(:observed, observed)
                where id = :id and resolved_at is null""")
                .param("now", at(now)).param("r", resolution.name()).param("by", by).param("reason", reason)
                .param("observed", observed).param("id", id).update() == 1;
    }

    void run(Instant started, Instant finished, String by, DriftService.Outcome o) {
        jdbc.sql("""
                insert into drift_run (started_at, finished_at, triggered_by, users_checked, truncated, new_findings,
                    open_findings, resolved, failed_users)
                values (:s, :f, :by, :users, :truncated, :new, :open, :resolved, :failed)""")
                .param("s", at(started)).param("f", at(finished)).param("by", by).param("users", o.usersChecked())
                .param("truncated", o.truncated()).param("new", o.newFindings()).param("open", o.openFindings())
                .param("resolved", o.resolved()).param("failed", o.failedUsers()).update();
    }

    Optional<DriftService.LastRun> lastRun() {
        return jdbc.sql("select * from drift_run order by id desc fetch first 1 rows only")
                .query((rs, i) -> new DriftService.LastRun(
                instant(rs, "finished_at"), rs.getString("triggered_by"), new DriftService.Outcome(
                        rs.getInt("users_checked"), rs.getBoolean("truncated"), rs.getInt("new_findings"),
                        rs.getInt("open_findings"), rs.getInt("resolved"), rs.getInt("failed_users"),
                        java.time.Duration.between(instant(rs, "started_at"), instant(rs, "finished_at")))))
                .list().stream().findFirst();
    }

    /** A drift as one run observed it. */
    record Observed(DriftFinding.Kind kind, Long applicationId, Long businessUnitId, String iamUser, String resource,
            String observed, String detail) {
        String fingerprint() {
            return kind.name() + ":" + iamUser + ":" + resource;
        }
    }

    private static DriftFinding map(ResultSet rs, int row) throws SQLException {
        long app = rs.getLong("application_id");
        Long applicationId = rs.wasNull() ? null : app;
        String unitSlug = rs.getString("unit_slug");
        String appSlug = rs.getString("app_slug");
        String resolution = rs.getString("resolution");
        return new DriftFinding(rs.getLong("id"), DriftFinding.Kind.valueOf(rs.getString("kind")), applicationId,
                appSlug == null ? null : unitSlug + "/" + appSlug, rs.getString("iam_user"), rs.getString("resource"),
                rs.getString("observed"), rs.getString("detail"), instant(rs, "first_seen_at"),
                instant(rs, "last_seen_at"), instant(rs, "resolved_at"),
                resolution == null ? null : DriftFinding.Resolution.valueOf(resolution), rs.getString("resolved_by"),
                rs.getString("resolution_reason"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
