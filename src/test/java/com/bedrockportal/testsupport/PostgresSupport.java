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
        "spring.datasource.url=jdbc:postgresql://${test.pg.host:127.0.0.1:5432}/${test.pg.db:portal_test}",
        "spring.datasource.username=postgres",
        "portal.identity.embedded-idp.port=0",
        // Tests dispatch the mail outbox themselves.
        "portal.mail.poll-interval=PT10M" })
@ActiveProfiles("postgres")
public abstract class PostgresSupport {

    public static final String HOST = System.getProperty("test.pg.host", "127.0.0.1:5432");
    /** {@code portal_test} unless {@code -Dtest.pg.db} says otherwise (two checkouts testing side by side). */
    public static final String DB = System.getProperty("test.pg.db", "portal_test");
    public static final String URL = "jdbc:postgresql://" + HOST + "/" + DB;

    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.security.core.context.SecurityContextHolderStrategy securityContextStrategy;

    /**
     * Several Spring contexts live in one test JVM and each installs its own (Vaadin-aware) strategy globally; the
     * services of this test's context read theirs, so RunAs must write to it too.
     */
    @org.junit.jupiter.api.BeforeEach
    void useThisContextsSecurityContextStrategy() {
        org.springframework.security.core.context.SecurityContextHolder.setContextHolderStrategy(securityContextStrategy);
    }

    static {
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
