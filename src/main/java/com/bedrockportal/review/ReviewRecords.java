package com.bedrockportal.review;

import java.time.Instant;

/** The records of access reviews as the module's API returns them. */
public final class ReviewRecords {

    private ReviewRecords() {
    }

    /** A campaign; {@code deadline} the same for every unit. */
    public record Campaign(long id, AccessReviews.Trigger trigger, String startedBy, Instant startedAt,
            Instant deadline, AccessReviews.OnMissed onMissed, AccessReviews.CampaignStatus status,
            Instant closedAt) {

        public boolean open() {
            return status == AccessReviews.CampaignStatus.OPEN;
        }
    }

    /** One unit's review in a campaign, with how many of its applications are decided. */
    public record UnitReview(long id, long campaignId, long businessUnitId, String unitName,
            AccessReviews.UnitStatus status, Instant remindedAt, Instant completedAt, Instant deadline, int decided,
            int total) {

        public boolean open() {
            return status == AccessReviews.UnitStatus.OPEN;
        }
    }

    /**
     * One application in a unit's review; {@code decision} null until decided. {@code revokingBy}/{@code revokingSince}:
     * a revoke in progress (its keys being revoked one by one), null otherwise.
     */
    public record Item(long id, long unitReviewId, long applicationId, String owner, AccessReviews.Decision decision,
            String comment, String decidedBy, Instant decidedAt, String revokingBy, Instant revokingSince) {

        /** Whether a revoke under way, renewed after {@code staleBefore}, holds the item (whoever's it is). */
        public boolean revokeUnderWay(Instant staleBefore) {
            return revokingBy != null && revokingSince != null && revokingSince.isAfter(staleBefore);
        }
    }
}
