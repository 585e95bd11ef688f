package com.bedrockportal.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.shared.SqlConditions;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AuditRepository {

    record Head(long lastSeq, String lastHash) {
    }

    private final JdbcClient jdbc;

    AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Head lockHead() {
        return jdbc.sql("select last_seq, last_hash from audit_chain_head where id = 1 for update")
                .query((rs, i) -> new Head(rs.getLong(1), rs.getString(2))).single();
    }

    /** The id of the chain key that signed the row {@code seq}; empty for an unsigned row or none. */
    Optional<String> signedWith(long seq) {
        return jdbc.sql("select chain_key from audit_event where seq = :seq and chain_key is not null")
                .param("seq", seq).query(String.class).optional();
    }

    Head head() {
        return jdbc.sql("select last_seq, last_hash from audit_chain_head where id = 1")
                .query((rs, i) -> new Head(rs.getLong(1), rs.getString(2))).single();
    }

    void insert(AuditEntry e) {
        jdbc.sql("""
                insert into audit_event (seq, occurred_at, actor, action, target, details, prev_hash, hash, chain_key)
                values (:seq, :at, :actor, :action, :target, :details, :prev, :hash, :key)""")
                .param("seq", e.seq()).param("at", e.occurredAt().atOffset(ZoneOffset.UTC)).param("actor", e.actor())
                .param("action", e.action()).param("target", e.target()).param("details", e.details())
                .param("prev", e.prevHash()).param("hash", e.hash()).param("key", e.chainKey()).update();
    }

    void advanceHead(long seq, String hash) {
        jdbc.sql("update audit_chain_head set last_seq = :seq, last_hash = :hash where id = 1")
                .param("seq", seq).param("hash", hash).update();
    }

    List<AuditEntry> pageFrom(long fromSeq, int limit) {
        return jdbc.sql("select * from audit_event where seq >= :from order by seq limit :limit")
                .param("from", fromSeq).param("limit", limit).query(AuditRepository::map).list();
    }

    List<AuditEntry> find(AuditFilter filter, int offset, int limit) {
        SqlConditions where = where(filter);
        return where.bind(jdbc.sql("select * from audit_event" + where.where()
                + " order by seq desc limit :limit offset :offset")).param("limit", limit).param("offset", offset).query(AuditRepository::map).list();
    }

    /**
     * The rows of the filter older than {@code beforeSeq}, newest first, at most {@code limit}: an export's pages,
     * each found by the index whatever its depth (an offset would read every row before it again).
     */
    List<AuditEntry> findBefore(AuditFilter filter, long beforeSeq, int limit) {
        SqlConditions where = where(filter);
        where.add("seq < :before", "before", beforeSeq);
        return where.bind(jdbc.sql("select * from audit_event" + where.where()
                + " order by seq desc limit :limit")).param("limit", limit).query(AuditRepository::map).list();
    }

    /** How many rows match, counting no further than {@code upTo}: a million rows are not counted to list 50. */
    int countUpTo(AuditFilter filter, int upTo) {
        SqlConditions where = where(filter);
        return where.bind(jdbc.sql("select count(*) from (select 1 from audit_event" + where.where()
                + " fetch first :upTo rows only) matching")).param("upTo", upTo).query(Integer.class).single();
    }

    /** The newest {@code limit} matching rows, oldest first: a long history keeps its recent rows, not its first. */
    List<AuditEntry> ofTarget(String target, String actionPrefix, int limit) {
        return jdbc.sql("select * from (select * from audit_event where target = :t and action like :a "
                + "order by seq desc limit :limit) newest order by seq")
                .param("t", target).param("a", actionPrefix + "%").param("limit", limit)
                .query(AuditRepository::map).list();
    }

    /**
     * Every action the log holds, in order: each found from the last by the action index (a loose index scan), so a
     * million rows of a few dozen actions cost a few dozen index look-ups, not a read of every row.
     */
    List<String> distinctActions() {
        return jdbc.sql("""
                with recursive actions (action) as (
                    select min(action) from audit_event
                    union all
                    select (select min(e.action) from audit_event e where e.action > a.action)
                    from actions a where a.action is not null)
                select action from actions where action is not null order by action""").query(String.class).list();
    }

    private static AuditEntry map(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
                rs.getString("action"), rs.getString("target"), rs.getString("details"), rs.getString("prev_hash"),
                rs.getString("hash"), rs.getString("chain_key"));
    }

    private static SqlConditions where(AuditFilter f) {
        SqlConditions where = new SqlConditions();
        if (SqlConditions.hasText(f.actor())) {
            where.add("lower(actor) like :actor escape '\\'", "actor", SqlConditions.containing(f.actor()));
        }
        if (SqlConditions.hasText(f.action())) {
            where.add("action = :action", "action", f.action());
        }
        if (SqlConditions.hasText(f.target())) {
            where.add("lower(target) like :target escape '\\'", "target", SqlConditions.containing(f.target()));
        }
        if (f.from() != null) {
            // Rows carry milliseconds (see AuditLog.record): a bound inside a row's millisecond still includes it.
            where.add("occurred_at >= :from", "from",
                    f.from().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC));
        }
        if (f.to() != null) {
            where.add("occurred_at < :to", "to", f.to().atOffset(ZoneOffset.UTC));
        }
        return where;
    }
}
