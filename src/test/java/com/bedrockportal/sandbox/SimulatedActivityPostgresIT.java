package com.bedrockportal.sandbox;

import javax.sql.DataSource;

import com.bedrockportal.testsupport.PostgresSupport;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The simulated CloudTrail and spend on PostgreSQL (production's database): the same tests as on H2. */
class SimulatedActivityPostgresIT extends SimulatedActivityTest {

    @BeforeAll
    static void database() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(PostgresSupport.URL);
        ds.setUser("postgres");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common",
                "classpath:db/migration/postgresql").load().migrate();
        jdbc = JdbcClient.create((DataSource) ds);
    }
}
