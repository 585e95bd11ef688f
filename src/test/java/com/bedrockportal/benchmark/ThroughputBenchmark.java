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
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Benchmark 4 of issue 16: completed requests per second through the whole process (submit, manager approval,
 * security approval, the six provisioning jobs on the job executor, PROVISIONED) on PostgreSQL with the simulated
 * account, driven through the services by concurrent threads against one portal node started as in production (its
 * own database, Camunda's job executor with its default pool, Hikari's default pool of 10). Prints the figures;
 * asserts nothing about time. Not part of {@code mvn verify}:
 * {@code mvn test -Dtest=ThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false} with optional
 * {@code -Dbench.requests=1000 -Dbench.threads=8} and {@code -Dbench.settings=key=value,key=value} for the node.
 * {@code -Dbench.nodes=2} starts a second node on the same database (in the same JVM, so on the same cores) and
 * drives both at once, as {@code TwoNodesIT} does one request at a time: each request is submitted on one node,
 * approved by its manager on the other and by security on the first, alternating; both job executors run the steps.
 */
class ThroughputBenchmark {

    static final int REQUESTS = Integer.getInteger("bench.requests", 1000);
    static final int THREADS = Integer.getInteger("bench.threads", 8);
    static final int WARM_UP = Integer.getInteger("bench.warmup", 100);
    static final int NODES = Integer.getInteger("bench.nodes", 1);

    @Test
    void completedRequestsPerSecond() throws Exception {
        String url = PortalNodes.freshDatabase("portal_bench_throughput");
        Map<String, String> settings = new ConcurrentHashMap<>();
        for (String pair : System.getProperty("bench.settings", "").split(",")) {
            if (pair.contains("=")) {
                settings.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        if (NODES < 1 || NODES > 2) {
            throw new IllegalArgumentException("bench.nodes is 1 or 2");
        }
        try (ConfigurableApplicationContext node = PortalNodes.start("bench", url, 0, settings);
                ConfigurableApplicationContext second = NODES == 2 ? PortalNodes.start("bench-b", url, 0, settings)
                        : null) {
            PortalNodes.on(node, () -> null);
            List<ConfigurableApplicationContext> nodes = second == null ? List.of(node) : List.of(node, second);
            JdbcTemplate jdbc = node.getBean(JdbcTemplate.class);
            // Fifty units: a unit's requests share nothing but its budget row and its managers.
            List<BusinessUnit> units = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                units.add(Fixtures.unit(node.getBean(BusinessUnitService.class), "tp"));
            }
            // Request i: on one node, or alternately on each of two.
            java.util.function.BiFunction<Integer, BusinessUnit, AccessRequest> drive = (i, unit) -> nodes.size() == 1
                    ? Fixtures.submitAndApprove(node.getBean(RequestService.class),
                            node.getBean(ApprovalService.class), unit.id())
                    : submitAndApproveAcross(nodes.get(i % 2), nodes.get((i + 1) % 2), nodes, unit);
            warmUp(drive, units.get(0), jdbc);
            boolean counting = resetStatementCounts(jdbc);

            Map<Long, Long> approvedAt = new ConcurrentHashMap<>();
            java.util.Queue<Double> drivenMs = new java.util.concurrent.ConcurrentLinkedQueue<>();
            AtomicInteger next = new AtomicInteger();
            ExecutorService drivers = Executors.newFixedThreadPool(THREADS);
            long started = System.nanoTime();
            long jvmCpuBefore = jvmCpuNanos();
            long machineCpuBefore = machineBusyMillis();
            long postgresCpuBefore = postgresCpuMillis();
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                running.add(drivers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                        BusinessUnit unit = units.get(i % units.size());
                        long asked = System.nanoTime();
                        AccessRequest r = drive.apply(i, unit);
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
            long postgresCpuMs = postgresCpuMillis() - postgresCpuBefore;
            Map<String, Object> outcome = jdbc.queryForMap("select count(*) filter (where status = 'PROVISIONED') as "
                    + "provisioned, count(*) filter (where status <> 'PROVISIONED') as other from access_request "
                    + "where id in (" + ids + ")");
            int incidents = jdbc.queryForObject("select count(*) from act_ru_incident", Integer.class);
            double seconds = (finished - started) / 1e9;
            System.out.printf("THROUGHPUT: %d requests, %d driver threads, %d node(s), settings %s%n", REQUESTS,
                    THREADS, nodes.size(), settings);
            System.out.printf("THROUGHPUT: submitted and approved in %.1f s (%.1f requests/s driven); all ended "
                    + "%.1f s after the last approval; %s; %d incidents%n", (driven - started) / 1e9,
                    REQUESTS / ((driven - started) / 1e9), (finished - driven) / 1e9, outcome, incidents);
            System.out.printf("THROUGHPUT: %.1f completed requests/s (submit to PROVISIONED, %d in %.1f s)%n",
                    done / seconds, done, seconds);
            // CPU per request depends less on how busy the shared machine was than requests per second do.
            System.out.printf("THROUGHPUT: CPU per completed request: %.1f ms in this JVM (the node and the driver "
                    + "threads), %.1f ms on the whole machine (PostgreSQL included)%n", jvmCpuMs / done,
                    machineCpuMs / (double) done);
            // The share a second node would not take over: PostgreSQL's own processes (on this machine).
            if (postgresCpuBefore >= 0) {
                System.out.printf("THROUGHPUT: of which PostgreSQL's processes: %.1f ms per completed request%n",
                        postgresCpuMs / (double) done);
            } else {
                System.out.println("THROUGHPUT: PostgreSQL's own CPU unavailable (no postgres process on this machine)");
            }
            List<Double> sorted = drivenMs.stream().sorted().toList();
            System.out.printf("THROUGHPUT: one driver thread's submit + two approvals: p50 %.0f ms, p95 %.0f ms, "
                    + "max %.0f ms%n", sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.95)),
                    sorted.get(sorted.size() - 1));
            // Which node's job executor ran the steps and whether any failed; whether anything was created twice in
            // the simulated account (a step run twice shows there: Camunda logs a job's success once at most).
            String jobs = "from act_hi_job_log where process_instance_id_ in (select proc_inst_id_ from "
                    + "act_hi_procinst where business_key_ in (" + ids.replaceAll("(\\d+)", "'$1'") + "))";
            jdbc.query("select hostname_, count(*) filter (where job_state_ = 2), count(*) filter (where job_state_ = "
                    + "1) " + jobs + " group by hostname_ order by hostname_", rs -> {
                System.out.printf("THROUGHPUT: node %s ran %d steps (%d failed attempts)%n", rs.getString(1),
                        rs.getLong(2), rs.getLong(3));
            });
            jdbc.query("select event_name, count(*), count(distinct user_name) from sandbox_trail_event group by "
                    + "event_name order by event_name", rs -> {
                System.out.printf("THROUGHPUT: simulated account, warm-up included: %s %d calls for %d IAM users%n",
                        rs.getString(1), rs.getLong(2), rs.getLong(3));
            });
            if (counting) {
                printStatementCounts(jdbc);
            }
        }
    }

    /**
     * Submitted on {@code first}, approved by the manager on {@code other} and by security on {@code first}. The
     * caller is set in every node's own security context strategy (each holds its own thread-local), so each node's
     * services see it whichever node the JVM-wide holder points to.
     */
    private static AccessRequest submitAndApproveAcross(ConfigurableApplicationContext first,
            ConfigurableApplicationContext other, List<ConfigurableApplicationContext> nodes, BusinessUnit unit) {
        AccessRequest r = as(nodes, "alice", "REQUESTER",
                () -> first.getBean(RequestService.class).submit(Fixtures.request(unit.id())));
        as(nodes, "mike", "MANAGER", () -> other.getBean(ApprovalService.class).decide(r.id(), true, null));
        as(nodes, "sara", "SECURITY", () -> first.getBean(ApprovalService.class).decide(r.id(), true, null));
        return r;
    }

    private static <T> T as(List<ConfigurableApplicationContext> nodes, String user, String role,
            java.util.function.Supplier<T> work) {
        List<SecurityContextHolderStrategy> strategies = nodes.stream()
                .map(n -> n.getBean(SecurityContextHolderStrategy.class)).toList();
        for (SecurityContextHolderStrategy strategy : strategies) {
            SecurityContext context = strategy.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, "n/a",
                    List.of(new SimpleGrantedAuthority("ROLE_" + role))));
            strategy.setContext(context);
        }
        try {
            return work.get();
        } finally {
            strategies.forEach(SecurityContextHolderStrategy::clearContext);
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
     * CPU time so far of the processes named {@code postgres} on this machine (the server, its backends and workers,
     * and those of them that ended: from /proc), in milliseconds; -1 where none is seen (PostgreSQL elsewhere).
     */
    private static long postgresCpuMillis() {
        long ticks = 0;
        boolean found = false;
        try (java.util.stream.Stream<java.nio.file.Path> processes = java.nio.file.Files.list(java.nio.file.Path.of(
                "/proc"))) {
            for (java.nio.file.Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String stat = java.nio.file.Files.readString(process.resolve("stat"));
                    // pid (comm) state ... ; utime and stime are the 14th and 15th fields, counted from the pid
                    if (stat.contains("(postgres)")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        // utime, stime, and the reaped children's (the postmaster's ended backends and workers)
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                                + Long.parseLong(f[14]);
                        found = true;
                    }
                } catch (java.io.IOException | RuntimeException gone) {
                    // the process ended while being read
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return found ? ticks * 1000 / 100 : -1; // USER_HZ is 100 on Linux
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
        if ("on".equals(jdbc.queryForObject("select current_setting('pg_stat_statements.track_planning', true)",
                String.class))) {
            // Planned anew per execution: a statement the driver has not prepared on that connection is planned
            // each time (pg_stat_statements.track_planning = on; off by default, as it costs a little itself).
            Map<String, Object> plans = jdbc.queryForMap("select coalesce(sum(plans), 0) as plans, "
                    + "coalesce(sum(total_plan_time), 0) as ms " + ours);
            System.out.printf("THROUGHPUT: %.0f plans per request (%.0f ms planning in all)%n",
                    ((Number) plans.get("plans")).doubleValue() / REQUESTS, ((Number) plans.get("ms")).doubleValue());
        }
        jdbc.query("select calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as q " + ours
                + " order by calls desc limit 15", rs -> {
            System.out.printf("THROUGHPUT: %6.1f  %s%n", rs.getLong(1) / (double) REQUESTS, rs.getString(2));
        });
        System.out.println("THROUGHPUT: the most time in PostgreSQL (calls per request, ms in all, mean ms):");
        jdbc.query("select calls, total_exec_time, mean_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) "
                + ours + " order by total_exec_time desc limit 8", rs -> {
            System.out.printf("THROUGHPUT: %6.1f %8.0f ms %6.2f ms  %s%n", rs.getLong(1) / (double) REQUESTS,
                    rs.getDouble(2), rs.getDouble(3), rs.getString(4));
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
    private static void warmUp(java.util.function.BiFunction<Integer, BusinessUnit, AccessRequest> drive,
            BusinessUnit unit, JdbcTemplate jdbc) throws InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < WARM_UP; i++) {
            ids.add(drive.apply(i, unit).id());
        }
        String in = String.join(",", ids.stream().map(String::valueOf).toList());
        while (jdbc.queryForObject("select count(*) from access_request where id in (" + in + ") and status = "
                + "'PROVISIONED'", Integer.class) < ids.size()) {
            Thread.sleep(50); // the benchmark's sampling interval
        }
    }
}
