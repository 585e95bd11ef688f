package com.bedrockportal.dashboard;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One audience's dashboard figures at {@code computedAt}: the tiles, each chart's numbers (its table view) and the
 * charts as SVG ({@code charts}: chart name → {@code wide} and {@code narrow} renderings). Tiles an audience does not
 * see are null (incidents, compromise cases and drift findings are security's).
 */
public record Figures(String scope, Instant computedAt, long tookMs, Tiles tiles, List<UnitKeys> keysByUnit,
        List<WeekCount> expiry, List<WeekLead> leadTime, List<UnitSpend> spend, List<LocalDate> usageDays,
        List<AppUsage> usage, Map<String, Chart> charts) {

    /** Chart names (keys of {@link #charts}). */
    public static final String KEYS = "keys";
    public static final String EXPIRY = "expiry";
    public static final String LEAD_TIME = "lead-time";
    public static final String SPEND = "spend";
    public static final String INVOCATIONS = "invocations";
    public static final String DENIED = "denied";

    public record Tiles(long activeKeys, long expiring7, long expiring30, long pendingApprovals,
            Instant oldestPendingSince, Long openIncidents, Long openCompromiseCases, Long openDriftFindings,
            BigDecimal spendThisMonth, BigDecimal budgetsThisMonth, Long openAlerts) {
    }

    /** A unit's live keys by status ({@code expired}: active or pending reveal, past the expiry). */
    public record UnitKeys(long unitId, String unit, long active, long pendingReveal, long inactive, long expired) {

        public long total() {
            return active + pendingReveal + inactive + expired;
        }
    }

    /** Keys whose expiry falls in the week starting {@code weekStart} (Monday, UTC). */
    public record WeekCount(LocalDate weekStart, long keys) {
    }

    /** Requests provisioned in the week starting {@code weekStart}: submitted → key created, in hours. */
    public record WeekLead(LocalDate weekStart, int provisioned, double medianHours, double p90Hours) {
    }

    /** A unit's month-to-date spend, forecast (null: not known) and the sum of its applications' budgets. */
    public record UnitSpend(long unitId, String unit, BigDecimal actual, BigDecimal forecast, BigDecimal budget) {
    }

    /** An application's daily calls and refused calls, one value per {@link Figures#usageDays} entry. */
    public record AppUsage(long applicationId, String application, String unit, List<Long> invocations,
            List<Long> denied) {

        public long totalInvocations() {
            return invocations.stream().mapToLong(Long::longValue).sum();
        }

        public long totalDenied() {
            return denied.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A chart rendered for wide screens and for phones; {@code title} is its accessible name. */
    public record Chart(String title, String wide, String narrow) {
    }
}
