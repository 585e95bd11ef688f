package com.bedrockportal.workflow;

import java.util.List;

import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.shared.ui.Durations;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The service tasks of the access-request process. Each looks at the request's state before it acts, so a job
 * that runs twice changes nothing the second time.
 */
@Configuration(proxyBeanMethods = false)
class ApprovalDelegates {

    static final String SYSTEM = "system";

    static long requestId(DelegateExecution execution) {
        return ((Number) execution.getVariable(ProcessVariables.REQUEST_ID)).longValue();
    }

    /** Reminds the approvers of the stage the reminder timer belongs to. */
    @Bean
    JavaDelegate remindApproversDelegate(Approvers approvers, RequestMessages messages, RequestLifecycle requests,
            ApprovalTimers timers) {
        return execution -> {
            long id = requestId(execution);
            Stage stage = ProcessVariables.REMIND_MANAGERS.equals(execution.getCurrentActivityId()) ? Stage.MANAGER
                    : Stage.SECURITY;
            List<String> who = approvers.of(stage, id);
            messages.toApprovers(stage, id, who, true);
            requests.note(id, SYSTEM, "REMINDER_SENT", "No " + (stage == Stage.MANAGER ? "manager" : "security")
                    + " decision after " + Durations.words(timers.reminderAfter()) + "; reminded " + String.join(", ", who));
        };
    }

    /** No decision in time: the request expires and the requester is told how to go on. */
    @Bean
    JavaDelegate expireRequestDelegate(RequestLifecycle requests, RequestMessages messages, ApprovalTimers timers) {
        return execution -> {
            long id = requestId(execution);
            if (requests.transition(id, List.of(RequestStatus.PENDING_MANAGER, RequestStatus.PENDING_SECURITY),
                    RequestStatus.EXPIRED, SYSTEM, "EXPIRED",
                    "No decision within " + Durations.words(timers.expireAfter()))) {
                messages.toRequester(id, "Request #" + id + " expired",
                        "Nobody decided on your request within " + Durations.words(timers.expireAfter())
                                + ". Submit it again if you still need access, and let the approvers know.");
            }
        };
    }

    @Bean
    JavaDelegate notifyRejectedDelegate(DecisionRepository decisions, RequestMessages messages) {
        return execution -> {
            long id = requestId(execution);
            Decision rejection = decisions.all(id).stream().filter(d -> !d.approved()).findFirst().orElseThrow();
            messages.toRequester(id, "Request #" + id + " was rejected",
                    (rejection.stage() == Stage.MANAGER ? "Your manager " : "The security team (")
                            + rejection.decidedBy() + (rejection.stage() == Stage.MANAGER ? "" : ")")
                            + " rejected your request: " + rejection.comment());
        };
    }

    @Bean
    JavaDelegate notifyApprovedDelegate(RequestMessages messages, RequestLifecycle requests) {
        return execution -> {
            long id = requestId(execution);
            AccessRequest request = requests.get(id).orElseThrow();
            messages.toRequester(id, "Request #" + id + " was approved", (RequestRoutes.securityReview(request)
                    ? "Your manager and the security team approved your request."
                    : "Your manager approved your change (it widens nothing, so security does not review it).")
                    + (RequestRoutes.issuesKey(request)
                            ? " It is now awaiting provisioning; you will be told when the key is ready."
                            : " It is now being applied; you will be told when it is done."));
        };
    }

    /** The requester withdrew: tell the approvers of the open stage that nothing is left to decide. */
    @Bean
    JavaDelegate recordWithdrawalDelegate(RequestMessages messages, DecisionRepository decisions,
            Approvers approvers, RequestLifecycle requests) {
        return execution -> {
            long id = requestId(execution);
            Stage open = decisions.find(id, Stage.MANAGER).isPresent() ? Stage.SECURITY : Stage.MANAGER;
            String unit = messages.unitName(requests.get(id).orElseThrow());
            messages.toRequester(id, "Request #" + id + " withdrawn", "You withdrew your request for " + unit + ".");
            List<String> who = approvers.of(open, id);
            if (!who.isEmpty()) {
                messages.toApproversWithdrawn(id, who, unit);
            }
        };
    }
}
