package com.bedrockportal.monitoring.ui;

import java.util.List;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.HomeFigure;
import com.bedrockportal.layout.HomeFigures;
import com.bedrockportal.monitoring.AccountPostureCheck;

/**
 * The admin's home count of posture problems (lines of the last account check that are not green), or "not checked
 * yet": no AWS call is made for the home page.
 */
@org.springframework.stereotype.Component
class PostureHomeFigures implements HomeFigures {

    private final AccountPostureCheck posture;

    PostureHomeFigures(AccountPostureCheck posture) {
        this.posture = posture;
    }

    @Override
    public List<HomeFigure> figures(CurrentUser.Principal user) {
        if (!user.has(PortalRole.ADMIN)) {
            return List.of();
        }
        return List.of(posture.last().map(p -> HomeFigure.of(PortalRole.ADMIN, 20, "posture", "home.fig.posture",
                p.checks().stream().filter(c -> c.status() != AccountPostureCheck.Status.GREEN).count(),
                "admin/posture", "home.next.posture"))
                .orElseGet(() -> new HomeFigure(PortalRole.ADMIN, 20, "posture", "home.fig.postureUnchecked", null,
                        "admin/posture", null, "home.next.postureUnchecked")));
    }
}
