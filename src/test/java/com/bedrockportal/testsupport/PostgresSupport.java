package com.bedrockportal.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base for integration tests against the real PostgreSQL on 127.0.0.1:5432 (database {@code portal_test}, created
 * when missing). Tests must not depend on the database being empty: they use unique names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
        PostgresSupport.URL_PROPERTY, PostgresSupport.USER_PROPERTY, PostgresSupport.NO_IDP_PORT,
        PostgresSupport.MAIL_BY_TEST, PostgresSupport.POOL_SIZE, PostgresSupport.POOL_IDLE,
        PostgresSupport.POOL_IDLE_TIMEOUT, PostgresSupport.NO_SCHEDULED_USAGE, PostgresSupport.NO_CLUSTER_SIGNALS,
        PostgresSupport.NO_SCHEDULED_REDELIVERY })
@ActiveProfiles("postgres")
public abstract class PostgresSupport extends ContextSupport {

    /**
     * The scheduled usage collection would overwrite the usage rows a test wrote, at a moment of its own: tests run it
     * themselves (collect / collectNow) when they need it.
     */
    public static final String NO_SCHEDULED_USAGE = "portal.usage.enabled=false";
    /**
     * Every cached context is a node on the same database: their scheduled looks for unfinished events would take the
     * events a test sends again itself ({@code EventRedelivery.redeliver}), at a moment of their own.
     */
    public static final String NO_SCHEDULED_REDELIVERY = "portal.events.redelivery-enabled=false";
    static final String URL_PROPERTY =
            "spring.datasource.url=jdbc:postgresql://${test.pg.host:127.0.0.1:5432}/${test.pg.db:portal_test}";
    static final String USER_PROPERTY = "spring.datasource.username=postgres";
    static final String NO_IDP_PORT = "portal.identity.embedded-idp.port=0";
    /** Tests dispatch the mail outbox themselves. */
    static final String MAIL_BY_TEST = "portal.mail.poll-interval=P3650D";
    /**
     * Spring keeps up to 32 test contexts alive, each with its own pool: small pools that give idle connections back
     * keep them all under PostgreSQL's 100 connections (with Hikari's default of 10 each, the later ones could not
     * connect).
     */
    static final String POOL_SIZE = "spring.datasource.hikari.maximum-pool-size=8";
    static final String POOL_IDLE = "spring.datasource.hikari.minimum-idle=1";
    static final String POOL_IDLE_TIMEOUT = "spring.datasource.hikari.idle-timeout=10000";
    /**
     * Each node's cluster signals hold a listening connection of their own: 32 cached contexts per fork would hold 64
     * of PostgreSQL's 100. One test context is one node; ClusterSignalsIT and TwoNodesIT test the signals.
     */
    static final String NO_CLUSTER_SIGNALS = "portal.cluster.signals=false";

    public static final String HOST = System.getProperty("test.pg.host", "127.0.0.1:5432");
    /** {@code portal_test} unless {@code -Dtest.pg.db} says otherwise (failsafe sets {@code portal_test_<fork>}). */
    public static final String DB = System.getProperty("test.pg.db", "portal_test");
    public static final String URL = "jdbc:postgresql://" + HOST + "/" + DB;

    static {
        ensureDatabase();
    }

    /** Creates the test database when missing. */
    static void ensureDatabase() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + "/postgres", "postgres", "")) {
            boolean exists = c.createStatement()
                    .executeQuery("select 1 from pg_database where datname = '" + DB + "'").next();
            if (!exists) {
                c.createStatement().execute("create database \"" + DB + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL must run on " + HOST + " (trust auth, user postgres): "
                    + "start it with pg_ctlcluster or run .ci/run", e);
        }
    }
}
