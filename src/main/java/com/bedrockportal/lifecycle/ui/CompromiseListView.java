package com.bedrockportal.lifecycle.ui;

import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.lifecycle.CompromiseCase;
import com.bedrockportal.lifecycle.Compromises;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/** Security's list of compromise cases, newest first, open ones by default. */
@Route(value = "compromise", layout = MainLayout.class)
@PageTitle("Compromise cases · Bedrock Access Portal")
@Menu(title = "nav.compromise", order = 66, icon = "vaadin:warning")
@RolesAllowed(PortalRole.SECURITY_ROLE)
public class CompromiseListView extends VerticalLayout {

    private final transient Compromises compromises;
    private final Grid<CompromiseCase> grid = new Grid<>();
    private final Checkbox openOnly = new Checkbox();

    public CompromiseListView(Compromises compromises) {
        this.compromises = compromises;
        addClassName("portal-page");
        setId("compromise-list");
        setSizeFull();
        openOnly.setLabel(getTranslation("compromise.list.openOnly"));
        openOnly.setId("compromise-open-only");
        openOnly.setValue(true);
        openOnly.addValueChangeListener(e -> refresh());
        grid.setId("compromise-grid");
        grid.addColumn(new ComponentRenderer<>(c -> {
            Anchor a = new Anchor("compromise/" + c.id(), "#" + c.id());
            a.getElement().setAttribute("data-case", Long.toString(c.id()));
            return a;
        })).setHeader(getTranslation("compromise.list.col.case")).setAutoWidth(true);
        grid.addColumn(c -> c.keyPrefix() + "…").setHeader(getTranslation("compromise.list.col.key"))
                .setAutoWidth(true);
        grid.addColumn(CompromiseCase::iamUser).setHeader(getTranslation("compromise.list.col.user"))
                .setAutoWidth(true);
        grid.addColumn(c -> getTranslation("compromise.status." + c.status().name()))
                .setHeader(getTranslation("compromise.list.col.status")).setAutoWidth(true);
        grid.addColumn(c -> getTranslation("compromise.source." + c.source().name()))
                .setHeader(getTranslation("compromise.list.col.source")).setAutoWidth(true);
        grid.addColumn(c -> UserTime.format(c.reportedAt())).setHeader(getTranslation("compromise.list.col.reported"))
                .setAutoWidth(true);
        ResponsiveGrid.cards(grid, getTranslation("compromise.list.title"), c -> ResponsiveGrid.card(
                new Span(new Anchor("compromise/" + c.id(), "#" + c.id()),
                        new Span(getTranslation("compromise.status." + c.status().name()))),
                ResponsiveGrid.line(c.keyPrefix() + "…", c.iamUser()),
                ResponsiveGrid.line(getTranslation("compromise.source." + c.source().name()),
                        UserTime.format(c.reportedAt()))));
        grid.setEmptyStateText(getTranslation("compromise.list.empty"));
        Anchor leak = new Anchor("compromise/leak", getTranslation("compromise.list.report"));
        leak.setId("compromise-report-leak");
        add(new H2(getTranslation("compromise.list.title")), wrapping(new HorizontalLayout(openOnly, leak)), grid);
        setFlexGrow(1, grid);
        refresh();
    }

    private static HorizontalLayout wrapping(HorizontalLayout bar) {
        bar.setWrap(true);
        return bar;
    }

    private void refresh() {
        grid.setItems(compromises.list(openOnly.getValue()));
    }
}
