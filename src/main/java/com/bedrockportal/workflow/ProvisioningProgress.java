package com.bedrockportal.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.bedrockportal.application.Decommissions;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.provisioning.Provisioner;
import com.bedrockportal.provisioning.ProvisioningStep;
import com.bedrockportal.request.ProvisioningDelays;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The state of each provisioning step of a request (pending, running, retrying, done, failed with reason), and the
 * incidents security and admins see and retry.
 */
@Service
public class ProvisioningProgress implements ProvisioningDelays {

    public enum State {
        PENDING, RUNNING, RETRYING, DONE, FAILED
    }

    public record StepState(ProvisioningStep step, State state, String detail) {
    }

    /** A provisioning step that ran out of retries. */
    /**
     * A job of a request's provisioning that ran out of retries: a step ({@code step}), or the job after a failure
     * that puts a failed change back and tells the people ({@code step} null); {@code label} what it does.
     */
    public record StuckStep(String incidentId, long requestId, ProvisioningStep step, String label, String message,
            Instant since) {
    }

    /** The most incidents of one process the Incidents page lists (oldest first); it says how many there are. */
    public static final int MAX_LISTED = 500;
    /** The job after a business failure: it puts a failed change back, then tells the requester and security. */
    static final String FAILURE_ACTIVITY = "ServiceTask_NotifyProvisioningFailed";
    static final String FAILURE_LABEL = "Put a failed change back, tell the requester and security";

    private final Provisioner provisioner;
    private final RuntimeService runtime;
    private final ManagementService management;
    private final HistoryService history;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl engineConfiguration;
    private final Decommissions decommissions;

    ProvisioningProgress(Provisioner provisioner, RuntimeService runtime, ManagementService management,
            HistoryService history, AuditLog audit, CurrentUser currentUser,
            org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl engineConfiguration,
            Decommissions decommissions) {
        this.decommissions = decommissions;
        this.engineConfiguration = engineConfiguration;
        this.provisioner = provisioner;
        this.runtime = runtime;
        this.management = management;
        this.history = history;
        this.audit = audit;
        this.currentUser = currentUser;
    }

    @PermitAll
    @Transactional(readOnly = true)
    public List<StepState> of(long requestId) {
        Set<ProvisioningStep> done = provisioner.done(requestId);
        Optional<String> instance = processInstance(requestId);
        List<Incident> incidents = instance.map(id -> runtime.createIncidentQuery().processInstanceId(id).list())
                .orElse(List.of());
        List<StepState> states = new ArrayList<>();
        for (ProvisioningStep step : ProvisioningStep.values()) {
            if (done.contains(step)) {
                states.add(new StepState(step, State.DONE, null));
                continue;
            }
            Optional<Incident> incident = incidents.stream().filter(i -> step.activityId().equals(i.getActivityId()))
                    .findFirst();
            if (incident.isPresent()) {
                states.add(new StepState(step, State.FAILED, incident.get().getIncidentMessage()));
                continue;
            }
            Optional<Job> job = instance.map(id -> management.createJobQuery().processInstanceId(id)
                    .activityId(step.activityId()).singleResult());
            if (job.isPresent()) {
                String error = job.get().getExceptionMessage();
                states.add(new StepState(step, error == null ? State.RUNNING : State.RETRYING, error));
            } else {
                states.add(new StepState(step, State.PENDING, null));
            }
        }
        return states;
    }

    /** Whether a provisioning step of the request ran out of retries (an incident waits for the platform team). */
    @Override
    @PermitAll
    @Transactional(readOnly = true)
    public boolean delayed(long requestId) {
        return processInstance(requestId)
                .map(id -> runtime.createIncidentQuery().processInstanceId(id).count() > 0).orElse(false);
    }

    /**
     * The provisioning steps (and failure jobs) that ran out of retries, oldest first: at most {@link #MAX_LISTED}
     * ({@link #countIncidents()} says how many there are), their process instances read in one query.
     */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(readOnly = true)
    public List<StuckStep> incidents() {
        List<Incident> incidents = runtime.createIncidentQuery().processDefinitionKeyIn(ProcessVariables.PROCESS_KEY)
                .orderByIncidentTimestamp().asc().listPage(0, MAX_LISTED);
        Map<String, String> businessKeys = businessKeys(incidents);
        List<StuckStep> stuck = new ArrayList<>();
        for (Incident i : incidents) {
            String requestId = businessKeys.get(i.getProcessInstanceId());
            if (requestId == null) {
                continue; // an instance started without a request (none is): nothing to link or retry from here
            }
            ProvisioningStep step = null;
            if (!FAILURE_ACTIVITY.equals(i.getActivityId())) {
                try {
                    step = ProvisioningStep.ofActivity(i.getActivityId());
                } catch (IllegalArgumentException notAStep) {
                    continue;
                }
            }
            stuck.add(new StuckStep(i.getId(), Long.parseLong(requestId), step,
                    step == null ? FAILURE_LABEL : step.label(), i.getIncidentMessage(),
                    i.getIncidentTimestamp().toInstant()));
        }
        return stuck;
    }

    /** How many incidents the access-request process has (the page lists {@link #MAX_LISTED} at most). */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(readOnly = true)
    public long countIncidents() {
        return runtime.createIncidentQuery().processDefinitionKeyIn(ProcessVariables.PROCESS_KEY).count();
    }

    /** A decommissioning step that ran out of retries. */
    public record StuckTeardown(String incidentId, long decommissionId, long applicationId, String step,
            String message, Instant since) {
    }

    /**
     * The decommissioning steps that ran out of retries (their application, step and AWS error), oldest first: at
     * most {@link #MAX_LISTED} ({@link #countDecommissionIncidents()} says how many there are).
     */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(readOnly = true)
    public List<StuckTeardown> decommissionIncidents() {
        List<Incident> incidents = runtime.createIncidentQuery()
                .processDefinitionKeyIn(ProcessVariables.DECOMMISSION_PROCESS_KEY).orderByIncidentTimestamp().asc()
                .listPage(0, MAX_LISTED);
        Map<String, String> businessKeys = businessKeys(incidents);
        List<StuckTeardown> stuck = new ArrayList<>();
        for (Incident i : incidents) {
            String key = businessKeys.get(i.getProcessInstanceId());
            if (key == null) {
                continue;
            }
            long decommissionId = Long.parseLong(key);
            stuck.add(new StuckTeardown(i.getId(), decommissionId, decommissions.load(decommissionId)
                    .applicationId(), i.getActivityId().replace("ServiceTask_", ""), i.getIncidentMessage(),
                    i.getIncidentTimestamp().toInstant()));
        }
        return stuck;
    }

    /** How many incidents the decommissioning process has (the page lists {@link #MAX_LISTED} at most). */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(readOnly = true)
    public long countDecommissionIncidents() {
        return runtime.createIncidentQuery().processDefinitionKeyIn(ProcessVariables.DECOMMISSION_PROCESS_KEY).count();
    }

    /** The business keys of the incidents' process instances, by instance id, in one query. */
    private Map<String, String> businessKeys(List<Incident> incidents) {
        Set<String> ids = incidents.stream().map(Incident::getProcessInstanceId).collect(Collectors.toSet());
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, String> keys = new HashMap<>();
        for (HistoricProcessInstance pi : history.createHistoricProcessInstanceQuery().processInstanceIds(ids).list()) {
            if (pi.getBusinessKey() != null) {
                keys.put(pi.getId(), pi.getBusinessKey());
            }
        }
        return keys;
    }

    /**
     * Gives the failed step one more try, at once and in its own transaction; the steps after it continue in the
     * job executor. If it fails again, the incident comes back with the new error.
     */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    public void retry(String incidentId) {
        Incident incident = runtime.createIncidentQuery().incidentId(incidentId).singleResult();
        if (incident == null) {
            return;
        }
        HistoricProcessInstance pi = history.createHistoricProcessInstanceQuery()
                .processInstanceId(incident.getProcessInstanceId()).singleResult();
        boolean decommission = ProcessVariables.DECOMMISSION_PROCESS_KEY.equals(pi.getProcessDefinitionKey());
        audit.record(currentUser.usernameOrAnonymous(), decommission ? "DECOMMISSION_RETRIED" : "PROVISIONING_RETRIED",
                (decommission ? "decommission:" : "request:") + pi.getBusinessKey(),
                incident.getActivityId() + ": " + incident.getIncidentMessage());
        String jobId = incident.getConfiguration();
        management.setJobRetries(jobId, 1);
        // The step runs as the process would run it in the job executor: without the user's login, so steps that
        // refuse interactive callers (opening a sealed key for its Secrets Manager copy) behave the same.
        SecurityContext user = SecurityContextHolder.getContext();
        SecurityContextHolder.clearContext();
        try {
            management.executeJob(jobId);
        } catch (RuntimeException failedAgain) {
            // The engine has recorded the failure and raised the incident again; the page shows its message.
        } finally {
            SecurityContextHolder.setContext(user);
        }
        if (engineConfiguration.getJobExecutor() != null) {
            engineConfiguration.getJobExecutor().jobWasAdded();
        }
    }

    private Optional<String> processInstance(long requestId) {
        return Optional.ofNullable(runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(RequestWorkflow.businessKey(requestId))
                .processDefinitionKey(ProcessVariables.PROCESS_KEY).singleResult()).map(p -> p.getId());
    }
}
