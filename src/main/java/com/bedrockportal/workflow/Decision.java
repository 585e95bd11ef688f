package com.bedrockportal.workflow;

import java.time.Instant;

/**
 * A recorded decision at one stage. {@code decidedAs} is the portal role the decider held, as the approval service
 * checked it (MANAGER at the manager stage, SECURITY at the security stage).
 */
public record Decision(long requestId, Stage stage, String decidedBy, boolean approved, String comment,
        Instant decidedAt, String decidedAs) {
}
