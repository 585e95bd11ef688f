package com.bedrockportal.dashboard.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.dashboard.HomeCounts;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.HomeFigure;
import com.bedrockportal.layout.HomeFigures;

/**
 * The home page's counts from the dashboard's queries: a requester's (and a manager's, who requests too) pending
 * requests, keys to reveal, expiring keys and alerts on their applications; what security and admins watch.
 */
@org.springframework.stereotype.Component
class DashboardHomeFigures implements HomeFigures {

    private final HomeCounts counts;

    DashboardHomeFigures(HomeCounts counts) {
        this.counts = counts;
    }

    @Override
    public List<HomeFigure> figures(CurrentUser.Principal user) {
        List<HomeFigure> figures = new ArrayList<>();
        if (user.has(PortalRole.REQUESTER)) {
            HomeCounts.Requester r = counts.requester();
            String mine = URLEncoder.encode(user.username(), StandardCharsets.UTF_8);
            figures.add(HomeFigure.of(PortalRole.REQUESTER, 10, "reveal", "home.fig.reveal", r.toReveal(),
                    r.revealRequestId() != null ? "keys/reveal/" + r.revealRequestId() : "keys?status=PENDING_REVEAL",
                    "home.next.reveal"));
            figures.add(HomeFigure.of(PortalRole.REQUESTER, 20, "expiring7", "home.fig.expiring7", r.expiring7(),
                    "applications?expiring=7&q=" + mine, "home.next.expiring7"));
            figures.add(HomeFigure.of(PortalRole.REQUESTER, 30, "my-alerts", "home.fig.myAlerts", r.openAlerts(),
                    r.alertApplicationId() != null ? "applications/" + r.alertApplicationId()
                            : "applications?q=" + mine, "home.next.myAlerts"));
            figures.add(HomeFigure.of(PortalRole.REQUESTER, 40, "pending", "home.fig.pending", r.pending(),
                    "requests", "home.next.pending"));
            figures.add(HomeFigure.of(PortalRole.REQUESTER, 50, "expiring30", "home.fig.expiring30", r.expiring30(),
                    "applications?expiring=30&q=" + mine, null));
        }
        if (user.has(PortalRole.SECURITY) || user.has(PortalRole.ADMIN)) {
            HomeCounts.Watch w = counts.watch();
            if (user.has(PortalRole.SECURITY)) {
                figures.add(HomeFigure.of(PortalRole.SECURITY, 20, "incidents", "home.fig.incidents", w.incidents(),
                        "incidents", "home.next.incidents"));
                figures.add(HomeFigure.of(PortalRole.SECURITY, 30, "compromise", "home.fig.compromise",
                        w.compromiseCases(), "compromise", "home.next.compromise"));
                figures.add(HomeFigure.of(PortalRole.SECURITY, 40, "alerts", "home.fig.alerts", w.openAlerts(),
                        "alerts?status=OPEN", "home.next.alerts"));
                figures.add(HomeFigure.of(PortalRole.SECURITY, 50, "drift", "home.fig.drift", w.driftFindings(),
                        "drift", "home.next.drift"));
            }
            if (user.has(PortalRole.ADMIN)) {
                figures.add(HomeFigure.of(PortalRole.ADMIN, 10, "admin-incidents", "home.fig.incidents",
                        w.incidents(), "incidents", "home.next.incidents"));
                figures.add(HomeFigure.of(PortalRole.ADMIN, 30, "unmanaged", "home.fig.unmanaged",
                        w.unitsWithoutManager(), "admin/business-units", "home.next.unmanaged"));
            }
        }
        return figures;
    }
}
