package com.bedrockportal.testsupport;

import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/** What every test with a Spring context of its own needs, whole application or one module. */
abstract class ContextSupport {

    @Autowired
    private SecurityContextHolderStrategy securityContextStrategy;

    /**
     * Several Spring contexts live in one test JVM and each installs its own (Vaadin-aware) strategy globally; the
     * services of this test's context read theirs, so RunAs must write to it too.
     */
    @BeforeEach
    void useThisContextsSecurityContextStrategy() {
        SecurityContextHolder.setContextHolderStrategy(securityContextStrategy);
    }

    @Autowired
    private ObjectProvider<ProcessEngine> processEngine;

    /**
     * Jobs this test starts run in this context, not in a cached one on the same database; Camunda's REST API and web
     * app reach this context's engine.
     */
    @BeforeEach
    void runOnlyThisContextsJobExecutor() {
        OneJobExecutor.runOnly(processEngine);
    }
}
