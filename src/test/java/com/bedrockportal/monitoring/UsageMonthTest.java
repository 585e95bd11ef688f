package com.bedrockportal.monitoring;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A budget blind to the principal tags does not hide the spend Cost Explorer sees. */
class UsageMonthTest {

    private static final Instant TENTH_OF_JUNE = Instant.parse("2026-06-10T12:00:00Z");

    @Test
    void costExplorersLargerMonthWinsAndIsExtendedToTheWholeMonth() {
        BigDecimal[] m = UsageCollection.month(BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("12.3456"),
                TENTH_OF_JUNE);
        assertThat(m[0]).isEqualByComparingTo("12.35");
        assertThat(m[1]).isEqualByComparingTo("37.05"); // 12.35 × 30 days / 10
    }

    @Test
    void aBudgetThatSeesTheSpendKeepsItsOwnFigures() {
        BigDecimal[] m = UsageCollection.month(new BigDecimal("12.35"), new BigDecimal("40.00"),
                new BigDecimal("12.3449"), TENTH_OF_JUNE);
        assertThat(m[0]).isEqualByComparingTo("12.35");
        assertThat(m[1]).isEqualByComparingTo("40.00");
        assertThat(UsageCollection.month(new BigDecimal("5"), new BigDecimal("9"), null, TENTH_OF_JUNE)[1])
                .isEqualByComparingTo("9");
    }
}
