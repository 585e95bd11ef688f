package com.bedrockportal.review.ui;

import java.util.List;
import java.util.Optional;

import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.review.AccessReviews;
import com.bedrockportal.review.ReviewRecords;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;

import jakarta.annotation.security.RolesAllowed;

/**
 * Security's campaigns: start one, and for a campaign its progress per unit (reviewers, overdue ones) and every
 * decision, with a CSV export.
 */
@Route(value = "reviews/campaigns", layout = MainLayout.class)
@PageTitle("Access review campaigns · Bedrock Access Portal")
@RolesAllowed(PortalRole.SECURITY_ROLE)
public class ReviewCampaignsView extends VerticalLayout {

    private final transient AccessReviews reviews;
    private final Select<ReviewRecords.Campaign> campaign = new Select<>();
    private final Paragraph status = new Paragraph();
    private final Span message = new Span();
    private final Grid<AccessReviews.UnitLine> unitsGrid = new Grid<>();
    private final Grid<AccessReviews.DecisionLine> decisionsGrid = new Grid<>();
    private final Anchor export;

    public ReviewCampaignsView(AccessReviews reviews) {
        this.reviews = reviews;
        addClassName("portal-page");
        setId("review-campaigns");
        Button start = new Button(getTranslation("review.campaign.start"), VaadinIcon.PLAY.create(), e -> start());
        start.setId("review-start");
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        message.setId("review-start-message");
        campaign.setLabel(getTranslation("review.campaign.select"));
        campaign.setId("review-campaign-select");
        campaign.setWidth("24em");
        campaign.setMaxWidth("100%");
        campaign.setItemLabelGenerator(c -> getTranslation("review.campaign.label", c.id(),
                UserTime.format(c.startedAt()), getTranslation("review.campaign.status." + c.status().name())));
        campaign.addValueChangeListener(e -> showCampaign(e.getValue()));
        // The download runs in its own request: it exports the campaign selected when it was clicked.
        DownloadHandler csv = event -> {
            ReviewRecords.Campaign c = campaign.getValue();
            if (c == null) {
                event.getResponse().setStatus(404);
                return;
            }
            event.setFileName("access-review-" + c.id() + ".csv");
            event.setContentType("text/csv");
            reviews.exportCsv(c.id(), event.getOutputStream());
        };
        export = new Anchor(csv, "");
        export.setId("review-export");
        export.addClassName("portal-link-button");
        export.add(VaadinIcon.DOWNLOAD.create(), new Span(getTranslation("review.campaign.export")));
        export.setDownload(true);
        HorizontalLayout bar = new HorizontalLayout(start, campaign, export);
        bar.setWrap(true);
        bar.setAlignItems(FlexComponent.Alignment.BASELINE);
        status.setId("review-campaign-status");
        configureGrids();
        add(new H2(getTranslation("review.campaign.title")), new Paragraph(getTranslation("review.campaign.intro")),
                bar, message, status, new H3(getTranslation("review.campaign.units")), unitsGrid,
                new H3(getTranslation("review.campaign.decisions")), decisionsGrid);
        refresh(null);
    }

    private void configureGrids() {
        unitsGrid.setId("review-units-grid");
        unitsGrid.setAllRowsVisible(true);
        unitsGrid.addColumn(u -> u.review().unitName()).setHeader(getTranslation("review.col.unit")).setAutoWidth(true);
        unitsGrid.addColumn(u -> getTranslation("review.progress", u.review().decided(), u.review().total()))
                .setHeader(getTranslation("review.col.progress")).setAutoWidth(true);
        unitsGrid.addColumn(u -> getTranslation("review.unit.status." + u.review().status().name()))
                .setHeader(getTranslation("review.col.status")).setAutoWidth(true);
        unitsGrid.addColumn(u -> String.join(", ", u.reviewers())).setHeader(getTranslation("review.col.reviewers"))
                .setAutoWidth(true);
        unitsGrid.addColumn(u -> u.overdue() ? getTranslation("review.overdue") : "")
                .setHeader(getTranslation("review.col.overdue")).setAutoWidth(true);
        ResponsiveGrid.cards(unitsGrid, getTranslation("review.campaign.units"), u -> ResponsiveGrid.card(
                new Span(u.review().unitName()),
                ResponsiveGrid.line(getTranslation("review.progress", u.review().decided(), u.review().total()),
                        getTranslation("review.unit.status." + u.review().status().name()),
                        u.overdue() ? getTranslation("review.overdue") : ""),
                ResponsiveGrid.line(String.join(", ", u.reviewers()))));
        unitsGrid.setEmptyStateText(getTranslation("review.campaign.noUnits"));

        decisionsGrid.setId("review-decisions-grid");
        decisionsGrid.setAllRowsVisible(true);
        decisionsGrid.addColumn(AccessReviews.DecisionLine::unit).setHeader(getTranslation("review.col.unit"))
                .setAutoWidth(true);
        decisionsGrid.addColumn(AccessReviews.DecisionLine::application)
                .setHeader(getTranslation("review.col.application")).setAutoWidth(true);
        decisionsGrid.addColumn(AccessReviews.DecisionLine::owner).setHeader(getTranslation("review.field.owner"))
                .setAutoWidth(true);
        decisionsGrid.addColumn(this::decision).setHeader(getTranslation("review.col.decision")).setAutoWidth(true);
        decisionsGrid.addColumn(d -> d.comment() == null ? "" : d.comment())
                .setHeader(getTranslation("review.col.comment")).setFlexGrow(1);
        decisionsGrid.addColumn(d -> d.decidedBy() == null ? "" : d.decidedBy() + " · " + UserTime.format(d
                .decidedAt())).setHeader(getTranslation("review.col.by")).setAutoWidth(true);
        ResponsiveGrid.cards(decisionsGrid, getTranslation("review.campaign.decisions"), d -> ResponsiveGrid.card(
                new Span(d.application() + " · " + decision(d)),
                ResponsiveGrid.line(d.unit(), d.owner()),
                ResponsiveGrid.line(d.comment() == null ? "" : d.comment(), d.decidedBy() == null ? ""
                        : d.decidedBy())));
        decisionsGrid.setEmptyStateText(getTranslation("review.campaign.noDecisions"));
    }

    private String decision(AccessReviews.DecisionLine d) {
        return getTranslation("review.decision." + (d.decision() == null ? "PENDING" : d.decision().name()));
    }

    private void start() {
        message.setText("");
        try {
            long id = reviews.start();
            refresh(id);
            message.setText(getTranslation("review.campaign.started", id));
        } catch (AccessReviews.Refused e) {
            message.setText(e.getMessage());
        }
    }

    private void refresh(Long select) {
        List<ReviewRecords.Campaign> all = reviews.campaigns();
        campaign.setItems(all);
        Optional<ReviewRecords.Campaign> chosen = select == null ? all.stream().findFirst()
                : all.stream().filter(c -> c.id() == select).findFirst();
        campaign.setEnabled(!all.isEmpty());
        export.setEnabled(!all.isEmpty());
        if (chosen.isPresent()) {
            campaign.setValue(chosen.get());
        } else {
            showCampaign(null);
        }
    }

    private void showCampaign(ReviewRecords.Campaign c) {
        if (c == null) {
            status.setText(getTranslation("review.campaign.none"));
            unitsGrid.setItems(List.of());
            decisionsGrid.setItems(List.of());
            return;
        }
        AccessReviews.Overview o = reviews.overview(c.id()).orElseThrow();
        long decided = o.decisions().stream().filter(d -> d.decision() != null).count();
        status.setText(getTranslation("review.campaign.summary", c.id(),
                getTranslation("review.campaign.status." + c.status().name()), decided, o.decisions().size(),
                UserTime.format(c.deadline()), getTranslation("review.onMissed." + c.onMissed().name()),
                c.startedBy()));
        unitsGrid.setItems(o.units());
        decisionsGrid.setItems(o.decisions());
    }
}
