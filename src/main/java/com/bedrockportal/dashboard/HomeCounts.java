package com.bedrockportal.dashboard;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The home page's counts of what waits for the current user, counted by the database (like the dashboard's tiles,
 * read-only over other modules' tables): a requester's pending requests, keys to reveal, expiring keys and alerts on
 * their applications; security's and admins' open incidents, alerts, compromise cases, drift findings and units
 * without a manager.
 */
@Service
public class HomeCounts {

    /** A requester's counts; {@code revealRequestId} the request whose key to reveal when exactly one waits. */
    public record Requester(long pending, long toReveal, Long revealRequestId, long expiring7, long expiring30,
            long openAlerts, Long alertApplicationId) {
    }

    /** What security and admins watch. */
    public record Watch(long incidents, long openAlerts, long compromiseCases, long driftFindings,
            long unitsWithoutManager) {
    }

    /** When an application's newest working key expires (the applications list filters on the same). */
    private static final String EXPIRY = "(select max(k.expires_at) from api_key k where k.application_id = a.id "
            + "and k.status in ('PENDING_REVEAL', 'ACTIVE'))";

    private final JdbcClient jdbc;
    private final CurrentUser currentUser;
    private final Clock clock;

    HomeCounts(JdbcClient jdbc, CurrentUser currentUser, Clock clock) {
        this.jdbc = jdbc;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    /** The current user's own requests, keys and applications. */
    @PermitAll
    @Transactional(readOnly = true)
    public Requester requester() {
        String me = currentUser.get().orElseThrow().username();
        Instant now = clock.instant();
        long pending = jdbc.sql("select count(*) from access_request where requester = :me and status in "
                + "('PENDING_MANAGER', 'PENDING_SECURITY')").param("me", me).query(Long.class).single();
        List<Long> reveal = jdbc.sql("select request_id from api_key where requester = :me and status = "
                + "'PENDING_REVEAL' and sealed_secret is not null and held = false and reveal_deadline > :now order by "
                + "created_at")
                .param("me", me).param("now", Timestamp.from(now)).query((rs, n) -> {
                    long id = rs.getLong(1);
                    return rs.wasNull() ? 0L : id;
                }).list();
        String expiring = "select count(*) from application a where a.owner = :me and a.status = 'ACTIVE' and "
                + EXPIRY + " > :now and " + EXPIRY + " <= :until";
        long expiring7 = jdbc.sql(expiring).param("me", me).param("now", Timestamp.from(now))
                .param("until", Timestamp.from(now.plus(Duration.ofDays(7)))).query(Long.class).single();
        long expiring30 = jdbc.sql(expiring).param("me", me).param("now", Timestamp.from(now))
                .param("until", Timestamp.from(now.plus(Duration.ofDays(30)))).query(Long.class).single();
        List<Long> alertApps = jdbc.sql("select l.application_id from alert l join application a on "
                + "a.id = l.application_id where l.status = 'OPEN' and a.owner = :me").param("me", me)
                .query(Long.class).list();
        return new Requester(pending, reveal.size(), reveal.size() == 1 && reveal.get(0) > 0 ? reveal.get(0) : null,
                expiring7, expiring30, alertApps.size(),
                alertApps.stream().distinct().count() == 1 ? alertApps.get(0) : null);
    }

    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(readOnly = true)
    public Watch watch() {
        return new Watch(count("select count(*) from act_ru_incident"),
                count("select count(*) from alert where status = 'OPEN'"),
                count("select count(*) from compromise_case where status not in ('CLOSED', 'FALSE_ALARM')"),
                count("select count(*) from drift_finding where resolved_at is null"),
                count("select count(*) from business_unit u where u.deleted_at is null and not exists (select 1 from business_unit_manager m "
                        + "where m.business_unit_id = u.id)"));
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
