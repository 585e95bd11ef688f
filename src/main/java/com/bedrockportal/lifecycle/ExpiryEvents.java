package com.bedrockportal.lifecycle;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the expiry watch did to each key ({@code key_expiry_event}): one row per key and event, unique. Writing the row
 * is how a node claims the event: a second node's (or a second run's) insert of the same row fails with a
 * {@link org.springframework.dao.DuplicateKeyException}, and the transaction that would have done it again is rolled
 * back.
 */
@Repository
class ExpiryEvents {

    /** The events, as stored in {@code event}. */
    static final String ROTATION_STARTED = "ROTATION_STARTED";
    static final String DELETED = "DELETED";
    static final String REMIND = "REMIND_";

    /** One row of a key's expiry timeline. */
    record Event(long keyId, String event, Instant at, String detail) {
    }

    private final JdbcClient jdbc;

    ExpiryEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Claims the event for the key, in the caller's transaction; a second claim fails on the unique constraint. */
    @Transactional(propagation = Propagation.MANDATORY)
    void claim(long keyId, String event, Instant at, String detail) {
        jdbc.sql("""
                insert into key_expiry_event (key_id, event, happened_at, detail)
                values (:key, :event, :at, :detail)""")
                .param("key", keyId).param("event", event).param("at", at.atOffset(ZoneOffset.UTC))
                .param("detail", detail.length() <= 500 ? detail : detail.substring(0, 499) + "…").update();
    }

    /** Replaces the details of a claimed event (in the claim's transaction, once the outcome is known). */
    @Transactional(propagation = Propagation.MANDATORY)
    void note(long keyId, String event, String detail) {
        jdbc.sql("update key_expiry_event set detail = :detail where key_id = :key and event = :event")
                .param("key", keyId).param("event", event)
                .param("detail", detail.length() <= 500 ? detail : detail.substring(0, 499) + "…").update();
    }

    @Transactional(readOnly = true)
    boolean happened(long keyId, String event) {
        return jdbc.sql("select count(*) from key_expiry_event where key_id = :key and event = :event")
                .param("key", keyId).param("event", event).query(Integer.class).single() > 0;
    }

    /** A key's events, oldest first. */
    @Transactional(readOnly = true)
    List<Event> of(long keyId) {
        return jdbc.sql("select * from key_expiry_event where key_id = :key order by happened_at, id")
                .param("key", keyId).query((rs, i) -> new Event(rs.getLong("key_id"), rs.getString("event"),
                        rs.getObject("happened_at", OffsetDateTime.class).toInstant(), rs.getString("detail")))
                .list();
    }
}
