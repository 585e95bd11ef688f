package com.bedrockportal.testsupport;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.springframework.beans.factory.ObjectProvider;

/**
 * One running job executor per test JVM: the one of the context whose test is about to run.
 * <p>
 * Spring keeps earlier tests' contexts alive, each with its own process engine on the same test database, and each
 * engine's job executor takes any job that is due. A job the current test started could then run in an older
 * context, with that context's beans: its injected failures, its fixed test clock. (CompromisesIT's retried disable
 * ran in UsageCollectionIT's cached context and stamped the case with that context's clock, 13 minutes before the
 * report.) Before each test the executors of other contexts are shut down and this context's is started again if its
 * engine had started one; a context whose executor never ran (job execution off) stays so.
 * <p>
 * The same holds for Camunda's REST API and web app in a browser test: they find the engine by name in Camunda's
 * global registry, where the context started last registered its own. (CamundaLockdownE2E read another context's
 * database through {@code /engine-rest} after ClusterRunsIT had started one.) This context's engine is registered
 * again before each test.
 * <p>
 * And the web app's own globals: each of Cockpit, Admin, Tasklist and Welcome keeps its runtime delegate in a static
 * field, set when a web server starts and cleared when any web server stops. A test that closes a node of its own
 * (KeysRequiredIT's nodes that refuse to start, TwoNodesIT's) left every cached context's Cockpit without one (a
 * NullPointerException behind "Running Process Instances" in CamundaLockdownE2E and AccessControlE2E); they are set
 * again before a test when cleared or when another context ran the test before.
 */
public final class OneJobExecutor {

    /** Whether each executor seen was running when first seen: only those are ever started again. */
    private static final Map<JobExecutor, Boolean> MEANT_TO_RUN = Collections.synchronizedMap(new WeakHashMap<>());
    private static JobExecutor running;

    private OneJobExecutor() {
    }

    static synchronized void runOnly(ObjectProvider<ProcessEngine> engines) {
        ProcessEngine engine = engines.getIfAvailable();
        if (engine != null) {
            ProcessEngines.registerProcessEngine(engine);
        }
        ProcessEngineConfigurationImpl configuration = engine == null ? null
                : (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        JobExecutor mine = configuration == null ? null : configuration.getJobExecutor();
        if (mine != null) {
            MEANT_TO_RUN.putIfAbsent(mine, mine.isActive());
        }
        if (running != null && running != mine) {
            running.shutdown();
        }
        boolean switched = running != mine;
        if (mine != null && Boolean.TRUE.equals(MEANT_TO_RUN.get(mine)) && !mine.isActive()) {
            mine.start();
        }
        running = mine;
        resetWebappDelegates(switched);
    }

    /**
     * New delegates when they were cleared, or when another context ran last: Cockpit's delegate keeps a command
     * executor per engine name, and every test engine is called "default", so a kept one could still reach an earlier
     * context's engine. (The same as the web app's own start sets.)
     */
    private static void resetWebappDelegates(boolean always) {
        if (always || org.camunda.bpm.cockpit.Cockpit.getRuntimeDelegate() == null) {
            // Cleared together by a stopping web server, set together here.
            org.camunda.bpm.cockpit.Cockpit.setCockpitRuntimeDelegate(
                    new org.camunda.bpm.cockpit.impl.DefaultCockpitRuntimeDelegate());
            org.camunda.bpm.admin.Admin.setAdminRuntimeDelegate(new org.camunda.bpm.admin.impl.DefaultAdminRuntimeDelegate());
            org.camunda.bpm.tasklist.Tasklist.setTasklistRuntimeDelegate(
                    new org.camunda.bpm.tasklist.impl.DefaultTasklistRuntimeDelegate());
            org.camunda.bpm.welcome.Welcome.setRuntimeDelegate(new org.camunda.bpm.welcome.impl.DefaultWelcomeRuntimeDelegate());
        }
    }
}
