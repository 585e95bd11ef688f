package com.bedrockportal.workflow;

import java.util.List;
import java.util.Map;

import com.bedrockportal.lifecycle.CompromiseCase;
import com.bedrockportal.lifecycle.CompromiseEvents;
import com.bedrockportal.lifecycle.Compromises;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The process {@code bedrock-key-compromise}: started by {@link Compromises}' events in the transaction that opens the
 * case, its user tasks completed from the decisions recorded there (never in Camunda), and its steps. Each step runs
 * in its own job and first checks the case itself ({@link Compromises#violation}); a failure in AWS is rethrown so the
 * engine retries it (an incident when the retries run out; the case keeps saying what it waits for); a violated check
 * alerts security and ends the process.
 */
@Configuration(proxyBeanMethods = false)
class CompromiseDelegates {

    static final String ERROR_CODE = "COMPROMISE_STOPPED";
    /** Security's decision as the model of 2 December read it ({@code ${compromiseConfirmed}}); none reads it since. */
    static final String EARLIER_DECISION_VARIABLE = "compromiseConfirmed";

    /** Starts the process for a new case and completes its user tasks with the recorded decisions. */
    @Component
    static class CompromiseWorkflow {
        private final RuntimeService runtime;
        private final TaskService tasks;
        private final RepositoryService repository;
        private final CompromiseSettings settings;
        private final FormValidation texts;

        CompromiseWorkflow(RuntimeService runtime, TaskService tasks, RepositoryService repository,
                CompromiseSettings settings, FormValidation texts) {
            this.runtime = runtime;
            this.tasks = tasks;
            this.repository = repository;
            this.settings = settings;
            this.texts = texts;
        }

        @EventListener
        void on(CompromiseEvents.Reported event) {
            runtime.startProcessInstanceByKey(ProcessVariables.COMPROMISE_PROCESS_KEY, businessKey(event.caseId()),
                    Map.of(ProcessVariables.CASE_ID, event.caseId()));
        }

        @EventListener
        void on(CompromiseEvents.Triaged event) {
            Task task = waiting(event.caseId(), ProcessVariables.TASK_COMPROMISE_TRIAGE);
            if (task != null) {
                // A case started on the model of 2 December waits on it still: its gateway reads security's decision
                // from a variable, where later models ask the case row (compromiseSettings.confirmed).
                tasks.complete(task.getId(), readsDecisionVariable(task.getProcessDefinitionId())
                        ? Map.of(EARLIER_DECISION_VARIABLE, settings.confirmed(event.caseId())) : Map.of());
                return;
            }
            // Later models look for a decision before they wait for one; that model does not, so its task, made after
            // this triage, would wait for good: the triage is refused (rolled back) until the task is there.
            ProcessInstance instance = runtime.createProcessInstanceQuery().processDefinitionKey(
                    ProcessVariables.COMPROMISE_PROCESS_KEY).processInstanceBusinessKey(businessKey(event.caseId()))
                    .singleResult();
            if (instance != null && readsDecisionVariable(instance.getProcessDefinitionId())) {
                throw FieldErrors.of("form", texts.text("compromise.refused.notYetTriage"));
            }
        }

        private boolean readsDecisionVariable(String processDefinitionId) {
            return repository.getBpmnModelInstance(processDefinitionId).getModelElementsByType(
                    ConditionExpression.class).stream().anyMatch(c -> c.getTextContent() != null
                            && c.getTextContent().contains(EARLIER_DECISION_VARIABLE));
        }

        @EventListener
        void on(CompromiseEvents.ReportSubmitted event) {
            complete(event.caseId(), ProcessVariables.TASK_POST_INCIDENT_REPORT);
        }

        /** Completes the waiting task; none yet is fine, the process reads the decision where it would wait. */
        private void complete(long caseId, String taskKey) {
            Task task = waiting(caseId, taskKey);
            if (task != null) {
                tasks.complete(task.getId());
            }
        }

        private Task waiting(long caseId, String taskKey) {
            return tasks.createTaskQuery().processDefinitionKey(ProcessVariables.COMPROMISE_PROCESS_KEY)
                    .processInstanceBusinessKey(businessKey(caseId)).taskDefinitionKey(taskKey).singleResult();
        }
    }

    static String businessKey(long caseId) {
        return Long.toString(caseId);
    }

    static long caseId(DelegateExecution execution) {
        return ((Number) execution.getVariable(ProcessVariables.CASE_ID)).longValue();
    }

    /** What the model's expressions read: the report task's candidate user and its due time. */
    @Component("compromiseSettings")
    public static class CompromiseSettings {
        private final Compromises compromises;

        CompromiseSettings(Compromises compromises) {
            this.compromises = compromises;
        }

        /** ISO-8601 duration ({@code portal.compromise.report-due}). */
        public String getReportDue() {
            return compromises.reportDue();
        }

        /** Whether security has triaged the case (read under the case's lock, see {@link Compromises#triageDecision}). */
        public boolean triaged(Object caseId) {
            return compromises.triageDecision(((Number) caseId).longValue()).isPresent();
        }

        /** Whether security confirmed the compromise (false for a false alarm or no decision). */
        public boolean confirmed(Object caseId) {
            return compromises.triageDecision(((Number) caseId).longValue())
                    .filter(CompromiseCase.Triage.CONFIRMED::equals).isPresent();
        }

        /** The key's owner, who writes the post-incident report. */
        public List<String> reportersOf(Object caseId) {
            return compromises.reportersOf(((Number) caseId).longValue());
        }
    }

    /** Runs one step for the process, after the case's own check. */
    @Component
    static class CompromiseSteps {
        private final Compromises compromises;

        CompromiseSteps(Compromises compromises) {
            this.compromises = compromises;
        }

        JavaDelegate delegate(Compromises.Step step) {
            return execution -> run(step, caseId(execution));
        }

        void run(Compromises.Step step, long id) {
            var violation = compromises.violation(id, step);
            if (violation.isPresent()) {
                compromises.alert(id, step, violation.get());
                throw new BpmnError(ERROR_CODE, "Stopped by the portal's checks before " + step + ": "
                        + violation.get());
            }
            switch (step) {
                case DISABLE -> compromises.disableKey(id);
                case NOTIFY -> compromises.notifyReported(id);
                case EVIDENCE -> compromises.gatherEvidence(id);
                case REENABLE -> compromises.reenableKey(id);
                case START_ROTATION -> compromises.startRotation(id);
                case DELETE_OLD_KEY -> compromises.deleteOldKey(id);
                case ESCALATE -> compromises.escalateReport(id);
                case CLOSE -> compromises.close(id);
            }
        }
    }

    @Bean
    JavaDelegate disableCompromisedKeyDelegate(CompromiseSteps steps) {
        return steps.delegate(Compromises.Step.DISABLE);
    }

    @Bean
    JavaDelegate notifyCompromiseDelegate(CompromiseSteps steps) {
        return steps.delegate(Compromises.Step.NOTIFY);
    }

    @Bean
    JavaDelegate gatherEvidenceDelegate(CompromiseSteps steps) {
        return steps.delegate(Compromises.Step.EVIDENCE);
    }

    @Bean
    JavaDelegate reenableFalseAlarmKeyDelegate(CompromiseSteps steps) {
        return steps.delegate(Compromises.Step.REENABLE);
    }

    @Bean
    JavaDelegate startCompromiseRotationDelegate(CompromiseSteps steps) {
        return steps.delegate(Compromises.Step.START_ROTATION);
    }

    @Bean
    JavaDelegate deleteCompromisedKeyDelegate(CompromiseSteps steps) {
        return steps.delegate(Compromises.Step.DELETE_OLD_KEY);
    }

    @Bean
    JavaDelegate escalateReportDelegate(CompromiseSteps steps) {
        return steps.delegate(Compromises.Step.ESCALATE);
    }

    @Bean
    JavaDelegate closeCompromiseDelegate(CompromiseSteps steps) {
        return steps.delegate(Compromises.Step.CLOSE);
    }
}
