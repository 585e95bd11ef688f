package com.bedrockportal.testsupport;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * Base for {@code @ApplicationModuleTest}s: one module (and, by the test's bootstrap mode, what it depends on)
 * against the PostgreSQL test database, with the settings of {@link PostgresSupport}.
 */
@TestPropertySource(properties = { PostgresSupport.URL_PROPERTY, PostgresSupport.USER_PROPERTY,
        PostgresSupport.NO_IDP_PORT, PostgresSupport.MAIL_BY_TEST, PostgresSupport.POOL_SIZE,
        PostgresSupport.POOL_IDLE, PostgresSupport.POOL_IDLE_TIMEOUT, PostgresSupport.NO_SCHEDULED_USAGE })
@ActiveProfiles("postgres")
public abstract class ModuleTestSupport extends ContextSupport {

    static {
        PostgresSupport.ensureDatabase();
    }
}
