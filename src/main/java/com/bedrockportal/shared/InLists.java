package com.bedrockportal.shared;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Splits the values of an SQL {@code in (…)} list into lists of at most {@value #MAX} values, each read by its own
 * query: PostgreSQL's protocol caps a statement's parameters at 65,535, and planners slow down on very long lists.
 */
public final class InLists {

    /** The most values one {@code in (…)} list carries. */
    public static final int MAX = 1_000;

    private InLists() {
    }

    /** The distinct values, in their first order, cut into lists of at most {@value #MAX}; none when there are none. */
    public static <T> List<List<T>> chunks(Collection<T> values) {
        List<T> all = List.copyOf(new LinkedHashSet<>(values));
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += MAX) {
            chunks.add(all.subList(from, Math.min(all.size(), from + MAX)));
        }
        return chunks;
    }
}
