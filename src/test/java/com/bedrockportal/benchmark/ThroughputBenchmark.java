package com.bedrockportal.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PortalNodes;
import com.bedrockportal.workflow.ApprovalService;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Benchmark 4 of issue 16: completed requests per second through the whole process (submit, manager approval,
 * security approval, the six provisioning jobs on the job executor, PROVISIONED) on PostgreSQL with the simulated
 * account, driven through the services by concurrent threads against one portal node started as in production (its
 * own database, Camunda's job executor with its default pool, Hikari's default pool of 10). Prints the figures;
 * asserts nothing about time. Not part of {@code mvn verify}:
 * {@code mvn test -Dtest=ThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false} with optional
 * {@code -Dbench.requests=1000 -Dbench.threads=8} and {@code -Dbench.settings=key=value,key=value} for the node.
 */
class ThroughputBenchmark {

    static final int REQUESTS = Integer.getInteger("bench.requests", 1000);
    static final int THREADS = Integer.getInteger("bench.threads", 8);
    static final int WARM_UP = Integer.getInteger("bench.warmup", 100);

    @Test
    void completedRequestsPerSecond() throws Exception {
        String url = PortalNodes.freshDatabase("portal_bench_throughput");
        Map<String, String> settings = new ConcurrentHashMap<>();
        for (String pair : System.getProperty("bench.settings", "").split(",")) {
            if (pair.contains("=")) {
                settings.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        try (ConfigurableApplicationContext node = PortalNodes.start("bench", url, 0, settings)) {
            PortalNodes.on(node, () -> null);
            RequestService requests = node.getBean(RequestService.class);
            ApprovalService approvals = node.getBean(ApprovalService.class);
            JdbcTemplate jdbc = node.getBean(JdbcTemplate.class);
            // Fifty units: a unit's requests share nothing but its budget row and its managers.
            List<BusinessUnit> units = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                units.add(Fixtures.unit(node.getBean(BusinessUnitService.class), "tp"));
            }
            warmUp(requests, approvals, units.get(0), jdbc);
            boolean counting = resetStatementCounts(jdbc);

            Map<Long, Long> approvedAt = new ConcurrentHashMap<>();
            java.util.Queue<Double> drivenMs = new java.util.concurrent.ConcurrentLinkedQueue<>();
            AtomicInteger next = new AtomicInteger();
            ExecutorService drivers = Executors.newFixedThreadPool(THREADS);
            long started = System.nanoTime();
            long jvmCpuBefore = jvmCpuNanos();
            long machineCpuBefore = machineBusyMillis();
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                running.add(drivers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                        BusinessUnit unit = units.get(i % units.size());
                        long asked = System.nanoTime();
                        AccessRequest r = Fixtures.submitAndApprove(requests, approvals, unit.id());
                        long approved = System.nanoTime();
                        approvedAt.put(r.id(), approved);
                        drivenMs.add((approved - asked) / 1e6);
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            long driven = System.nanoTime();
            drivers.shutdown();
            String ids = String.join(",", approvedAt.keySet().stream().map(String::valueOf).toList());
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            int done = 0;
            while (System.nanoTime() < deadline) {
                done = jdbc.queryForObject("select count(*) from access_request where id in (" + ids + ") and "
                        + "status in ('PROVISIONED', 'PROVISIONING_FAILED')", Integer.class);
                if (done == REQUESTS) {
                    break;
                }
                Thread.sleep(50); // the benchmark's sampling interval, not test synchronisation
            }
            long finished = System.nanoTime();
            double jvmCpuMs = (jvmCpuNanos() - jvmCpuBefore) / 1e6;
            long machineCpuMs = machineBusyMillis() - machineCpuBefore;
            Map<String, Object> outcome = jdbc.queryForMap("select count(*) filter (where status = 'PROVISIONED') as "
                    + "provisioned, count(*) filter (where status <> 'PROVISIONED') as other from access_request "
                    + "where id in (" + ids + ")");
            int incidents = jdbc.queryForObject("select count(*) from act_ru_incident", Integer.class);
            double seconds = (finished - started) / 1e9;
            System.out.printf("THROUGHPUT: %d requests, %d driver threads, settings %s%n", REQUESTS, THREADS,
                    settings);
            System.out.printf("THROUGHPUT: submitted and approved in %.1f s (%.1f requests/s driven); all ended "
                    + "%.1f s after the last approval; %s; %d incidents%n", (driven - started) / 1e9,
                    REQUESTS / ((driven - started) / 1e9), (finished - driven) / 1e9, outcome, incidents);
            System.out.printf("THROUGHPUT: %.1f completed requests/s (submit to PROVISIONED, %d in %.1f s)%n",
                    done / seconds, done, seconds);
            // CPU per request depends less on how busy the shared machine was than requests per second do.
            System.out.printf("THROUGHPUT: CPU per completed request: %.1f ms in this JVM (the node and the driver "
                    + "threads), %.1f ms on the whole machine (PostgreSQL included)%n", jvmCpuMs / done,
                    machineCpuMs / (double) done);
            List<Double> sorted = drivenMs.stream().sorted().toList();
            System.out.printf("THROUGHPUT: one driver thread's submit + two approvals: p50 %.0f ms, p95 %.0f ms, "
                    + "max %.0f ms%n", sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.95)),
                    sorted.get(sorted.size() - 1));
            if (counting) {
                printStatementCounts(jdbc);
            }
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The machine's busy CPU time so far (all cores, from /proc/stat), in milliseconds; 0 where there is none. */
    private static long machineBusyMillis() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim()
                    .split("\\s+");
            long busy = 0;
            for (int i : new int[] { 1, 2, 3, 6, 7 }) { // user, nice, system, irq, softirq (not idle, iowait, steal)
                busy += i < f.length ? Long.parseLong(f[i]) : 0;
            }
            return busy * 1000 / 100; // USER_HZ is 100 on Linux
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Statements per request, where PostgreSQL has {@code pg_stat_statements} loaded
     * ({@code shared_preload_libraries}): what the database executes for one request, the same on any machine.
     */
    private static boolean resetStatementCounts(JdbcTemplate jdbc) {
        try {
            jdbc.execute("create extension if not exists pg_stat_statements");
            jdbc.queryForList("select pg_stat_statements_reset(0, (select oid from pg_database where datname = "
                    + "current_database()), 0)");
            return true;
        } catch (RuntimeException e) {
            System.out.println("THROUGHPUT: statements per request not counted (pg_stat_statements is not loaded: "
                    + "shared_preload_libraries = 'pg_stat_statements')");
            return false;
        }
    }

    private static void printStatementCounts(JdbcTemplate jdbc) {
        String ours = "from pg_stat_statements where dbid = (select oid from pg_database where datname = "
                + "current_database()) and query not like '%pg_stat_statements%' and query not like '%''PROVISIONED''%'";
        // (leaves out this benchmark's own sampling query, the only one with literals)
        Map<String, Object> total = jdbc.queryForMap("select sum(calls) as calls, sum(total_exec_time) as ms " + ours);
        System.out.printf("THROUGHPUT: %.0f statements per request (%s in all, %.0f ms executing in PostgreSQL); "
                + "the most frequent:%n", ((Number) total.get("calls")).doubleValue() / REQUESTS, total.get("calls"),
                ((Number) total.get("ms")).doubleValue());
        jdbc.query("select calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as q " + ours
                + " order by calls desc limit 15", rs -> {
            System.out.printf("THROUGHPUT: %6.1f  %s%n", rs.getLong(1) / (double) REQUESTS, rs.getString(2));
        });
        // The rows held to a commit that other transactions wait for: calls per request and their mean time.
        System.out.println("THROUGHPUT: rows locked (calls per request, mean ms including the wait):");
        jdbc.query("select calls, mean_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) as q " + ours
                + " and query ilike '%for update%' order by total_exec_time desc limit 5", rs -> {
            System.out.printf("THROUGHPUT: %6.1f  %7.1f ms  %s%n", rs.getLong(1) / (double) REQUESTS,
                    rs.getDouble(2), rs.getString(3));
        });
    }

    /** Requests first, so the JIT and the caches are warm (not counted; {@code -Dbench.warmup}, default 100). */
    private static void warmUp(RequestService requests, ApprovalService approvals, BusinessUnit unit,
            JdbcTemplate jdbc) throws InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < WARM_UP; i++) {
            ids.add(Fixtures.submitAndApprove(requests, approvals, unit.id()).id());
        }
        String in = String.join(",", ids.stream().map(String::valueOf).toList());
        while (jdbc.queryForObject("select count(*) from access_request where id in (" + in + ") and status = "
                + "'PROVISIONED'", Integer.class) < ids.size()) {
            Thread.sleep(50); // the benchmark's sampling interval
        }
    }
}
