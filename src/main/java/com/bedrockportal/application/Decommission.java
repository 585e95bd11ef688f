package com.bedrockportal.application;

import java.time.Instant;

/**
 * A request to decommission an application: who asked and as what, why, the manager's decision when the owner asked,
 * and how the teardown in AWS went. The teardown's steps check this record (not process variables) before they act.
 */
public record Decommission(long id, long applicationId, String requestedBy, RequestedAs requestedAs, String reason,
        Instant requestedAt, Status status, String decidedBy, String decidedAs, Instant decidedAt,
        String decisionComment, String failure, Instant finishedAt) {

    /** The role the person asked in, checked when they asked. */
    public enum RequestedAs {
        /** The application's owner: a manager of the unit must approve first. */
        OWNER,
        /** Security: no approval. */
        SECURITY,
        /** An admin archiving the application's unit, acting for the portal: no approval. */
        ADMIN
    }

    public enum Status {
        PENDING_APPROVAL, REJECTED, RUNNING, FAILED, DONE;

        /** Whether this decommission still has something to do (waits for a manager or runs). */
        public boolean open() {
            return this == PENDING_APPROVAL || this == RUNNING;
        }
    }

    /** Whether a manager's approval is needed before anything is deleted. */
    public boolean approvalRequired() {
        return requestedAs == RequestedAs.OWNER;
    }
}
