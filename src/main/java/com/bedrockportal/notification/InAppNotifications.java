package com.bedrockportal.notification;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.bedrockportal.identity.CurrentUser;

import jakarta.annotation.security.PermitAll;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The current user's in-app notifications (the bell). */
@Service
public class InAppNotifications {

    /** One notification. */
    public record Item(long id, String title, String body, String link, Instant createdAt, boolean read) {
    }

    private final JdbcClient jdbc;
    private final CurrentUser currentUser;
    private final Clock clock;

    InAppNotifications(JdbcClient jdbc, CurrentUser currentUser, Clock clock) {
        this.jdbc = jdbc;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @PermitAll
    @Transactional(readOnly = true)
    public int unreadCount() {
        return jdbc.sql("select count(*) from notification where recipient = :u and read_at is null")
                .param("u", me()).query(Integer.class).single();
    }

    /** The most a list of recent notifications holds, whatever a caller asks. */
    public static final int MAX_RECENT = 200;

    @PermitAll
    @Transactional(readOnly = true)
    public List<Item> recent(int limit) {
        return jdbc.sql("select * from notification where recipient = :u order by id desc limit :limit")
                .param("u", me()).param("limit", Math.max(0, Math.min(limit, MAX_RECENT)))
                .query((rs, i) -> new Item(rs.getLong("id"), rs.getString("title"), rs.getString("body"),
                        rs.getString("link"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("read_at") != null))
                .list();
    }

    /**
     * Marks the current user's notifications up to {@code newestShown} (an {@link Item#id()}) read: those the list
     * showed, and older ones. One that arrived after the list was read stays unread and counts on the bell; marking
     * everything read marked it too, unseen.
     */
    @PermitAll
    @Transactional
    public void markReadUpTo(long newestShown) {
        jdbc.sql("update notification set read_at = :now where recipient = :u and read_at is null and id <= :newest")
                .param("now", clock.instant().atOffset(ZoneOffset.UTC)).param("u", me()).param("newest", newestShown)
                .update();
    }

    private String me() {
        return currentUser.get().orElseThrow().username();
    }
}
