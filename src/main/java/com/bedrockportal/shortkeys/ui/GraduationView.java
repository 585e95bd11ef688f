package com.bedrockportal.shortkeys.ui;

import java.util.Map;

import com.bedrockportal.application.Application;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.bedrockportal.shortkeys.Graduation;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * Security's "graduation" list: how many active applications still use long-term keys, and which (oldest first),
 * beside those that use 12-hour keys only.
 */
@Route(value = "graduation", layout = MainLayout.class)
@PageTitle("Graduation to 12-hour keys · Bedrock Access Portal")
@Menu(title = "nav.graduation", order = 68, icon = "vaadin:time-forward")
@RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
public class GraduationView extends VerticalLayout {

    public GraduationView(Graduation graduation, BusinessUnitService units) {
        addClassName("portal-page");
        setId("graduation");
        Graduation.Overview overview = graduation.overview();
        Map<Long, String> unitNames = new java.util.HashMap<>();
        overview.applications().forEach(a -> unitNames.computeIfAbsent(a.businessUnitId(),
                id -> units.find(id).map(BusinessUnit::displayName).orElse("")));
        add(new H2(getTranslation("shortkeys.graduation.title")));
        Paragraph summary = new Paragraph(getTranslation("shortkeys.graduation.summary", overview.longTerm(),
                overview.active(), overview.shortTerm()));
        summary.setId("graduation-summary");
        Div card = new Div(summary, new Paragraph(getTranslation("shortkeys.graduation.why")));
        card.addClassName("portal-card");
        card.setWidthFull();
        add(card);

        Grid<Application> grid = new Grid<>();
        grid.setId("graduation-grid");
        grid.addComponentColumn(a -> new Anchor("applications/" + a.id(), a.displayName()))
                .setHeader(getTranslation("shortkeys.graduation.application")).setFlexGrow(2);
        grid.addColumn(a -> unitNames.getOrDefault(a.businessUnitId(), ""))
                .setHeader(getTranslation("shortkeys.graduation.unit")).setAutoWidth(true);
        grid.addColumn(Application::owner).setHeader(getTranslation("shortkeys.graduation.owner")).setAutoWidth(true);
        grid.addComponentColumn(GraduationView::kind).setHeader(getTranslation("shortkeys.graduation.keys"))
                .setAutoWidth(true);
        grid.addColumn(a -> UserTime.format(a.createdAt())).setHeader(getTranslation("shortkeys.graduation.since"))
                .setAutoWidth(true);
        ResponsiveGrid.cards(grid, getTranslation("shortkeys.graduation.application"), a -> {
            Div c = new Div(new Anchor("applications/" + a.id(), a.displayName()), new Div(kind(a)),
                    new Span(unitNames.getOrDefault(a.businessUnitId(), "") + " · " + a.owner()));
            c.getStyle().set("white-space", "normal");
            return c;
        });
        grid.setItems(overview.applications());
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("shortkeys.graduation.empty"));
        add(grid);
        if (overview.truncated()) {
            add(new Paragraph(getTranslation("shortkeys.graduation.truncated", Graduation.MAX_ROWS)));
        }
    }

    private static Span kind(Application a) {
        Span s = new Span(s(a.shortTermOnly() ? "shortkeys.graduation.short" : "shortkeys.graduation.long"));
        s.getElement().getThemeList().add(a.shortTermOnly() ? "badge success" : "badge contrast");
        s.getElement().setAttribute("data-keys", a.shortTermOnly() ? "short-term" : "long-term");
        s.getElement().setAttribute("data-app", String.valueOf(a.id()));
        return s;
    }

    private static String s(String key) {
        return com.vaadin.flow.component.UI.getCurrent().getTranslation(key);
    }
}
