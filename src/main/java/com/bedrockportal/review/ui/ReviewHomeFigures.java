package com.bedrockportal.review.ui;

import java.util.List;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.HomeFigure;
import com.bedrockportal.layout.HomeFigures;
import com.bedrockportal.review.AccessReviews;

import org.springframework.stereotype.Component;

/** The home page's count of open access reviews waiting for a manager. */
@Component
class ReviewHomeFigures implements HomeFigures {

    private final AccessReviews reviews;

    ReviewHomeFigures(AccessReviews reviews) {
        this.reviews = reviews;
    }

    @Override
    public List<HomeFigure> figures(CurrentUser.Principal user) {
        if (!user.has(PortalRole.MANAGER)) {
            return List.of();
        }
        // Counted as the manager: security's view of every unit is not "waiting for you".
        long mine = reviews.openReviewsToDecide().stream().filter(u -> u.decided() < u.total()).count();
        return List.of(HomeFigure.of(PortalRole.MANAGER, 15, "access-reviews", "home.fig.reviews", mine, "reviews",
                "home.next.reviews"));
    }
}
