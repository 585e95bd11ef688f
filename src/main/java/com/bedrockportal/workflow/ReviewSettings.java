package com.bedrockportal.workflow;

import java.util.Date;
import java.util.List;

import com.bedrockportal.review.AccessReviews;

import org.springframework.stereotype.Component;

/**
 * What the model {@code bedrock-access-review} asks in its expressions while it runs (the schedule of its timer
 * start is {@code shared.ProcessSchedules}, read at deployment): each campaign's deadline and reminder, its unit reviews, and each unit's reviewers. Public: the engine reads it by
 * reflection.
 */
@Component("reviewSettings")
public class ReviewSettings {

    private final AccessReviews reviews;

    ReviewSettings(AccessReviews reviews) {
        this.reviews = reviews;
    }

    public Date deadline(Object campaignId) {
        return reviews.deadline(((Number) campaignId).longValue());
    }

    public Date reminderAt(Object campaignId) {
        return reviews.reminderAt(((Number) campaignId).longValue());
    }

    public List<Long> unitReviews(Object campaignId) {
        return reviews.unitReviewIds(((Number) campaignId).longValue());
    }

    public List<String> reviewers(Object unitReviewId) {
        return reviews.reviewers(((Number) unitReviewId).longValue());
    }
}
