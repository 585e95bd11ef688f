package com.bedrockportal.shared;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TotalsTest {

    @Test
    void aShortPageIsItsOwnTotalAndAFullOneAsksForTheCount() {
        assertThat(Totals.of(List.of("a", "b"), 3, () -> {
            throw new AssertionError("a short page is complete: no count");
        })).isEqualTo(2);
        assertThat(Totals.of(List.of("a", "b", "c"), 3, () -> 41)).isEqualTo(41);
        assertThat(Totals.of(List.of(), 0, () -> 7)).isEqualTo(7);
    }
}
