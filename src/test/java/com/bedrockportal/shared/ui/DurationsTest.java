package com.bedrockportal.shared.ui;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {

    @Test
    void wordsIsoDurationsAsPeopleSayThem() {
        assertThat(Durations.words(Duration.parse("P7D"))).isEqualTo("7 days");
        assertThat(Durations.words(Duration.parse("PT6M"))).isEqualTo("6 minutes");
        assertThat(Durations.words(Duration.parse("PT12H"))).isEqualTo("12 hours");
        assertThat(Durations.words(Duration.parse("P1D"))).isEqualTo("1 day");
        assertThat(Durations.words(Duration.parse("PT1M"))).isEqualTo("1 minute");
        assertThat(Durations.words(Duration.parse("PT30S"))).isEqualTo("30 seconds");
    }

    @Test
    void keepsTheTwoLargestAdjacentUnits() {
        assertThat(Durations.words(Duration.parse("P1DT12H"))).isEqualTo("1 day 12 hours");
        assertThat(Durations.words(Duration.parse("PT1H30M"))).isEqualTo("1 hour 30 minutes");
        assertThat(Durations.words(Duration.parse("P2DT0H5M"))).isEqualTo("2 days");
        assertThat(Durations.words(Duration.parse("PT2M30S"))).isEqualTo("2 minutes");
    }

    @Test
    void zeroAndNothing() {
        assertThat(Durations.words(Duration.ZERO)).isEqualTo("0 seconds");
        assertThat(Durations.words(null)).isEmpty();
    }
}
