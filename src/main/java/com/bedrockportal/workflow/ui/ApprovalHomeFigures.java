package com.bedrockportal.workflow.ui;

import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.HomeFigure;
import com.bedrockportal.layout.HomeFigures;
import com.bedrockportal.workflow.ApprovalService;
import com.bedrockportal.workflow.Stage;

/** The home page's count of approvals waiting for a manager, and of reviews waiting for security, with the oldest. */
@org.springframework.stereotype.Component
class ApprovalHomeFigures implements HomeFigures {

    private final ApprovalService approvals;

    ApprovalHomeFigures(ApprovalService approvals) {
        this.approvals = approvals;
    }

    @Override
    public List<HomeFigure> figures(CurrentUser.Principal user) {
        if (!user.has(PortalRole.MANAGER) && !user.has(PortalRole.SECURITY)) {
            return List.of();
        }
        List<HomeFigure> figures = new ArrayList<>();
        for (ApprovalService.Waiting w : approvals.waiting()) {
            if (w.stage() == Stage.MANAGER && user.has(PortalRole.MANAGER)) {
                figures.add(new HomeFigure(PortalRole.MANAGER, 10, "approvals", "home.fig.approvals",
                        (long) w.count(), "approvals", w.oldest(), "home.next.approvals"));
            }
            if (w.stage() == Stage.SECURITY && user.has(PortalRole.SECURITY)) {
                figures.add(new HomeFigure(PortalRole.SECURITY, 10, "security-reviews", "home.fig.securityReviews",
                        (long) w.count(), "approvals", w.oldest(), "home.next.securityReviews"));
            }
        }
        return figures;
    }
}
