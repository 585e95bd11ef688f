package com.bedrockportal.lifecycle;

/**
 * What compromise response tells the workflow, in the transaction that records it (so a case never exists without
 * its process, and a decision never without the task completed).
 */
public final class CompromiseEvents {

    /** A compromise was reported and its case opened: the key is to be disabled at once. */
    public record Reported(long caseId) {
    }

    /** Security triaged the case (the decision is recorded on the case before this event). */
    public record Triaged(long caseId) {
    }

    /** The owner submitted the post-incident report (recorded before this event). */
    public record ReportSubmitted(long caseId) {
    }

    private CompromiseEvents() {
    }
}
