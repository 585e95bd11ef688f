package com.bedrockportal.testsupport;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * Base for {@code @ApplicationModuleTest}s: one module (and, by the test's bootstrap mode, what it depends on)
 * against the PostgreSQL test database, with the settings of {@link PostgresSupport}. Its process engine executes no
 * jobs: it lacks the other modules' delegates, and its context stays cached while whole-portal tests use the same
 * database, so a job it took (a compromise case's first step, say) failed with "Cannot resolve identifier" and the
 * whole-portal test waiting for it timed out.
 */
@TestPropertySource(properties = { PostgresSupport.URL_PROPERTY, PostgresSupport.USER_PROPERTY,
        PostgresSupport.NO_IDP_PORT, PostgresSupport.MAIL_BY_TEST, PostgresSupport.POOL_SIZE,
        PostgresSupport.POOL_IDLE, PostgresSupport.POOL_IDLE_TIMEOUT, PostgresSupport.NO_SCHEDULED_USAGE,
        PostgresSupport.NO_SCHEDULED_REDELIVERY, "camunda.bpm.job-execution.enabled=false" })
@ActiveProfiles("postgres")
public abstract class ModuleTestSupport extends ContextSupport {

    static {
        PostgresSupport.ensureDatabase();
    }
}
