package com.bedrockportal.workflow;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class DecisionRepository {

    private final JdbcClient jdbc;

    DecisionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts; the primary key (request, stage) makes a second decision at the same stage fail. */
    void insert(Decision d) {
        jdbc.sql("""
                insert into request_decision (request_id, stage, decided_by, approved, comment, decided_at, decided_as)
                values (:id, :stage, :by, :approved, :comment, :at, :as)""")
                .param("as", d.decidedAs())
                .param("id", d.requestId()).param("stage", d.stage().name()).param("by", d.decidedBy())
                .param("approved", d.approved()).param("comment", d.comment())
                .param("at", d.decidedAt().atOffset(ZoneOffset.UTC)).update();
    }

    Optional<Decision> find(long requestId, Stage stage) {
        return all(requestId).stream().filter(d -> d.stage() == stage).findFirst();
    }

    /** Who approved each of {@code requestIds} as its manager, for those that have a manager's decision. */
    java.util.Map<Long, String> managerDeciders(java.util.Collection<Long> requestIds) {
        java.util.Map<Long, String> deciders = new java.util.HashMap<>();
        if (!requestIds.isEmpty()) {
            jdbc.sql("select request_id, decided_by from request_decision where stage = 'MANAGER' and request_id in "
                    + "(:ids)").param("ids", requestIds)
                    .query((rs, i) -> deciders.put(rs.getLong(1), rs.getString(2))).list();
        }
        return deciders;
    }

    List<Decision> all(long requestId) {
        return jdbc.sql("select * from request_decision where request_id = :id order by decided_at")
                .param("id", requestId)
                .query((rs, i) -> new Decision(rs.getLong("request_id"), Stage.valueOf(rs.getString("stage")),
                        rs.getString("decided_by"), rs.getBoolean("approved"), rs.getString("comment"),
                        rs.getObject("decided_at", OffsetDateTime.class).toInstant(), rs.getString("decided_as")))
                .list();
    }

}
