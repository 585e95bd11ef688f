package com.bedrockportal.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.shared.SqlConditions;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The lists behind the dashboard's tiles, paged by the database: every request (security and admins; a manager
 * their units' requests) with filters and CSV export, and the applications the user may see with their last use,
 * spend this month, budget, status and days to expiry. Filters are length-capped here, whatever the page sent.
 */
@Service
public class Lists {

    /** Audit action of a CSV export of the request list. */
    public static final String REQUESTS_EXPORTED = "REQUESTS_EXPORTED";
    static final int MAX_TEXT = 120;
    static final int MAX_PAGE = 500;
    private static final List<String> STATUSES = List.of("PENDING_MANAGER", "PENDING_SECURITY", "APPROVED",
            "REJECTED", "EXPIRED", "WITHDRAWN", "PROVISIONING", "PROVISIONED", "PROVISIONING_FAILED");

    /** Request filter; {@code status} a status name or {@code PENDING} (either approval); nulls ignored. */
    public record RequestFilter(String status, Long unitId, String requester, String application, LocalDate from,
            LocalDate to) {

        public RequestFilter {
            requester = cap(requester);
            application = cap(application);
            if (status != null && !"PENDING".equals(status) && !STATUSES.contains(status)) {
                status = null;
            }
        }

        public static RequestFilter none() {
            return new RequestFilter(null, null, null, null, null, null);
        }
    }

    public record RequestRow(long id, String status, String unit, String application, String requester,
            String models, BigDecimal budget, int lifetimeDays, Instant submittedAt, Instant updatedAt) {
    }

    /** Application filter: text in name, slug or owner; {@code expiringDays} keys expiring within that many days. */
    public record AppFilter(String text, Long unitId, String status, Integer expiringDays, AppSort sort) {

        public AppFilter {
            text = cap(text);
            if (status != null && !List.of("ACTIVE", "DECOMMISSIONING", "DECOMMISSIONED").contains(status)) {
                status = null;
            }
            if (expiringDays != null && (expiringDays < 0 || expiringDays > 3650)) {
                expiringDays = null;
            }
            sort = sort == null ? AppSort.NAME : sort;
        }

        public static AppFilter none() {
            return new AppFilter(null, null, null, null, AppSort.NAME);
        }
    }

    public enum AppSort {
        NAME, SPEND, EXPIRY, LAST_USED
    }

    public record AppRow(long id, String name, String slug, String unit, String owner, String iamUser,
            String models, BigDecimal budget, String status, Instant lastUsed, BigDecimal spentThisMonth,
            BigDecimal forecast, Instant expiresAt, Long daysToExpiry) {
    }

    private final JdbcClient jdbc;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final DashboardProperties properties;
    private final Clock clock;

    Lists(JdbcClient jdbc, CurrentUser currentUser, AuditLog audit, DashboardProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.currentUser = currentUser;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** A unit a filter may choose. */
    public record UnitOption(long id, String name) {
    }

    /** The units the user's filters offer: all for security and admins, else the user's (member or manager). */
    @PermitAll
    @Transactional(readOnly = true)
    public List<UnitOption> unitOptions() {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        boolean all = me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN);
        return jdbc.sql("select id, display_name from business_unit" + (all ? "" : " where id in (select "
                + "business_unit_id from business_unit_member where username = :me union select business_unit_id "
                + "from business_unit_manager where username = :me)") + " order by lower(display_name)")
                .params(all ? java.util.Map.of() : java.util.Map.of("me", me.username()))
                .query((rs, n) -> new UnitOption(rs.getLong(1), rs.getString(2))).list();
    }

    // ---- requests

    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional(readOnly = true)
    public List<RequestRow> requests(RequestFilter filter, int offset, int limit) {
        SqlConditions c = requestConditions(filter);
        return c.bind(jdbc.sql(REQUEST_SELECT + c.where() + " order by r.created_at desc, r.id desc limit :limit offset :offset"))
                .param("limit", Math.max(1, Math.min(limit, MAX_PAGE))).param("offset", Math.max(0, offset)).query((rs, n) -> requestRow(rs)).list();
    }

    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional(readOnly = true)
    public int countRequests(RequestFilter filter) {
        SqlConditions c = requestConditions(filter);
        return c.bind(jdbc.sql("select count(*) from access_request r" + c.where())).query(Integer.class).single();
    }

    /** Writes the filtered requests as CSV (at most {@code csv-max-rows}; a last line says when cut); audited. */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional
    public int exportRequests(RequestFilter filter, OutputStream out) throws IOException {
        SqlConditions c = requestConditions(filter);
        int max = properties.csvMaxRows();
        List<RequestRow> rows = c.bind(jdbc.sql(REQUEST_SELECT + c.where() + " order by r.created_at desc, r.id desc "
                + "limit :limit")).param("limit", max + 1).query((rs, n) -> requestRow(rs)).list();
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try (CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("request", "status",
                "business_unit", "application", "requester", "models", "monthly_budget_usd", "lifetime_days",
                "submitted_at", "updated_at").get())) {
            for (RequestRow r : rows.subList(0, Math.min(max, rows.size()))) {
                csv.printRecord(r.id(), r.status(), safe(r.unit()), safe(r.application()), safe(r.requester()),
                        safe(r.models()), r.budget(), r.lifetimeDays(), r.submittedAt(), r.updatedAt());
            }
            if (rows.size() > max) {
                csv.printRecord("cut: more than " + max + " rows match; narrow the filter");
            }
        }
        int written = Math.min(max, rows.size());
        audit.record(currentUser.usernameOrAnonymous(), REQUESTS_EXPORTED, "requests", written + " rows; filter "
                + filter);
        return written;
    }

    /** Spreadsheets run a cell that starts with = + - @ as a formula: such text is written with a leading quote. */
    static String safe(String s) {
        return com.bedrockportal.shared.SpreadsheetCells.defuse(s);
    }

    private static final String REQUEST_SELECT = "select r.id, r.status, bu.display_name, coalesce(a.display_name, "
            + "r.application_name), r.requester, r.models, r.monthly_budget, r.lifetime_days, r.created_at, "
            + "r.updated_at from access_request r join business_unit bu on bu.id = r.business_unit_id "
            + "left join application a on a.id = r.application_id";

    private static RequestRow requestRow(ResultSet rs) throws SQLException {
        return new RequestRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getBigDecimal(7), rs.getInt(8), rs.getTimestamp(9).toInstant(),
                rs.getTimestamp(10).toInstant());
    }

    private SqlConditions requestConditions(RequestFilter f) {
        SqlConditions c = new SqlConditions();
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        if (!me.has(PortalRole.SECURITY) && !me.has(PortalRole.ADMIN)) {
            c.add("r.business_unit_id in (select business_unit_id from business_unit_manager where username = :me)",
                    "me", me.username());
        }
        if ("PENDING".equals(f.status())) {
            c.add("r.status in ('PENDING_MANAGER', 'PENDING_SECURITY') and 1 = :one", "one", 1);
        } else if (f.status() != null) {
            c.add("r.status = :status", "status", f.status());
        }
        if (f.unitId() != null) {
            c.add("r.business_unit_id = :unit", "unit", f.unitId());
        }
        if (SqlConditions.hasText(f.requester())) {
            c.add("lower(r.requester) like :requester escape '\\'", "requester",
                    SqlConditions.containing(f.requester()));
        }
        if (SqlConditions.hasText(f.application())) {
            c.add("(lower(r.application_name) like :app escape '\\' or r.application_id in (select id from "
                    + "application where lower(display_name) like :app escape '\\'))", "app",
                    SqlConditions.containing(f.application()));
        }
        if (f.from() != null) {
            c.add("r.created_at >= :from", "from", Timestamp.from(f.from().atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        if (f.to() != null) {
            c.add("r.created_at < :to", "to", Timestamp.from(f.to().plusDays(1).atStartOfDay(ZoneOffset.UTC)
                    .toInstant()));
        }
        return c;
    }

    // ---- applications

    @PermitAll
    @Transactional(readOnly = true)
    public List<AppRow> applications(AppFilter filter, int offset, int limit) {
        Instant now = clock.instant();
        SqlConditions c = appConditions(filter, now);
        String order = switch (filter.sort()) {
            case SPEND -> "coalesce(s.actual_usd, 0) desc, a.display_name";
            case EXPIRY -> "case when " + EXPIRY + " is null then 1 else 0 end, " + EXPIRY + ", a.display_name";
            case LAST_USED -> "case when u.last_used_at is null then 1 else 0 end, u.last_used_at desc, a.display_name";
            case NAME -> "lower(a.display_name), a.id";
        };
        return c.bind(jdbc.sql(APP_SELECT + c.where() + " order by " + order + " limit :limit offset :offset"))
                .param("limit", Math.max(1, Math.min(limit, MAX_PAGE))).param("offset", Math.max(0, offset))
                .param("period", period(now)).query((rs, n) -> {
                    Timestamp exp = rs.getTimestamp(13);
                    Instant expires = exp == null ? null : exp.toInstant();
                    Timestamp used = rs.getTimestamp(10);
                    return new AppRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(9),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getBigDecimal(7), rs.getString(8),
                            used == null ? null : used.toInstant(), rs.getBigDecimal(11), rs.getBigDecimal(12),
                            expires, expires == null ? null : Math.max(0, Duration.between(now, expires).toDays()));
                }).list();
    }

    @PermitAll
    @Transactional(readOnly = true)
    public int countApplications(AppFilter filter) {
        Instant now = clock.instant();
        SqlConditions c = appConditions(filter, now);
        return c.bind(jdbc.sql("select count(*) from application a" + c.where())).query(Integer.class).single();
    }

    /**
     * When the application's newest working key expires: evaluated per row through the key's application index, so
     * a page of 50 costs 50 index look-ups, not an aggregate over every key.
     */
    private static final String EXPIRY = "(select max(k.expires_at) from api_key k where k.application_id = a.id "
            + "and k.status in ('PENDING_REVEAL', 'ACTIVE'))";

    private static final String APP_SELECT = "select a.id, a.display_name, a.slug, a.owner, a.iam_user, a.models, "
            + "a.monthly_budget, a.status, bu.display_name, u.last_used_at, s.actual_usd, s.forecast_usd, "
            + EXPIRY + " from application a join business_unit bu on bu.id = a.business_unit_id "
            + "left join usage_summary u on u.application_id = a.id "
            + "left join spend_month s on s.scope = 'APPLICATION' and s.scope_id = a.id and s.period = :period";

    private SqlConditions appConditions(AppFilter f, Instant now) {
        SqlConditions c = new SqlConditions();
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        if (!me.has(PortalRole.SECURITY) && !me.has(PortalRole.ADMIN)) {
            c.add("a.business_unit_id in (select business_unit_id from business_unit_member where username = :me "
                    + "union select business_unit_id from business_unit_manager where username = :me)", "me",
                    me.username());
        }
        if (SqlConditions.hasText(f.text())) {
            c.add("(lower(a.display_name) like :text escape '\\' or lower(a.slug) like :text escape '\\' "
                    + "or lower(a.owner) like :text escape '\\')", "text", SqlConditions.containing(f.text()));
        }
        if (f.unitId() != null) {
            c.add("a.business_unit_id = :unit", "unit", f.unitId());
        }
        if (f.status() != null) {
            c.add("a.status = :status", "status", f.status());
        }
        if (f.expiringDays() != null) {
            // The newest working key expires in (now, until]: some working key does (found through the expiry
            // index, a few rows), and none expires later. Computing every application's newest expiry first took
            // 2.2 s at 60,000 applications.
            c.add("a.id in (select k.application_id from api_key k where k.expires_at > :now and k.expires_at <= "
                    + ":until and k.status in ('PENDING_REVEAL', 'ACTIVE')) and " + EXPIRY + " <= :until", "now",
                    Timestamp.from(now)).param("until", Timestamp.from(now.plus(Duration.ofDays(f.expiringDays()))));
        }
        return c;
    }

    static String period(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).toString().substring(0, 7);
    }

    private static String cap(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) : t;
    }
}
