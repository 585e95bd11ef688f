package com.bedrockportal.workflow;

import java.util.Map;
import java.util.Optional;

import com.bedrockportal.review.AccessReviews;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
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
 * The process {@code bedrock-access-review} (bpmn/bedrock-access-review.bpmn): started by its quarterly timer (its
 * first step opens the campaign) or by {@link AccessReviews.CampaignStarted} when security starts one, in the
 * transaction that records the campaign; one review task per unit, completed by {@link AccessReviews.UnitReviewDone}
 * in the transaction of the last decision; a reminder before and the missed-deadline step at the deadline. Variables:
 * the campaign's and the unit review's ids only.
 */
@Configuration(proxyBeanMethods = false)
class ReviewDelegates {

    private static final Logger log = LoggerFactory.getLogger(ReviewDelegates.class);

    /** Starts the process for a campaign security started; completes a unit's task when it is fully decided. */
    @Component
    static class ReviewWorkflow {
        private final RuntimeService runtime;
        private final TaskService tasks;

        ReviewWorkflow(RuntimeService runtime, TaskService tasks) {
            this.runtime = runtime;
            this.tasks = tasks;
        }

        @EventListener
        void on(AccessReviews.CampaignStarted event) {
            if (event.trigger() == AccessReviews.Trigger.MANUAL) {
                runtime.startProcessInstanceByMessage(ProcessVariables.MESSAGE_REVIEW_STARTED,
                        Long.toString(event.campaignId()),
                        Map.of(ProcessVariables.REVIEW_CAMPAIGN_ID, event.campaignId()));
            }
        }

        @EventListener
        void on(AccessReviews.UnitReviewDone event) {
            for (Task task : tasks.createTaskQuery().processDefinitionKey(ProcessVariables.REVIEW_PROCESS_KEY)
                    .processInstanceBusinessKey(Long.toString(event.campaignId()))
                    .taskDefinitionKey(ProcessVariables.TASK_REVIEW_UNIT).list()) {
                Object unit = tasks.getVariable(task.getId(), ProcessVariables.REVIEW_UNIT_ID);
                if (unit instanceof Number n && n.longValue() == event.unitReviewId()) {
                    tasks.complete(task.getId());
                }
            }
        }
    }

    static long id(DelegateExecution execution, String variable) {
        return ((Number) execution.getVariable(variable)).longValue();
    }

    /**
     * The scheduled start: opens the campaign (0 when one is still open: this run ends at once). A campaign security
     * started arrives with its id and passes through.
     */
    @Bean
    JavaDelegate reviewOpenCampaignDelegate(AccessReviews reviews) {
        return execution -> {
            if (execution.getVariable(ProcessVariables.REVIEW_CAMPAIGN_ID) != null) {
                return;
            }
            Optional<Long> id = reviews.startScheduled();
            execution.setVariable(ProcessVariables.REVIEW_CAMPAIGN_ID, id.orElse(0L));
            id.ifPresent(c -> execution.setProcessBusinessKey(Long.toString(c)));
            log.info("Scheduled access review: {}", id.map(c -> "campaign " + c + " started")
                    .orElse("a campaign is still open, none started"));
        };
    }

    @Bean
    JavaDelegate reviewRemindDelegate(AccessReviews reviews) {
        return execution -> reviews.remind(id(execution, ProcessVariables.REVIEW_UNIT_ID));
    }

    @Bean
    JavaDelegate reviewMissedDelegate(AccessReviews reviews) {
        return execution -> reviews.missed(id(execution, ProcessVariables.REVIEW_UNIT_ID));
    }

    @Bean
    JavaDelegate reviewCloseCampaignDelegate(AccessReviews reviews) {
        return execution -> reviews.close(id(execution, ProcessVariables.REVIEW_CAMPAIGN_ID));
    }
}
