package com.bedrockportal.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;

/**
 * Another node on the portal's database that deploys process models, as the node of an earlier release deployed its
 * own and the upgraded node deploys this release's at its start (the portal's own engine refuses deployments once
 * started). A plain engine: no job executor, no metrics, the portal's history level and time to live.
 */
public final class EarlierRelease implements AutoCloseable {

    /** The earlier versions of the models, one folder per process id. */
    public static final String HISTORY = "model-history/";

    private final ProcessEngine engine;

    public EarlierRelease(DataSource dataSource) {
        StandaloneProcessEngineConfiguration c = new StandaloneProcessEngineConfiguration();
        c.setProcessEngineName("earlier-release-" + UUID.randomUUID());
        c.setDataSource(dataSource);
        c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_FALSE);
        c.setJobExecutorActivate(false);
        c.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
        c.setHistoryTimeToLive("P180D");
        c.setIdGenerator(new StrongUuidGenerator());
        c.setMetricsEnabled(false);
        c.setDbMetricsReporterActivate(false);
        engine = c.buildProcessEngine();
    }

    /**
     * Deploys the earlier model {@code file} (in {@link #HISTORY}{@code <processKey>/}), runs {@code start} with its
     * definition's id (it starts something on it and returns its business id), then deploys this release's model
     * again, also when the start failed, so nothing later starts on the earlier one.
     */
    public long startOnEarlierModel(String processKey, String file, ToLongFunction<String> start) throws IOException {
        String earlier = deploy(processKey, HISTORY + processKey + "/" + file);
        try {
            return start.applyAsLong(earlier);
        } finally {
            deploy(processKey, "bpmn/" + processKey + ".bpmn");
        }
    }

    /** Deploys a model from the classpath as a new version; its definition's id. */
    public String deploy(String processKey, String resource) throws IOException {
        String xml;
        try (InputStream in = EarlierRelease.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the classpath");
            }
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String deployment = engine.getRepositoryService().createDeployment().name("earlier release")
                .addString(processKey + ".bpmn", xml).deploy().getId();
        return engine.getRepositoryService().createProcessDefinitionQuery().deploymentId(deployment).singleResult()
                .getId();
    }

    /**
     * Holds back a step of a definition: its job definition is suspended, so its jobs are made suspended and no job
     * executor runs them until {@link #letGo}.
     */
    public static void holdBack(ManagementService management, String definitionId, String activityId) {
        management.updateJobDefinitionSuspensionState().byJobDefinitionId(stepOf(management, definitionId,
                activityId)).suspend();
    }

    /** Lets a held-back step run, its waiting jobs included. */
    public static void letGo(ManagementService management, String definitionId, String activityId) {
        management.updateJobDefinitionSuspensionState().byJobDefinitionId(stepOf(management, definitionId,
                activityId)).includeJobs(true).activate();
    }

    private static String stepOf(ManagementService management, String definitionId, String activityId) {
        return management.createJobDefinitionQuery().processDefinitionId(definitionId).activityIdIn(activityId)
                .singleResult().getId();
    }

    @Override
    public void close() {
        engine.close();
    }
}
