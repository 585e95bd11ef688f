package com.bedrockportal.request;

import java.util.List;
import java.util.stream.IntStream;

import com.bedrockportal.shared.FieldErrors;

import org.junit.jupiter.api.Test;

/**
 * Server time to refuse oversized source-IP lists (the assessment measured 0.4 s for 4,000 ranges and 5.1 s for
 * 16,000, growing quadratically) and to accept a full list of 20. Prints numbers; asserts nothing about time. Run with
 * {@code mvn test -Dtest=RequestValidationBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RequestValidationBenchmark {

    @Test
    void printValidationTimes() {
        for (int ranges : List.of(20, 4_000, 16_000, 100_000)) {
            String text = String.join("\n", IntStream.range(0, ranges)
                    .mapToObj(i -> "10." + (i / 65536 % 256) + "." + (i / 256 % 256) + "." + (i % 256) + "/32").toList());
            for (int warm = 0; warm < 200; warm++) {
                run(text);
            }
            int runs = 1_000;
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                run(text);
            }
            double micros = (System.nanoTime() - start) / 1_000.0 / runs;
            System.out.printf("validate %,d source-IP ranges (%,d chars): %.1f µs per request%n", ranges, text.length(),
                    micros);
        }
    }

    private static void run(String cidrs) {
        RequestDraft d = new RequestDraft();
        d.setSourceCidrs(cidrs);
        try {
            RequestRules.validate(d, List.of(RequestRulesTest.MARKETING), java.util.Map.of(), RequestRulesTest.PROPS,
                    RequestRulesTest.RULES, RequestRulesTest.NO_NAMES_IN_USE, RequestRulesTest.NO_TARGETS, RequestRulesTest.ACCOUNT);
        } catch (FieldErrors expected) {
            // the other fields are empty: only the time matters here
        }
    }
}
