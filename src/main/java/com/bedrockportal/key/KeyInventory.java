package com.bedrockportal.key;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.shared.SqlConditions;

import jakarta.annotation.security.PermitAll;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "My keys": every key the user may see — requesters and managers those of their units, security and admins all —
 * with only the first 12 characters of each. Filtered, sorted and paged in the database.
 */
@Service
public class KeyInventory {

    /** One key as listed. {@code status}: pending reveal, active, inactive, expired, deleted, revoked. */
    public record Row(long keyId, long requestId, String businessUnit, String iamUser, String prefix, Instant createdAt,
            Instant expiresAt, long daysLeft, String status, Instant revealedAt, String revealedBy) {
    }

    /** Blank parts match everything; {@code applicationId} null: keys of every application. */
    public record Filter(String text, String status, Long applicationId) {
        /** The search text is capped at 120 characters on the server as in the view. */
        public Filter {
            text = text == null || text.length() <= 120 ? text : text.substring(0, 120);
            status = status == null || status.length() <= 32 ? status : status.substring(0, 32);
        }

        public Filter(String text, String status) {
            this(text, status, null);
        }

        /** Every key of one application. */
        public static Filter ofApplication(long applicationId) {
            return new Filter(null, null, applicationId);
        }
    }

    public enum Sort {
        CREATED_DESC, EXPIRES_ASC
    }

    private final JdbcClient jdbc;
    private final BusinessUnitService units;
    private final CurrentUser currentUser;
    private final Clock clock;

    KeyInventory(JdbcClient jdbc, BusinessUnitService units, CurrentUser currentUser, Clock clock) {
        this.jdbc = jdbc;
        this.units = units;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @PermitAll
    @Transactional(readOnly = true)
    public List<Row> list(Filter filter, Sort sort, int offset, int limit) {
        SqlConditions q = conditions(filter);
        if (q == null) {
            return List.of();
        }
        String order = sort == Sort.EXPIRES_ASC ? "k.expires_at asc, k.id" : "k.created_at desc, k.id desc";
        var spec = q.bind(jdbc.sql("select k.*, b.display_name from api_key k join business_unit b "
                + "on b.id = k.business_unit_id" + q.where() + " order by " + order + " limit :limit offset :offset"));
        Instant now = clock.instant();
        return spec.param("limit", Math.min(limit, 500)).param("offset", offset).query((rs, i) -> {
            Instant expires = rs.getObject("expires_at", OffsetDateTime.class).toInstant();
            OffsetDateTime revealed = rs.getObject("revealed_at", OffsetDateTime.class);
            return new Row(rs.getLong("id"), rs.getLong("request_id"), rs.getString("display_name"),
                    rs.getString("iam_user"), rs.getString("key_prefix"), rs.getObject("created_at", OffsetDateTime.class).toInstant(), expires,
                    Math.max(0, Duration.between(now, expires).toDays()), status(rs.getString("status"), expires, now),
                    revealed == null ? null : revealed.toInstant(), rs.getString("revealed_by"));
        }).list();
    }

    @PermitAll
    @Transactional(readOnly = true)
    public int count(Filter filter) {
        SqlConditions q = conditions(filter);
        if (q == null) {
            return 0;
        }
        return q.bind(jdbc.sql("select count(*) from api_key k join business_unit b on b.id = k.business_unit_id"
                + q.where())).query(Integer.class).single();
    }

    private static String status(String stored, Instant expires, Instant now) {
        return label(KeyStatus.valueOf(stored), expires, now);
    }

    /**
     * How a key's status reads everywhere (lists, the application page, the key page): "expired" for an ACTIVE or
     * PENDING_REVEAL key past its expiry (AWS stops it by itself), otherwise the stored status.
     */
    public static String label(KeyStatus status, Instant expires, Instant now) {
        if (expired(status, expires, now)) {
            return EXPIRED;
        }
        return status.label();
    }

    /** The label of a key past its expiry, and the filter that finds them. */
    public static final String EXPIRED = "expired";

    /** Whether a status filter names something: a status or {@value #EXPIRED}. Blank names nothing (every key). */
    public static boolean knownStatus(String asked) {
        return asked == null || asked.isBlank() || KeyStatus.parse(asked) != null
                || EXPIRED.equalsIgnoreCase(asked.strip());
    }

    /** Whether the key has expired while the portal still counts it as working. */
    public static boolean expired(KeyStatus status, Instant expires, Instant now) {
        return (status == KeyStatus.ACTIVE || status == KeyStatus.PENDING_REVEAL) && !expires.isAfter(now);
    }

    /** Null when the user may see no key at all. */
    private SqlConditions conditions(Filter filter) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        SqlConditions where = new SqlConditions();
        if (!me.has(PortalRole.SECURITY) && !me.has(PortalRole.ADMIN)) {
            Set<Long> visible = units.unitsOf(me.username()).stream()
                    .filter(u -> me.has(PortalRole.REQUESTER) && u.members().contains(me.username())
                            || me.has(PortalRole.MANAGER) && u.managers().contains(me.username()))
                    .map(BusinessUnit::id).collect(Collectors.toSet());
            if (visible.isEmpty()) {
                return null;
            }
            where.add("k.business_unit_id in (:units)", "units", List.copyOf(visible));
        }
        if (SqlConditions.hasText(filter.text())) {
            where.add("(lower(k.iam_user) like :text escape '\\' or lower(b.display_name) like :text escape '\\' "
                    + "or k.key_prefix like :raw)", "text", SqlConditions.containing(filter.text()))
                    .param("raw", "%" + filter.text().strip() + "%");
        }
        if (filter.applicationId() != null) {
            where.add("k.application_id = :app", "app", filter.applicationId());
        }
        KeyStatus status = KeyStatus.parse(filter.status());
        if (status != null) {
            where.add("k.status = :status", "status", status.name());
            if (status == KeyStatus.ACTIVE || status == KeyStatus.PENDING_REVEAL) {
                // A working status past its expiry is listed (and filtered) as "expired", not as this one.
                where.add("k.expires_at > :notExpiredBy", "notExpiredBy",
                        clock.instant().atOffset(java.time.ZoneOffset.UTC));
            }
        } else if (EXPIRED.equalsIgnoreCase(filter.status() == null ? "" : filter.status().strip())) {
            // As the lists label it: still working for the portal, but past its expiry (AWS stops it by itself).
            where.add("k.status in ('ACTIVE', 'PENDING_REVEAL') and k.expires_at <= :expiredBy", "expiredBy",
                    clock.instant().atOffset(java.time.ZoneOffset.UTC));
        }
        return where;
    }
}
