package com.bedrockportal.monitoring;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.shared.InLists;

import jakarta.annotation.security.PermitAll;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The figures the usage collection wrote, read-only, for the application page, the lists and the dashboard. Each
 * method answers only for an application the current user may see (as {@link ApplicationService#find} decides: its
 * unit's people, security and admins); for any other it answers as for one without figures.
 */
@Service
public class UsageFigures {

    /** An application's last look: last call AWS accepted, last call, addresses, calls in the window. */
    public record Summary(long applicationId, Instant lastUsedAt, Instant lastCallAt, List<String> sourceIps,
            int callsInWindow, Instant windowFrom, Instant refreshedAt, String error) {
    }

    /** A day of an application's Bedrock calls (UTC). */
    public record Day(LocalDate day, int invocations, int accessDenied, int outsideRanges, long inputTokens,
            long outputTokens, BigDecimal costUsd) {
    }

    /** A budget's month so far. Amounts null when AWS has not answered yet. */
    public record MonthSpend(String period, String budgetName, BigDecimal budgetUsd, BigDecimal actualUsd,
            BigDecimal forecastUsd, Integer alertThreshold, Instant refreshedAt, String error) {
    }

    private static final DateTimeFormatter PERIOD = DateTimeFormatter.ofPattern("yyyy-MM");

    private final JdbcClient jdbc;
    private final ApplicationService applications;
    private final Clock clock;

    UsageFigures(JdbcClient jdbc, ApplicationService applications, Clock clock) {
        this.jdbc = jdbc;
        this.applications = applications;
        this.clock = clock;
    }

    /** The application's last look, if the user may see it and it was looked at. */
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<Summary> summary(long applicationId) {
        if (applications.find(applicationId).isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("select * from usage_summary where application_id = :app").param("app", applicationId)
                .query((rs, i) -> {
                    String ips = rs.getString("source_ips");
                    return new Summary(applicationId, instant(rs.getObject("last_used_at", OffsetDateTime.class)),
                            instant(rs.getObject("last_call_at", OffsetDateTime.class)),
                            ips == null || ips.isBlank() ? List.of() : Arrays.asList(ips.split(",")),
                            rs.getInt("calls_in_window"), instant(rs.getObject("window_from", OffsetDateTime.class)),
                            instant(rs.getObject("refreshed_at", OffsetDateTime.class)), rs.getString("error"));
                }).optional();
    }

    /** When the application's keys were last used (a call AWS accepted), if seen. */
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<Instant> lastUsed(long applicationId) {
        return summary(applicationId).map(Summary::lastUsedAt);
    }

    /** The application's budget this month (UTC), if the user may see it and it was read. */
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<MonthSpend> spendThisMonth(long applicationId) {
        return spendIn(applicationId, YearMonth.now(clock.withZone(ZoneOffset.UTC)));
    }

    /** The application's budget in a month (UTC), if the user may see it and it was read then (access reviews). */
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<MonthSpend> spendIn(long applicationId, YearMonth month) {
        if (applications.find(applicationId).isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select * from spend_month where scope = 'APPLICATION' and scope_id = :app and period = :period""")
                .param("app", applicationId).param("period", PERIOD.format(month))
                .query((rs, i) -> new MonthSpend(rs.getString("period"), rs.getString("budget_name"),
                        rs.getBigDecimal("budget_usd"), rs.getBigDecimal("actual_usd"),
                        rs.getBigDecimal("forecast_usd"), (Integer) rs.getObject("alert_threshold", Integer.class),
                        instant(rs.getObject("refreshed_at", OffsetDateTime.class)), rs.getString("error")))
                .optional();
    }

    /** What an access review shows of an application's use: when it was last used, its spend this and last month. */
    public record Recent(Instant lastUsedAt, BigDecimal spendUsd, BigDecimal previousSpendUsd) {
        /** An application without use or spend, or one the user may not see. */
        public static final Recent NONE = new Recent(null, null, null);
    }

    /**
     * {@link Recent} of each of these applications the user may see (the others are left out), read in three queries
     * whatever their number ({@code month} and the month before it).
     */
    @PermitAll
    @Transactional(readOnly = true)
    public Map<Long, Recent> recent(Collection<Application> apps, YearMonth month) {
        List<Long> ids = List.copyOf(applications.visible(apps));
        Map<Long, Instant> lastUsed = new HashMap<>();
        Map<String, BigDecimal> spend = new HashMap<>();
        String period = PERIOD.format(month);
        String previous = PERIOD.format(month.minusMonths(1));
        for (List<Long> chunk : InLists.chunks(ids)) {
            jdbc.sql("select application_id, last_used_at from usage_summary where application_id in (:ids)")
                    .param("ids", chunk).query((rs, i) -> lastUsed.put(rs.getLong(1),
                            instant(rs.getObject(2, OffsetDateTime.class)))).list();
            jdbc.sql("""
                    select scope_id, period, actual_usd from spend_month
                    where scope = 'APPLICATION' and scope_id in (:ids) and period in (:periods)""")
                    .param("ids", chunk).param("periods", List.of(period, previous))
                    .query((rs, i) -> spend.put(rs.getLong(1) + "/" + rs.getString(2), rs.getBigDecimal(3))).list();
        }
        Map<Long, Recent> recent = new HashMap<>();
        for (long id : ids) {
            recent.put(id, new Recent(lastUsed.get(id), spend.get(id + "/" + period), spend.get(id + "/" + previous)));
        }
        return recent;
    }

    /** The application's days from {@code from} (inclusive), oldest first, at most 400. */
    @PermitAll
    @Transactional(readOnly = true)
    public List<Day> usageDays(long applicationId, LocalDate from) {
        if (applications.find(applicationId).isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                select * from usage_day where application_id = :app and usage_date >= :from
                order by usage_date limit 400""")
                .param("app", applicationId).param("from", from)
                .query((rs, i) -> new Day(rs.getObject("usage_date", LocalDate.class), rs.getInt("invocations"),
                        rs.getInt("access_denied"), rs.getInt("outside_ranges"), rs.getLong("input_tokens"),
                        rs.getLong("output_tokens"), rs.getBigDecimal("cost_usd")))
                .list();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
