package com.bedrockportal.application;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class DecommissionRepository {

    private final JdbcClient jdbc;

    DecommissionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(long applicationId, String requestedBy, Decommission.RequestedAs as, String reason,
            Decommission.Status status, Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into application_decommission (application_id, requested_by, requested_as, reason,
                    requested_at, status)
                values (:app, :by, :as, :reason, :now, :status)""")
                .param("app", applicationId).param("by", requestedBy).param("as", as.name()).param("reason", reason)
                .param("now", at(now)).param("status", status.name()).update(keys, "id");
        return Objects.requireNonNull(keys.getKeyAs(Number.class), "no generated id").longValue();
    }

    Optional<Decommission> find(long id) {
        return jdbc.sql("select * from application_decommission where id = :id").param("id", id)
                .query(DecommissionRepository::map).optional();
    }

    /** The application's latest decommission, if any. */
    Optional<Decommission> latest(long applicationId) {
        return jdbc.sql("select * from application_decommission where application_id = :app order by id desc "
                + "fetch first 1 rows only").param("app", applicationId).query(DecommissionRepository::map)
                .optional();
    }

    boolean decide(long id, String by, String as, boolean approve, String comment, Instant now) {
        return jdbc.sql("""
                update application_decommission set status = :to, decided_by = :by, decided_as = :as,
                    decided_at = :now, decision_comment = :comment
                where id = :id and status = :from""")
                .param("to", (approve ? Decommission.Status.RUNNING : Decommission.Status.REJECTED).name())
                .param("by", by).param("as", as).param("now", at(now)).param("comment", comment).param("id", id)
                .param("from", Decommission.Status.PENDING_APPROVAL.name()).update() == 1;
    }

    /** Ends an open decommission (waiting or running) as DONE or FAILED; false when it was no longer open. */
    boolean finish(long id, Decommission.Status to, String failure, Instant now) {
        return jdbc.sql("""
                update application_decommission set status = :to, failure = :failure, finished_at = :now
                where id = :id and status in (:open)""")
                .param("to", to.name()).param("failure", failure).param("now", at(now)).param("id", id)
                .param("open", to == Decommission.Status.DONE ? List.of(Decommission.Status.RUNNING.name())
                        : List.of(Decommission.Status.RUNNING.name(), Decommission.Status.PENDING_APPROVAL.name()))
                .update() == 1;
    }

    /** Records a deleted resource once (a replayed step finds its row and adds none). */
    void recordTeardown(long applicationId, Teardown.Step step, String resource, String detail, Instant now) {
        jdbc.sql("""
                insert into application_teardown (application_id, step, resource, detail, done_at)
                select :app, :step, :resource, :detail, :now where not exists (
                    select 1 from application_teardown where application_id = :app and step = :step
                    and resource = :resource)""")
                .param("app", applicationId).param("step", step.name()).param("resource", resource)
                .param("detail", detail).param("now", at(now)).update();
    }

    List<Teardown> teardown(long applicationId) {
        return jdbc.sql("select * from application_teardown where application_id = :app order by done_at, step")
                .param("app", applicationId)
                .query((rs, i) -> new Teardown(Teardown.Step.valueOf(rs.getString("step")), rs.getString("resource"),
                        rs.getString("detail"), instant(rs, "done_at")))
                .list();
    }

    void setStatus(long applicationId, Application.Status from, Application.Status to, Instant now) {
        jdbc.sql("""
                update application set status = :to, updated_at = :now, version = version + 1
                where id = :id and status = :from""")
                .param("to", to.name()).param("now", at(now)).param("id", applicationId).param("from", from.name())
                .update();
    }

    private static Decommission map(ResultSet rs, int row) throws SQLException {
        return new Decommission(rs.getLong("id"), rs.getLong("application_id"), rs.getString("requested_by"),
                Decommission.RequestedAs.valueOf(rs.getString("requested_as")), rs.getString("reason"),
                instant(rs, "requested_at"), Decommission.Status.valueOf(rs.getString("status")),
                rs.getString("decided_by"), rs.getString("decided_as"), instant(rs, "decided_at"),
                rs.getString("decision_comment"), rs.getString("failure"), instant(rs, "finished_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
