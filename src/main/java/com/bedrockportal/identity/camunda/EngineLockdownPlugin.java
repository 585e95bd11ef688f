package com.bedrockportal.identity.camunda;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;

import com.bedrockportal.identity.SecurityEvents;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.DeployCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.UserOperationLogEntryEventEntity;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.scripting.engine.DefaultScriptEngineResolver;
import org.camunda.bpm.engine.impl.scripting.engine.ScriptingEngines;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Closes the engine's own paths around the portal's rules:
 * <ul>
 * <li>deployments happen only while the application starts (the models in {@code bpmn/}); afterwards every
 * deployment command is refused, whoever sends it (Cockpit, REST, code);</li>
 * <li>no script engines: a script task, listener or condition fails instead of running code;</li>
 * <li>no expressions in queries;</li>
 * <li>every user operation the engine logs (an operation by an authenticated Camunda user, from the webapp or any
 * API) is published as {@link SecurityEvents.CamundaOperation}, which the audit module writes to the hash-chained
 * audit log in the same transaction.</li>
 * </ul>
 */
class EngineLockdownPlugin extends AbstractProcessEnginePlugin implements ApplicationListener<ContextRefreshedEvent> {

    static final String SCRIPTS_DISABLED = "Scripts are disabled in the Bedrock Access Portal's process engine.";
    static final String DEPLOYMENTS_CLOSED = "Deployments are closed: the portal deploys only its own process models "
            + "at start.";

    private final ApplicationEventPublisher events;
    private volatile boolean deploymentsOpen = true;

    EngineLockdownPlugin(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<CommandInterceptor> interceptors = configuration.getCustomPreCommandInterceptorsTxRequired() == null
                ? new ArrayList<>() : new ArrayList<>(configuration.getCustomPreCommandInterceptorsTxRequired());
        interceptors.add(new DeploymentGuard());
        configuration.setCustomPreCommandInterceptorsTxRequired(interceptors);

        configuration.setScriptingEngines(new NoScriptingEngines());
        configuration.setEnableExpressionsInAdhocQueries(false);
        configuration.setEnableExpressionsInStoredQueries(false);

        List<HistoryEventHandler> handlers = configuration.getCustomHistoryEventHandlers() == null
                ? new ArrayList<>() : new ArrayList<>(configuration.getCustomHistoryEventHandlers());
        handlers.add(new UserOperationRelay());
        configuration.setCustomHistoryEventHandlers(handlers);
    }

    /** The application has started and deployed its models: from now on no deployment is accepted. */
    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        deploymentsOpen = false;
    }

    boolean deploymentsOpen() {
        return deploymentsOpen;
    }

    private final class DeploymentGuard extends CommandInterceptor {
        @Override
        public <T> T execute(Command<T> command) {
            if (command instanceof DeployCmd && !deploymentsOpen) {
                events.publishEvent(new SecurityEvents.CamundaRefused(currentCamundaUser(), "deployment",
                        DEPLOYMENTS_CLOSED));
                throw new AuthorizationException(DEPLOYMENTS_CLOSED);
            }
            return next.execute(command);
        }
    }

    private static String currentCamundaUser() {
        CommandContext context = Context.getCommandContext();
        String user = context == null ? null : context.getAuthenticatedUserId();
        return user == null ? "system" : user;
    }

    /** Refuses every script language, JUEL scripts included. */
    static final class NoScriptingEngines extends ScriptingEngines {
        NoScriptingEngines() {
            super(new DefaultScriptEngineResolver(new ScriptEngineManager(null)));
        }

        @Override
        public ScriptEngine getScriptEngineForLanguage(String language) {
            throw new ProcessEngineException(SCRIPTS_DISABLED);
        }
    }

    /** Copies the engine's user operation log entries into portal security events. */
    private final class UserOperationRelay implements HistoryEventHandler {
        @Override
        public void handleEvent(HistoryEvent event) {
            if (event instanceof UserOperationLogEntryEventEntity entry) {
                events.publishEvent(describe(entry));
            }
        }

        @Override
        public void handleEvents(List<HistoryEvent> historyEvents) {
            historyEvents.forEach(this::handleEvent);
        }
    }

    static SecurityEvents.CamundaOperation describe(UserOperationLogEntryEventEntity entry) {
        String target = Stream.of(
                        entry.getDeploymentId() == null ? null : "deployment:" + entry.getDeploymentId(),
                        entry.getProcessDefinitionKey() == null ? null : "definition:" + entry.getProcessDefinitionKey(),
                        entry.getProcessInstanceId() == null ? null : "instance:" + entry.getProcessInstanceId(),
                        entry.getTaskId() == null ? null : "task:" + entry.getTaskId(),
                        entry.getJobId() == null ? null : "job:" + entry.getJobId(),
                        entry.getBatchId() == null ? null : "batch:" + entry.getBatchId())
                .filter(s -> s != null).collect(Collectors.joining(" "));
        String change = entry.getProperty() == null ? null
                : entry.getProperty() + ": " + entry.getOrgValue() + " -> " + entry.getNewValue();
        return new SecurityEvents.CamundaOperation(entry.getUserId(), entry.getOperationType(), entry.getEntityType(),
                target.isEmpty() ? null : target, change);
    }
}
