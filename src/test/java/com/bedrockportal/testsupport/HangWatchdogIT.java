package com.bedrockportal.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The watchdog's report names the threads and the database sessions, and a row-lock wait it finds ends. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class HangWatchdogIT {

    /** First in the class: the class's start is watched until its first test, whatever kind of test that is. */
    @org.junit.jupiter.api.Order(1)
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = "first")
    void aParameterizedTestFirstInItsClassEndsTheClasssWatch(String which) {
        assertThat(HangWatchdog.watched()).anyMatch(id -> id.contains("aParameterizedTestFirstInItsClass"))
                .noneMatch(id -> id.endsWith("[class:" + HangWatchdogIT.class.getName() + "]"));
    }

    @Test
    void everyTestIsWatchedWithoutAskingForIt() {
        assertThat(HangWatchdog.watched()).anyMatch(id -> id.contains("everyTestIsWatchedWithoutAskingForIt"));
    }

    @Test
    void aSessionWaitingForARowLockIsReportedWithItsBlockerAndCancelled() throws Exception {
        String table = "watchdog_" + Long.toHexString(System.nanoTime());
        try (Connection holder = connect(); Connection waiter = connect(); Statement h = holder.createStatement()) {
            h.execute("create table " + table + " (id int primary key)");
            h.execute("insert into " + table + " values (1)");
            holder.setAutoCommit(false);
            h.execute("select id from " + table + " where id = 1 for update");
            CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
                try (Statement w = waiter.createStatement()) {
                    return w.execute("update " + table + " set id = 1 where id = 1");
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> lockWaits(holder, table) == 1);

            String report = HangWatchdog.report("HangWatchdogIT tries the report (no hang)", Duration.ZERO);

            assertThat(report).contains("HANG WATCHDOG: HangWatchdogIT tries the report (no hang)", "\"" + Thread.currentThread().getName() + "\"",
                    HangWatchdogIT.class.getName() + ".aSessionWaitingForARowLock");
            assertThat(report).containsPattern("wait Lock/\\w+ blocked by \\{\\d+\\}.*update " + table)
                    .contains("cancelled the lock wait of session");
            // The wait ends (the holder still holds the row), with PostgreSQL's reason.
            try {
                waiting.get(20, TimeUnit.SECONDS);
                throw new AssertionError("the lock wait was not cancelled");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("canceling statement");
            }
            holder.rollback();
            holder.setAutoCommit(true);
            h.execute("drop table " + table);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(PostgresSupport.URL, "postgres", "");
    }

    private static int lockWaits(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%" + table
                        + "%' and pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
