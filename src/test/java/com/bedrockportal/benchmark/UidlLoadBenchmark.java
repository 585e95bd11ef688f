package com.bedrockportal.benchmark;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.bedrockportal.testsupport.UidlClient;

import org.junit.jupiter.api.Test;

/**
 * Benchmark 5 of issue 16: concurrent users. For each level of {@code -Dbench.users} (default 100, 250, 500) a fresh
 * production jar ({@link ProductionJar}, the Dockerfile's JVM options) is started, and that many users, each a
 * {@link UidlClient} on a thread of its own, log in through the real login provider (spread over
 * {@code -Dbench.ramp}, default PT30S) and then navigate between their pages with a think time of 1 to 3 s (2 s on
 * average): requesters (alice, bob; four in five users) home, My requests, Keys, the request form; managers (mike)
 * home, Approvals, My requests, Keys. Each navigation is one UIDL round trip; it counts as an error unless it answers
 * HTTP 200 with the page's marker element and no application error. Round trips started in the
 * {@code -Dbench.duration} (default PT60S) from the moment the last user has logged in are measured; the login storm
 * is reported on its own. Prints p50/p95/p99/max per page and overall,
 * logins, errors, the portal's CPU, RSS and live heap ({@code -Dbench.histogram=true}: and the classes that grew
 * most). The load generator runs on the same machine. Asserts nothing.
 * Not part of {@code mvn verify}; build the jar first ({@code mvn -Pproduction package -DskipTests}), then
 * {@code mvn test -Dtest=UidlLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class UidlLoadBenchmark {

    static final int PORT = Integer.getInteger("bench.port", 18490);
    static final String BASE = "http://localhost:" + PORT;
    static final Duration RAMP = Duration.parse(System.getProperty("bench.ramp", "PT30S"));
    static final Duration STEADY = Duration.parse(System.getProperty("bench.duration", "PT60S"));

    /** A page a user navigates to, and the element whose arrival shows it was served. */
    record Page(String route, String marker) {
    }

    static final List<Page> REQUESTER = List.of(new Page("", "home"), new Page("requests", "my-requests-grid"),
            new Page("keys", "keys-grid"), new Page("requests/new", "request-purpose"));
    static final List<Page> MANAGER = List.of(new Page("", "home"), new Page("approvals", "approvals-grid"),
            new Page("requests", "my-requests-grid"), new Page("keys", "keys-grid"));

    @Test
    void roundTripsAtEachLevel() throws Exception {
        for (String level : System.getProperty("bench.users", "100,250,500").split(",")) {
            run(Integer.parseInt(level.trim()));
        }
    }

    private void run(int users) throws Exception {
        try (ProductionJar portal = ProductionJar.start(PORT, "uidl-load")) {
            HttpClient http = UidlClient.sharedHttp();
            warmUp(http);
            Map<String, Long> heapBefore = portal.histogram();
            long liveBefore = heapBefore.getOrDefault("Total", 0L);
            Map<String, ConcurrentLinkedQueue<Long>> trips = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<Long> logins = new ConcurrentLinkedQueue<>();
            Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            // Measured: from the moment every user has logged in, for STEADY; then the users stop.
            AtomicLong steadyFrom = new AtomicLong(Long.MAX_VALUE);
            AtomicLong steadyTo = new AtomicLong(Long.MAX_VALUE);
            CountDownLatch loggedIn = new CountDownLatch(users);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                int n = i;
                Thread user = new Thread(() -> {
                    boolean manager = n % 5 == 4;
                    String name = manager ? "mike" : n % 2 == 0 ? "alice" : "bob";
                    List<Page> pages = manager ? MANAGER : REQUESTER;
                    UidlClient client = new UidlClient(http, BASE);
                    pause(start + RAMP.toNanos() * n / users - System.nanoTime());
                    try {
                        long t0 = System.nanoTime();
                        String first;
                        try {
                            first = client.login(name, name + "-demo");
                        } finally {
                            loggedIn.countDown();
                        }
                        logins.add(System.nanoTime() - t0);
                        if (!UidlClient.shows(first, "home")) {
                            count(errors, "login did not show home");
                            return;
                        }
                    } catch (Exception e) {
                        count(errors, "login: " + e);
                        return;
                    }
                    for (int step = 1;; step++) {
                        pause(ThreadLocalRandom.current().nextLong(1_000_000_000L, 3_000_000_001L));
                        long t0 = System.nanoTime();
                        if (t0 > steadyTo.get()) {
                            return;
                        }
                        Page page = pages.get(step % pages.size());
                        String what = "/" + page.route();
                        try {
                            String answer = client.navigate(page.route());
                            long took = System.nanoTime() - t0;
                            if (!UidlClient.shows(answer, page.marker())) {
                                count(errors, what + " without #" + page.marker());
                            } else if (t0 >= steadyFrom.get() && t0 < steadyTo.get()) {
                                trips.computeIfAbsent(what, k -> new ConcurrentLinkedQueue<>()).add(took);
                            }
                        } catch (Exception e) {
                            count(errors, what + ": " + e);
                            return; // a browser would reload; this user stops
                        }
                    }
                }, "user-" + i);
                threads.add(user);
                user.start();
            }
            loggedIn.await();
            double loginStorm = (System.nanoTime() - start) / 1e9;
            double portalCpuBefore = portal.cpuSeconds();
            double driverCpuBefore = driverCpuSeconds();
            steadyFrom.set(System.nanoTime());
            pause(STEADY.toNanos());
            steadyTo.set(System.nanoTime());
            double portalCpu = portal.cpuSeconds() - portalCpuBefore;
            double driverCpu = driverCpuSeconds() - driverCpuBefore;
            for (Thread t : threads) {
                t.join();
            }
            long rss = portal.rssMb();
            Map<String, Long> heapAfter = portal.histogram();
            long live = heapAfter.getOrDefault("Total", 0L);
            double seconds = STEADY.toNanos() / 1e9;
            List<Long> all = trips.values().stream().flatMap(ConcurrentLinkedQueue::stream).toList();
            System.out.printf("UIDL-LOAD: %d users (%d threads, think 1-3 s), JVM %s%n", users, users,
                    portal.jvmOptions);
            System.out.printf("UIDL-LOAD:   logins %d of %d, all done %.1f s after the first (ramp %d s); login + first "
                    + "page p50 %s p95 %s max %s%n", logins.size(), users, loginStorm, RAMP.toSeconds(), ms(logins, 50),
                    ms(logins, 95), ms(logins, 100));
            new TreeMap<>(trips).forEach((page, t) -> System.out.printf(
                    "UIDL-LOAD:   %-14s n=%6d p50 %s p95 %s p99 %s max %s%n", page, t.size(), ms(t, 50), ms(t, 95),
                    ms(t, 99), ms(t, 100)));
            System.out.printf("UIDL-LOAD:   all            n=%6d p50 %s p95 %s p99 %s max %s; %.1f round trips/s%n",
                    all.size(), ms(all, 50), ms(all, 95), ms(all, 99), ms(all, 100), all.size() / seconds);
            System.out.printf("UIDL-LOAD:   errors %d %s%n", errors.values().stream().mapToInt(AtomicInteger::get)
                    .sum(), new TreeMap<>(errors));
            System.out.printf("UIDL-LOAD:   CPU over the measured %.0f s: portal %.2f cores, load generator %.2f "
                    + "cores; after: RSS %d MB, live heap %.0f MB (%.0f KB more per user)%n", seconds, portalCpu
                            / seconds, driverCpu / seconds, rss, live / 1e6, (live - liveBefore) / 1024.0 / users);
            if (Boolean.getBoolean("bench.histogram")) {
                ProductionJar.grewMost(heapBefore, heapAfter, 20).forEach(e -> System.out.printf(
                        "UIDL-LOAD:     %,8d bytes more per user of %s%n", e.getValue() / users, e.getKey()));
            }
        }
    }

    /** Ten users visit every page three times first: class loading and JIT are not the load's cost. */
    private static void warmUp(HttpClient http) throws Exception {
        for (int i = 0; i < 10; i++) {
            UidlClient client = new UidlClient(http, BASE);
            client.login("mike", "mike-demo");
            for (int round = 0; round < 3; round++) {
                for (Page p : MANAGER) {
                    client.navigate(p.route());
                }
                client.navigate("requests/new");
            }
        }
    }

    private static String ms(java.util.Collection<Long> nanos, int percentile) {
        if (nanos.isEmpty()) {
            return "-";
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return String.format("%.0f ms", sorted[Math.max(0, index)] / 1e6);
    }

    private static void count(Map<String, AtomicInteger> errors, String kind) {
        errors.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private static double driverCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** Think time and the ramp's spacing: what the load is made of, not test synchronisation. */
    private static void pause(long nanos) {
        if (nanos > 0) {
            try {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
