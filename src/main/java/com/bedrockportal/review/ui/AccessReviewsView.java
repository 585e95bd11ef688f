package com.bedrockportal.review.ui;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.review.AccessReviews;
import com.bedrockportal.review.ReviewRecords;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/** The open unit reviews the user reviews (managers: their units; security: all), each linking to its page. */
@Route(value = "reviews", layout = MainLayout.class)
@PageTitle("Access reviews · Bedrock Access Portal")
@Menu(title = "nav.reviews", order = 35, icon = "vaadin:clipboard-check")
@RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
public class AccessReviewsView extends VerticalLayout {

    public AccessReviewsView(AccessReviews reviews, CurrentUser currentUser) {
        addClassName("portal-page");
        setId("access-reviews");
        setSizeFull();
        add(new H2(getTranslation("review.list.title")));
        add(new Paragraph(getTranslation("review.list.intro")));
        if (currentUser.has(PortalRole.SECURITY)) {
            Anchor campaigns = new Anchor("reviews/campaigns", getTranslation("review.list.campaigns"));
            campaigns.setId("review-campaigns-link");
            add(campaigns);
        }
        Grid<ReviewRecords.UnitReview> grid = new Grid<>();
        grid.setId("review-grid");
        grid.addColumn(new ComponentRenderer<>(AccessReviewsView::link)).setHeader(getTranslation("review.col.unit"))
                .setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(u -> getTranslation("review.progress", u.decided(), u.total()))
                .setHeader(getTranslation("review.col.progress")).setAutoWidth(true);
        grid.addColumn(u -> UserTime.format(u.deadline())).setHeader(getTranslation("review.col.deadline"))
                .setAutoWidth(true);
        ResponsiveGrid.cards(grid, getTranslation("review.list.title"), u -> ResponsiveGrid.card(link(u),
                ResponsiveGrid.line(getTranslation("review.progress", u.decided(), u.total()),
                        getTranslation("review.due", UserTime.format(u.deadline())))));
        grid.setEmptyStateText(getTranslation("review.list.empty"));
        grid.setItems(reviews.openReviews());
        add(grid);
        setFlexGrow(1, grid);
    }

    private static Anchor link(ReviewRecords.UnitReview u) {
        Anchor a = new Anchor("reviews/" + u.id(), u.unitName());
        a.getElement().setAttribute("data-unit-review", Long.toString(u.id()));
        return a;
    }
}
