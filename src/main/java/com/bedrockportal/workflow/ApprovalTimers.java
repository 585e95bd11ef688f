package com.bedrockportal.workflow;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Timers of the approval stages ({@code portal.approval.*}), ISO-8601 durations. The process model reads them
 * through the bean {@code approvalTimers} ({@link TimerExpressions}).
 *
 * @param reminderAfter when the approvers of a stage are reminded
 * @param expireAfter   when a request without a decision at a stage expires
 */
@ConfigurationProperties("portal.approval")
record ApprovalTimers(@DefaultValue("P2D") Duration reminderAfter, @DefaultValue("P7D") Duration expireAfter) {

    public ApprovalTimers {
        if (reminderAfter.isNegative() || reminderAfter.isZero() || expireAfter.isNegative() || reminderAfter.compareTo(expireAfter) >= 0) {
            throw new IllegalArgumentException("portal.approval.reminder-after (" + reminderAfter
                    + ") must be positive and shorter than portal.approval.expire-after (" + expireAfter + ")");
        }
    }

    /**
     * The timers as the process model reads them: {@code ${approvalTimers.reminderAfter}} and
     * {@code ${approvalTimers.expireAfter}}, ISO-8601 text.
     */
    @org.springframework.stereotype.Component("approvalTimers")
    public static class TimerExpressions {
        private final ApprovalTimers timers;

        TimerExpressions(ApprovalTimers timers) {
            this.timers = timers;
        }

        public String getReminderAfter() {
            return timers.reminderAfter().toString();
        }

        public String getExpireAfter() {
            return timers.expireAfter().toString();
        }
    }
}
