package com.bedrockportal.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.bedrockportal.businessunit.MembersChanged;
import com.bedrockportal.shared.EventRedelivery;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PortalNodes;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the unfinished events' look costs when thousands of events wait that the portal never sends (a listener renamed
 * in an upgrade, as after a long-lived incident nobody discarded): a node started as in production on PostgreSQL,
 * {@code -Dbench.events} (10,000) such events, then rounds of 100 due events of the member listener that it does send.
 * Prints a look's time (dating, counting and handing the 100 over), the time until all 100 have finished, and the
 * Incidents page's list and the gauge's count. Asserts nothing about time. Not part of {@code mvn verify}:
 * {@code mvn test -Dtest=EventLookBenchmark -Dsurefire.failIfNoSpecifiedTests=false} ({@code -Dbench.events},
 * {@code -Dbench.unknown-type=true}).
 */
class EventLookBenchmark {

    static final int EVENTS = Integer.getInteger("bench.events", 10_000);
    static final int ROUNDS = 5;
    static final int DUE = 100;
    static final boolean UNKNOWN_TYPE = Boolean.getBoolean("bench.unknown-type");
    static final String RETIRED = "com.bedrockportal.retired.Listener.on(" + MembersChanged.class.getName() + ")";

    @Test
    void aLookWithThousandsOfEventsThatAreNeverSent() throws Exception {
        String url = PortalNodes.freshDatabase("portal_bench_events");
        // The node's own looks an hour apart: the benchmark's looks are the only ones.
        try (ConfigurableApplicationContext node = PortalNodes.start("bench", url, 0,
                Map.of("portal.events.redelivery-interval", "PT1H"))) {
            PortalNodes.on(node, () -> null);
            EventRedelivery redelivery = node.getBean(EventRedelivery.class);
            JdbcTemplate jdbc = node.getBean(JdbcTemplate.class);
            Instant longAgo = Instant.now().minus(Duration.ofDays(30));
            // A retired listener's events of a class this version still has (a listener renamed in an upgrade), or
            // with -Dbench.unknown-type=true of a class it no longer has (Spring Modulith then fails to load the class
            // of each, and logs a warning for each, at every look that sends something).
            String type = UNKNOWN_TYPE ? "com.bedrockportal.retired.Event" : MembersChanged.class.getName();
            for (int i = 0; i < EVENTS; i++) {
                Fixtures.unfinishedEvent(jdbc, RETIRED, type, "{\"businessUnitId\":-2,\"removed\":[\"left-" + i
                        + "-" + "x".repeat(200) + "\"],\"added\":[],\"by\":\"adam\"}", longAgo.plusMillis(i));
            }
            jdbc.execute("analyze event_publication");
            List<Double> looks = new ArrayList<>();
            List<Double> finished = new ArrayList<>();
            for (int round = 0; round <= ROUNDS; round++) {
                for (int i = 0; i < DUE; i++) {
                    Fixtures.unfinishedEvent(jdbc, Fixtures.MEMBER_LISTENER, MembersChanged.class.getName(),
                            "{\"businessUnitId\":-1,\"removed\":[\"nobody\"],\"added\":[],\"by\":\"adam\"}",
                            Instant.now().minus(Duration.ofMinutes(6)));
                }
                long start = System.nanoTime();
                int taken = redelivery.redeliver();
                long looked = System.nanoTime();
                while (jdbc.queryForObject("select count(*) from event_publication where completion_date is null "
                        + "and listener_id = ?", Integer.class, Fixtures.MEMBER_LISTENER) > 0) {
                    Thread.sleep(5); // the benchmark's sampling interval, not test synchronisation
                }
                long done = System.nanoTime();
                if (taken != DUE) {
                    throw new IllegalStateException("a look took up " + taken + " events, not " + DUE);
                }
                if (round > 0) { // the first round warms up
                    looks.add((looked - start) / 1e6);
                    finished.add((done - start) / 1e6);
                }
            }
            List<Double> lists = times(() -> RunAs.user("sara", redelivery::waiting, "SECURITY"));
            List<Double> counts = times(redelivery::countWaiting);
            System.out.printf("EVENT-LOOK: %,d events never sent waiting (a retired listener's, of %s class), %d due "
                    + "ones of the member listener per look, %d looks%n", EVENTS, UNKNOWN_TYPE ? "an unknown" : "a known",
                    DUE, ROUNDS);
            System.out.printf("EVENT-LOOK: a look (date, count, hand over): median %.0f ms, max %.0f ms; all %d "
                    + "finished after median %.0f ms, max %.0f ms%n", median(looks), max(looks), DUE,
                    median(finished), max(finished));
            System.out.printf("EVENT-LOOK: Incidents page's list (%d listed): median %.1f ms; the gauge's count "
                    + "(%,d): median %.1f ms (10 each)%n", EventRedelivery.MAX_LISTED, median(lists),
                    redelivery.countWaiting(), median(counts));
        }
    }

    private static List<Double> times(Supplier<?> work) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            long start = System.nanoTime();
            work.get();
            if (i > 0) {
                ms.add((System.nanoTime() - start) / 1e6);
            }
        }
        return ms;
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
