package com.bedrockportal.workflow;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.MockExpressionManager;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.engine.platform7.ProcessCoverageInMemProcessEngineConfiguration;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;

/**
 * Every path of the access-review process with stub beans behind its expressions: a campaign security started whose
 * units are all decided (each unit's task completed as the portal does after its last decision — keep, reduce or
 * revoke alike) closes without the deadline step; the reminder before the deadline reminds without ending the task;
 * at the deadline an undecided unit goes to the missed step (which disables or flags, as the campaign says) while a
 * decided one does not; the quarterly timer opens a campaign, or ends at once while one is open. The class fails
 * when the tests cover less than 90 % of the model.
 */
@Deployment(resources = "bpmn/bedrock-access-review.bpmn")
class AccessReviewProcessTest {

    private static ProcessCoverageInMemProcessEngineConfiguration configuration() {
        ProcessCoverageInMemProcessEngineConfiguration c = new ProcessCoverageInMemProcessEngineConfiguration();
        c.setJdbcUrl("jdbc:h2:mem:review-process;DB_CLOSE_DELAY=-1");
        c.setProcessEngineName("review-process");
        c.setJobExecutorActivate(false);
        c.setExpressionManager(new MockExpressionManager());
        c.setHistory("full");
        return c;
    }

    @RegisterExtension
    static ProcessEngineCoverageExtension engine = (ProcessEngineCoverageExtension) ProcessEngineCoverageExtension
            .Companion.builder(configuration()).assertClassCoverageAtLeast(0.9).build();

    /** The delegates' calls, as "bean:unitReviewId" (or "bean:campaignId" for the campaign's steps). */
    private final List<String> calls = new ArrayList<>();
    /** What the scheduled start finds: the id of the campaign it opens, or 0 when one is still open. */
    private long scheduledCampaign = 7;

    @BeforeEach
    void useThisEngine() {
        org.camunda.bpm.engine.test.assertions.bpmn.AbstractAssertions.init(engine.getProcessEngine());
    }

    @AfterAll
    static void leaveNoEngineBehind() {
        org.camunda.bpm.engine.test.assertions.bpmn.AbstractAssertions.reset();
        org.camunda.bpm.engine.ProcessEngines.unregister(engine.getProcessEngine());
    }

    /** Campaign 1..n: units 10·n+1 and 10·n+2, managers per unit; deadline in 14 days, reminder in 11. */
    public static class StubSettings {
        /** The timer start's cron, read at deployment. */
        public static class Schedules {
            public String getAccessReview() {
                return "0 0 6 1 1,4,7,10 ?";
            }
        }

        public Date deadline(Object campaignId) {
            return new Date(System.currentTimeMillis() + 14 * 86_400_000L);
        }

        public Date reminderAt(Object campaignId) {
            return new Date(System.currentTimeMillis() + 11 * 86_400_000L);
        }

        public List<Long> unitReviews(Object campaignId) {
            long c = ((Number) campaignId).longValue();
            return List.of(c * 10 + 1, c * 10 + 2);
        }

        public List<String> reviewers(Object unitReviewId) {
            return ((Number) unitReviewId).longValue() % 2 == 1 ? List.of("mike", "nina") : List.of("mike");
        }
    }

    @BeforeEach
    void registerBeans() {
        Mocks.register("reviewSettings", new StubSettings());
        Mocks.register("processSchedules", new StubSettings.Schedules());
        Mocks.register("reviewOpenCampaignDelegate", (JavaDelegate) execution -> {
            calls.add("open");
            if (execution.getVariable(ProcessVariables.REVIEW_CAMPAIGN_ID) == null) {
                execution.setVariable(ProcessVariables.REVIEW_CAMPAIGN_ID, scheduledCampaign);
            }
        });
        for (String bean : List.of("reviewRemindDelegate", "reviewMissedDelegate")) {
            Mocks.register(bean, (JavaDelegate) execution -> calls.add(bean + ":"
                    + execution.getVariable(ProcessVariables.REVIEW_UNIT_ID)));
        }
        Mocks.register("reviewCloseCampaignDelegate", (JavaDelegate) execution -> calls.add("close:"
                + execution.getVariable(ProcessVariables.REVIEW_CAMPAIGN_ID)));
    }

    @AfterEach
    void reset() {
        Mocks.reset();
    }

    private static ProcessInstance start(long campaignId) {
        return runtimeService().startProcessInstanceByMessage(ProcessVariables.MESSAGE_REVIEW_STARTED,
                Long.toString(campaignId), Map.of(ProcessVariables.REVIEW_CAMPAIGN_ID, campaignId));
    }

    /** The unit's review task, as the portal's listener finds it. */
    private static Task taskOf(ProcessInstance pi, long unitReviewId) {
        return taskService().createTaskQuery().processInstanceId(pi.getId())
                .taskDefinitionKey(ProcessVariables.TASK_REVIEW_UNIT).list().stream()
                .filter(t -> ((Number) taskService().getVariable(t.getId(), ProcessVariables.REVIEW_UNIT_ID))
                        .longValue() == unitReviewId)
                .findFirst().orElseThrow();
    }

    private static List<Job> jobsAt(ProcessInstance pi, String activityId) {
        return managementService().createJobQuery().processInstanceId(pi.getId()).activityId(activityId).list();
    }

    @Test
    void eachUnitGetsOneTaskForItsManagersAndTheCampaignClosesWhenAllAreDecided() {
        ProcessInstance pi = start(1);
        List<Task> tasks = taskService().createTaskQuery().processInstanceId(pi.getId()).list();
        assertThat(tasks).hasSize(2);
        assertThat(taskService().getIdentityLinksForTask(taskOf(pi, 11).getId()))
                .extracting(l -> l.getUserId()).containsExactlyInAnyOrder("mike", "nina");
        assertThat(taskService().createTaskQuery().taskCandidateUser("nina").list()).hasSize(1);
        // Unit 11 kept everything, unit 12 reduced one application and revoked another: to the process both are
        // "every application decided".
        taskService().complete(taskOf(pi, 11).getId());
        assertThat(pi).isWaitingAt(ProcessVariables.TASK_REVIEW_UNIT);
        taskService().complete(taskOf(pi, 12).getId());
        execute(jobsAt(pi, "ServiceTask_CloseCampaign").get(0));
        assertThat(pi).isEnded().hasPassed("EndEvent_UnitReviewed", "EndEvent_CampaignClosed")
                .hasNotPassed("ServiceTask_HandleMissed", "ServiceTask_RemindReviewers");
        assertThat(calls).containsExactly("close:1");
        // ids and the engine's own multi-instance counters only: no key, no secret, no decision text
        assertThat(pi).variables().containsOnlyKeys(ProcessVariables.REVIEW_CAMPAIGN_ID,
                ProcessVariables.REVIEW_UNIT_ID, "loopCounter", "nrOfInstances", "nrOfActiveInstances",
                "nrOfCompletedInstances");
    }

    @Test
    void theReminderRemindsAndTheTaskStaysOpen() {
        ProcessInstance pi = start(2);
        Job reminder = managementService().createJobQuery().processInstanceId(pi.getId())
                .activityId("BoundaryEvent_Reminder").list().stream()
                .filter(j -> taskOf(pi, 21).getExecutionId() != null).findFirst().orElseThrow();
        execute(reminder);
        jobsAt(pi, "ServiceTask_RemindReviewers").forEach(j -> execute(j));
        assertThat(calls).hasSize(1).allMatch(c -> c.startsWith("reviewRemindDelegate:2"));
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).list()).hasSize(2);
        assertThat(pi).hasPassed("EndEvent_Reminded").isNotEnded();
    }

    @Test
    void atTheDeadlineAnUndecidedUnitGoesToTheMissedStepAndADecidedOneDoesNot() {
        ProcessInstance pi = start(3);
        taskService().complete(taskOf(pi, 31).getId());
        List<Job> deadlines = jobsAt(pi, "BoundaryEvent_Deadline");
        assertThat(deadlines).hasSize(1);
        execute(deadlines.get(0));
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).list()).isEmpty();
        execute(jobsAt(pi, "ServiceTask_HandleMissed").get(0));
        execute(jobsAt(pi, "ServiceTask_CloseCampaign").get(0));
        assertThat(pi).isEnded().hasPassed("EndEvent_UnitMissed", "EndEvent_UnitReviewed", "EndEvent_CampaignClosed");
        assertThat(calls).containsExactly("reviewMissedDelegate:32", "close:3");
    }

    @Test
    void aFailingMissedStepIsRetriedByTheEngineAndDoesNotCloseTheCampaign() {
        Mocks.register("reviewMissedDelegate", (JavaDelegate) execution -> {
            throw new IllegalStateException("Throttling: Rate exceeded");
        });
        ProcessInstance pi = start(4);
        taskService().complete(taskOf(pi, 41).getId());
        execute(jobsAt(pi, "BoundaryEvent_Deadline").get(0));
        Job missed = jobsAt(pi, "ServiceTask_HandleMissed").get(0);
        try {
            managementService().executeJob(missed.getId());
        } catch (RuntimeException expected) {
            // the engine records the failure and counts the retry down
        }
        Job retried = jobsAt(pi, "ServiceTask_HandleMissed").get(0);
        assertThat(retried.getRetries()).isLessThan(missed.getRetries());
        // Its retries wait (1, 2, 5, 10, 30 minutes): a manager's revoke under way at the deadline, which holds its
        // application for at most 5 minutes, ends before they run out (they ran out at once, into an incident).
        assertThat(retried.getRetries()).isEqualTo(5);
        assertThat(retried.getDuedate()).isAfter(new java.util.Date(System.currentTimeMillis() + 50_000));
        assertThat(calls).doesNotContain("close:4");
        assertThat(pi).isNotEnded();
    }

    @Test
    void theQuarterlyTimerOpensACampaignAndReviewsItsUnits() {
        Job timer = managementService().createJobQuery().activityId("StartEvent_Scheduled").singleResult();
        assertThat(timer).isNotNull();
        managementService().executeJob(timer.getId());
        ProcessInstance pi = runtimeService().createProcessInstanceQuery()
                .processDefinitionKey(ProcessVariables.REVIEW_PROCESS_KEY).active().list().stream()
                .filter(p -> jobsAt(p, "ServiceTask_OpenCampaign").size() == 1).findFirst().orElseThrow();
        execute(jobsAt(pi, "ServiceTask_OpenCampaign").get(0));
        assertThat(pi).isWaitingAt(ProcessVariables.TASK_REVIEW_UNIT);
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).list()).hasSize(2);
        assertThat(calls).containsExactly("open");
        // the next quarter's timer is there again
        assertThat(managementService().createJobQuery().activityId("StartEvent_Scheduled").count()).isEqualTo(1);
    }

    @Test
    void theQuarterlyTimerStartsNothingWhileACampaignIsOpen() {
        scheduledCampaign = 0;
        Job timer = managementService().createJobQuery().activityId("StartEvent_Scheduled").singleResult();
        managementService().executeJob(timer.getId());
        ProcessInstance pi = runtimeService().createProcessInstanceQuery()
                .processDefinitionKey(ProcessVariables.REVIEW_PROCESS_KEY).active().list().stream()
                .filter(p -> jobsAt(p, "ServiceTask_OpenCampaign").size() == 1).findFirst().orElseThrow();
        execute(jobsAt(pi, "ServiceTask_OpenCampaign").get(0));
        assertThat(pi).isEnded().hasPassed("EndEvent_CampaignStillOpen").hasNotPassed("SubProcess_UnitReview");
    }
}
