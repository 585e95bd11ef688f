package com.bedrockportal.provisioning;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import com.bedrockportal.provisioning.SpendReports.DailySpend;

import org.junit.jupiter.api.Test;

import static com.bedrockportal.provisioning.Contracts.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What both adapters of {@link SpendReports} must do alike. */
public interface SpendReportsContract {

    SpendReports spendReports();

    /** A day whose spend the adapter's account reports (before its today). */
    LocalDate firstDay();

    /**
     * Arranges that from {@link #firstDay()} on, one day after the other, the application {@code app} of {@code unit}
     * spent these amounts on Amazon Bedrock and the application {@code other} of the same unit those; and nothing
     * else was spent with those tags in the days asked below.
     */
    void arrangeSpend(String unit, String app, List<BigDecimal> amounts, String other, List<BigDecimal> otherAmounts);

    /** Makes reports fail like AWS does with this kind (throttling for TRANSIENT, access denied) until {@link #recover()}. */
    void failReports(CloudException.Kind kind);

    void recover();

    static List<BigDecimal> usd(String... amounts) {
        return java.util.Arrays.stream(amounts).map(BigDecimal::new).toList();
    }

    private static void assertSpend(List<DailySpend> found, LocalDate first, List<BigDecimal> amounts) {
        assertThat(found).extracting(DailySpend::day)
                .containsExactlyElementsOf(first.datesUntil(first.plusDays(amounts.size())).toList());
        for (int i = 0; i < amounts.size(); i++) {
            assertThat(found.get(i).amountUsd()).as("spend on " + found.get(i).day()).isEqualByComparingTo(amounts.get(i));
        }
    }

    @Test
    default void anApplicationsSpendIsOneRowPerDayOldestFirstWithTheEndExcluded() {
        String unit = unique("unit");
        String app = unique("app");
        arrangeSpend(unit, app, usd("1.25", "0", "3.5", "0.02", "0", "7.10"), unique("other"),
                usd("2", "2", "2", "2", "2", "2"));
        List<DailySpend> found = spendReports().dailySpend(unit, app, firstDay(), firstDay().plusDays(5));
        assertSpend(found, firstDay(), usd("1.25", "0", "3.5", "0.02", "0"));
    }

    @Test
    default void aUnitsSpendIsThatOfAllItsApplications() {
        String unit = unique("unit");
        arrangeSpend(unit, unique("app"), usd("1.25", "0", "3.5"), unique("other"), usd("0.75", "0.5", "0"));
        assertSpend(spendReports().dailySpend(unit, null, firstDay(), firstDay().plusDays(3)), firstDay(),
                usd("2", "0.5", "3.5"));
    }

    @Test
    default void aUnitWithoutSpendHasZeroEveryDay() {
        assertSpend(spendReports().dailySpend(unique("idle"), null, firstDay(), firstDay().plusDays(4)), firstDay(),
                usd("0", "0", "0", "0"));
    }

    @Test
    default void anEmptyPeriodIsRefused() {
        assertThatThrownBy(() -> spendReports().dailySpend(unique("unit"), null, firstDay(), firstDay()))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.INVALID_INPUT));
    }

    @Test
    default void aThrottledReportIsTransientAndAccessDeniedNeedsAPerson() {
        String unit = unique("failing");
        try {
            failReports(CloudException.Kind.TRANSIENT);
            assertThatThrownBy(() -> spendReports().dailySpend(unit, null, firstDay(), firstDay().plusDays(2)))
                    .isInstanceOfSatisfying(CloudException.class, e -> {
                        assertThat(e.kind()).isEqualTo(CloudException.Kind.TRANSIENT);
                        assertThat(e.operation()).isEqualTo("GetCostAndUsage");
                    });
            failReports(CloudException.Kind.ACCESS_DENIED);
            assertThatThrownBy(() -> spendReports().dailySpend(unit, null, firstDay(), firstDay().plusDays(2)))
                    .isInstanceOfSatisfying(CloudException.class,
                            e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.ACCESS_DENIED));
        } finally {
            recover();
        }
    }
}
