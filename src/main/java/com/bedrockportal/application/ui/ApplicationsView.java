package com.bedrockportal.application.ui;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.layout.MainLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/**
 * The applications the user may see (their units'; all for security and admins), each with its AWS identity and
 * its current approved access.
 */
@Route(value = "applications", layout = MainLayout.class)
@PageTitle("Applications · Bedrock Access Portal")
@Menu(title = "nav.applications", order = 22, icon = "vaadin:cubes")
@PermitAll
public class ApplicationsView extends VerticalLayout {

    public ApplicationsView(ApplicationService applications, BusinessUnitService units) {
        addClassName("portal-page");
        setId("applications");
        setSizeFull();
        List<Application> visible = applications.visible();
        Map<Long, String> unitNames = visible.stream().map(Application::businessUnitId).distinct()
                .map(units::find).flatMap(Optional::stream)
                .collect(Collectors.toMap(BusinessUnit::id, BusinessUnit::displayName, (a, b) -> a));

        Grid<Application> grid = new Grid<>();
        grid.setId("applications-grid");
        grid.addComponentColumn(a -> new Anchor("applications/" + a.id(), a.displayName()))
                .setHeader(getTranslation("app.column.name")).setAutoWidth(true);
        grid.addColumn(a -> unitNames.getOrDefault(a.businessUnitId(), "")).setHeader(getTranslation("app.unit"))
                .setAutoWidth(true);
        grid.addColumn(Application::slug).setHeader(getTranslation("app.slug")).setAutoWidth(true);
        grid.addColumn(Application::owner).setHeader(getTranslation("app.owner")).setAutoWidth(true);
        grid.addColumn(a -> a.names().iamUser()).setHeader(getTranslation("app.iamUser")).setAutoWidth(true);
        grid.addColumn(a -> String.join(", ", a.access().models())).setHeader(getTranslation("app.models"))
                .setAutoWidth(true);
        grid.addColumn(a -> "$" + a.access().monthlyBudget().toPlainString()).setHeader(getTranslation("app.budget"))
                .setAutoWidth(true);
        grid.addComponentColumn(a -> status(a.status())).setHeader(getTranslation("app.status")).setAutoWidth(true);
        grid.setItems(visible);
        grid.setEmptyStateText(getTranslation("app.empty"));
        add(new H2(getTranslation("nav.applications")), grid);
        setFlexGrow(1, grid);
    }

    static Span status(Application.Status status) {
        Span s = new Span(status.name().toLowerCase(Locale.ROOT));
        s.getElement().getThemeList().add(status == Application.Status.ACTIVE ? "badge success" : "badge contrast");
        return s;
    }
}
