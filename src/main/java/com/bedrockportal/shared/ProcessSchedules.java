package com.bedrockportal.shared;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Cron expressions that process models read when they are <b>deployed</b> (timer start events), not when they run.
 * They live in the shared module because every context that starts the engine deploys every model, also a module
 * test that has none of the workflow module's beans. Public: the engine reads it by reflection.
 */
@Component("processSchedules")
public class ProcessSchedules {

    private final String accessReview;

    ProcessSchedules(@Value("${portal.reviews.schedule:0 0 6 1 1,4,7,10 ?}") String accessReview) {
        this.accessReview = accessReview;
    }

    /** {@code portal.reviews.schedule}: the timer start of {@code bedrock-access-review}. */
    public String getAccessReview() {
        return accessReview;
    }
}
