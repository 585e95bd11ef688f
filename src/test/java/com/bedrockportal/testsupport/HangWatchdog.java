package com.bedrockportal.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns a hung test into a diagnosis. A test method (with its before- and after-each methods), or a test class's start
 * until its first test, that has run for {@code test.watchdog.after} (default
 * 4 minutes: the slowest browser test takes about one) gets the stacks of every thread of the fork and the sessions of
 * the test database printed, with what blocks each. A session that waits for a row lock is then cancelled, so the test
 * fails with PostgreSQL's "canceling statement" and the run goes on, where it waited forever and the fork was killed
 * at failsafe's timeout with nothing to say which test or why. Still running at twice that, its thread is interrupted
 * (a wait on a future, a latch or Awaitility ends). Every test but the benchmarks (they run as long as they are told)
 * has it: junit-platform.properties turns extension auto-detection on.
 */
public final class HangWatchdog implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final Duration AFTER = Duration.parse(System.getProperty("test.watchdog.after", "PT4M"));
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hang-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(HangWatchdog.class);
    private static final java.util.Set<String> WATCHED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void beforeAll(ExtensionContext context) {
        watch(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        unwatch(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // The class's start (its Spring context is loaded by the first test's instance) is over: the class's timers
        // stop, whatever lies between (a parameterized test's method, a nested class).
        for (Optional<ExtensionContext> up = context.getParent(); up.isPresent(); up = up.get().getParent()) {
            unwatch(up.get());
        }
        watch(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        unwatch(context);
    }

    private static void watch(ExtensionContext context) {
        if (context.getRequiredTestClass().getSimpleName().endsWith("Benchmark")) {
            return;
        }
        String what = context.getUniqueId();
        WATCHED.add(what);
        // An interrupt meant for a test that hung, arriving as it ended after all, is not the next one's.
        Thread.interrupted();
        Thread test = Thread.currentThread();
        context.getStore(NS).put("report",
                TIMER.schedule(() -> report(what + " has run for " + AFTER, AFTER.dividedBy(2)), AFTER.toMillis(), TimeUnit.MILLISECONDS));
        context.getStore(NS).put("interrupt", TIMER.schedule(() -> {
            System.out.println("==== HANG WATCHDOG: interrupting " + test.getName() + " in " + what + " ====");
            test.interrupt();
        }, AFTER.toMillis() * 2, TimeUnit.MILLISECONDS));
    }

    private static void unwatch(ExtensionContext context) {
        WATCHED.remove(context.getUniqueId());
        for (String timer : new String[] { "report", "interrupt" }) {
            Future<?> f = context.getStore(NS).remove(timer, Future.class);
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /** The tests and classes being watched now (their JUnit unique ids). */
    static java.util.Set<String> watched() {
        return java.util.Set.copyOf(WATCHED);
    }

    /**
     * Prints what every thread and every database session is doing, and cancels the row-lock waits that have lasted
     * {@code cancelAfter} (not one a live test has just begun). Its text.
     */
    static String report(String why, Duration cancelAfter) {
        StringBuilder out = new StringBuilder(16_384);
        out.append("\n==== HANG WATCHDOG: ").append(why).append(" ====\n");
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
            if (t.getLockName() != null) {
                out.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                out.append(" held by \"").append(t.getLockOwnerName()).append('"');
            }
            out.append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                out.append("    at ").append(e).append('\n');
            }
        }
        // The stacks first: whatever the database does, they are out.
        System.out.println(out);
        String sessions = databaseSessions(cancelAfter) + "==== END HANG WATCHDOG ====\n";
        System.out.println(sessions);
        return out + sessions;
    }

    private static String databaseSessions(Duration cancelAfter) {
        // Not PostgresSupport's constants: reading them would make its database (and fail without PostgreSQL).
        String db = System.getProperty("test.pg.db", "portal_test");
        StringBuilder out = new StringBuilder("-- sessions of database ").append(db).append(":\n");
        String url = "jdbc:postgresql://" + System.getProperty("test.pg.host", "127.0.0.1:5432") + "/" + db
                + "?connectTimeout=5&socketTimeout=20";
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                Statement s = c.createStatement();
                PreparedStatement cancel = c.prepareStatement("select pid, pg_cancel_backend(pid) from pg_stat_activity"
                        + " where datname = current_database() and wait_event_type = 'Lock'"
                        + " and query_start <= now() - make_interval(secs => ?)")) {
            try (ResultSet rs = s.executeQuery("select pid, state, wait_event_type, wait_event,"
                    + " pg_blocking_pids(pid) as blocked_by, now() - xact_start as in_transaction,"
                    + " now() - query_start as in_query, left(query, 300) as q from pg_stat_activity"
                    + " where datname = current_database() and pid <> pg_backend_pid()"
                    + " and (state <> 'idle' or wait_event_type = 'Lock') order by xact_start nulls last")) {
                while (rs.next()) {
                    out.append(String.format("pid %s %s wait %s/%s blocked by %s, transaction %s, query %s: %s%n",
                            rs.getString("pid"), rs.getString("state"), rs.getString("wait_event_type"),
                            rs.getString("wait_event"), rs.getString("blocked_by"), rs.getString("in_transaction"),
                            rs.getString("in_query"), rs.getString("q").replaceAll("\\s+", " ")));
                }
            }
            cancel.setDouble(1, cancelAfter.toMillis() / 1000.0);
            try (ResultSet rs = cancel.executeQuery()) {
                while (rs.next()) {
                    out.append("cancelled the lock wait of session ").append(rs.getString(1)).append('\n');
                }
            }
        } catch (SQLException | RuntimeException e) {
            out.append("(not reachable: ").append(e.getMessage()).append(")\n");
        }
        return out.toString();
    }
}
