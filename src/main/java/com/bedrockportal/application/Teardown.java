package com.bedrockportal.application;

import java.time.Instant;

/** One resource the decommissioning of an application deleted in AWS (or found already gone), in the order done. */
public record Teardown(Step step, String resource, String detail, Instant doneAt) {

    /** The teardown's steps in the order AWS requires: a user goes last, once nothing is attached to it. */
    public enum Step {
        KEYS, POLICY, BUDGET, SECRET, IAM_USER
    }
}
