package com.bedrockportal.approval;

import java.time.Instant;

/** A recorded decision at one stage. */
public record Decision(long requestId, Stage stage, String decidedBy, boolean approved, String comment,
        Instant decidedAt) {
}
