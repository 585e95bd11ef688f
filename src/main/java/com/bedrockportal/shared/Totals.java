package com.bedrockportal.shared;

import java.util.List;
import java.util.function.IntSupplier;

/** How many rows a capped read stands for: the first page, read with a limit, and a count of them all. */
public final class Totals {

    private Totals() {
    }

    /**
     * How many there are in all: the page's own size when it came back shorter than {@code limit} (then it holds
     * them all, and a row added meanwhile cannot make it look cut), else {@code count}, asked only then.
     */
    public static int of(List<?> first, int limit, IntSupplier count) {
        return first.size() < limit ? first.size() : count.getAsInt();
    }
}
