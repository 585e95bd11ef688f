package com.bedrockportal.workflow;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.application.DecommissionEvents;
import com.bedrockportal.application.Decommissions;
import com.bedrockportal.application.Teardown;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.Decommissioner;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The process {@code bedrock-application-decommission}: started and moved on by {@link Decommissions}' events, in
 * the transaction that records the request or the decision (so a record never exists without its process), and its
 * teardown steps. Each step runs in its own job and first checks the decommission itself
 * ({@link Decommissions#violation}); a technical failure is rethrown so the engine retries it (an incident when the
 * retries run out, listed on the incidents page); a business failure ends the decommission FAILED with the reason.
 */
@Configuration(proxyBeanMethods = false)
class DecommissionDelegates {

    static final String ERROR_CODE = "DECOMMISSION_FAILED";

    /** Starts the process for a new decommission and completes its approval task with the recorded decision. */
    @Component
    static class DecommissionWorkflow {
        private final RuntimeService runtime;
        private final TaskService tasks;

        DecommissionWorkflow(RuntimeService runtime, TaskService tasks) {
            this.runtime = runtime;
            this.tasks = tasks;
        }

        @EventListener
        void on(DecommissionEvents.Requested event) {
            runtime.startProcessInstanceByKey(ProcessVariables.DECOMMISSION_PROCESS_KEY,
                    businessKey(event.decommissionId()), Map.of(ProcessVariables.DECOMMISSION_ID,
                            event.decommissionId(), ProcessVariables.APPROVAL_REQUIRED, event.approvalRequired()));
        }

        @EventListener
        void on(DecommissionEvents.Decided event) {
            Task task = tasks.createTaskQuery().processDefinitionKey(ProcessVariables.DECOMMISSION_PROCESS_KEY)
                    .processInstanceBusinessKey(businessKey(event.decommissionId())).singleResult();
            if (task != null) {
                tasks.complete(task.getId(), Map.of(ProcessVariables.MANAGER_APPROVED, event.approved()));
            }
        }
    }

    static String businessKey(long decommissionId) {
        return Long.toString(decommissionId);
    }

    static long decommissionId(DelegateExecution execution) {
        return ((Number) execution.getVariable(ProcessVariables.DECOMMISSION_ID)).longValue();
    }

    /** Runs one teardown step for the process. */
    @Component
    static class TeardownRunner {
        private static final Logger log = LoggerFactory.getLogger(TeardownRunner.class);

        private final Decommissions decommissions;
        private final Decommissioner decommissioner;

        TeardownRunner(Decommissions decommissions, Decommissioner decommissioner) {
            this.decommissions = decommissions;
            this.decommissioner = decommissioner;
        }

        JavaDelegate delegate(Teardown.Step step) {
            return execution -> run(step, decommissionId(execution));
        }

        /** {@code step} null: the last step, marking the application DECOMMISSIONED. */
        void run(Teardown.Step step, long id) {
            String label = label(step);
            Optional<String> violation = decommissions.violation(id);
            if (violation.isPresent()) {
                decommissions.alert(id, label, violation.get());
                String reason = "Stopped by the portal's checks before " + label + ": " + violation.get()
                        + ". Nothing more is done in AWS; security has been alerted.";
                decommissions.fail(id, reason);
                throw new BpmnError(ERROR_CODE, reason);
            }
            if (step == null) {
                decommissions.complete(id);
                return;
            }
            Decommissioner.Target target = decommissions.target(id);
            try {
                List<Decommissioner.Deleted> deleted = switch (step) {
                    case KEYS -> decommissioner.deleteKeys(target, "Application decommissioned: "
                            + decommissions.load(id).reason());
                    case POLICY -> List.of(decommissioner.deletePolicy(target));
                    case BUDGET -> List.of(decommissioner.deleteBudget(target));
                    case SECRET -> List.of(decommissioner.deleteSecret(target));
                    case IAM_USER -> List.of(decommissioner.deleteUser(target));
                };
                deleted.forEach(d -> decommissions.recordTeardown(id, step, d));
                log.info("Decommission {}: {} done ({})", id, step, deleted);
            } catch (CloudException e) {
                if (!e.business()) {
                    throw e;
                }
                // AWS's own words only in the log: the reason is shown to the application's owner and managers.
                String reason = label + " failed: " + e.forPeopleLogged(log, "Decommission " + id);
                decommissions.fail(id, reason);
                throw new BpmnError(ERROR_CODE, reason);
            }
        }

        private static String label(Teardown.Step step) {
            if (step == null) {
                return "marking the application decommissioned";
            }
            return switch (step) {
                case KEYS -> "deleting the keys";
                case POLICY -> "deleting the inline policy";
                case BUDGET -> "deleting the budget";
                case SECRET -> "deleting the secret";
                case IAM_USER -> "deleting the IAM user";
            };
        }
    }

    @Bean
    JavaDelegate deleteKeysDelegate(TeardownRunner steps) {
        return steps.delegate(Teardown.Step.KEYS);
    }

    @Bean
    JavaDelegate deletePolicyDelegate(TeardownRunner steps) {
        return steps.delegate(Teardown.Step.POLICY);
    }

    @Bean
    JavaDelegate deleteBudgetDelegate(TeardownRunner steps) {
        return steps.delegate(Teardown.Step.BUDGET);
    }

    @Bean
    JavaDelegate deleteSecretDelegate(TeardownRunner steps) {
        return steps.delegate(Teardown.Step.SECRET);
    }

    @Bean
    JavaDelegate deleteIamUserDelegate(TeardownRunner steps) {
        return steps.delegate(Teardown.Step.IAM_USER);
    }

    @Bean
    JavaDelegate markDecommissionedDelegate(TeardownRunner steps) {
        return steps.delegate(null);
    }
}
