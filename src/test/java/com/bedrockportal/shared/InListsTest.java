package com.bedrockportal.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InListsTest {

    @Test
    void valuesAreCutIntoListsOfAThousandEachValueOnceInItsFirstOrder() {
        List<Long> values = new ArrayList<>(LongStream.rangeClosed(1, 2_001).boxed().toList());
        values.add(5L);
        values.add(0, 2_001L);

        List<List<Long>> chunks = InLists.chunks(values);

        assertThat(chunks).extracting(List::size).containsExactly(1_000, 1_000, 1);
        assertThat(chunks.get(0).get(0)).isEqualTo(2_001L);
        assertThat(chunks.get(0).get(1)).isEqualTo(1L);
        assertThat(chunks.get(2)).containsExactly(2_000L);
        assertThat(chunks.stream().flatMap(List::stream).distinct().count()).isEqualTo(2_001);
    }

    @Test
    void noValuesGiveNoLists() {
        assertThat(InLists.chunks(List.of())).isEmpty();
        assertThat(InLists.chunks(List.of("a"))).containsExactly(List.of("a"));
    }
}
