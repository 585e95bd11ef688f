package com.bedrockportal.request.ui;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.Standing;
import com.bedrockportal.request.Standings;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/** The requester's own requests, newest first; a row opens the request with its timeline. */
@Route(value = "requests", layout = MainLayout.class)
@PageTitle("My requests · Bedrock Access Portal")
@Menu(title = "nav.myRequests", order = 20, icon = "vaadin:list")
@RolesAllowed(PortalRole.REQUESTER_ROLE)
public class MyRequestsView extends VerticalLayout {

    public MyRequestsView(RequestService service, Standings standings, ModelCatalog catalog) {
        addClassName("portal-page");
        setId("my-requests");
        setSizeFull();
        // The newest ones only: where each stands is worked out per request, so never for an unbounded list.
        List<AccessRequest> mine = service.mine(null, 0, RequestService.MAX_MINE);
        // Where each request stands, worked out once per request (both the columns and the card show it).
        Map<Long, Standing> standing = new HashMap<>();
        mine.forEach(r -> standing.put(r.id(), standings.of(r)));
        Grid<AccessRequest> grid = new Grid<>();
        grid.setId("my-requests-grid");
        grid.addColumn(r -> "#" + r.id()).setHeader("#").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(r -> UserTime.format(r.createdAt())).setHeader(getTranslation("requests.submitted"))
                .setAutoWidth(true);
        grid.addComponentColumn(r -> StatusBadge.of(standing.get(r.id()))).setHeader(getTranslation("requests.status"))
                .setAutoWidth(true);
        Map<String, CatalogModel> models = catalog.byId();
        grid.addColumn(r -> ModelCatalog.names(models, r.models())).setHeader(getTranslation("requests.models")).setFlexGrow(1);
        grid.addColumn(r -> String.join(", ", r.regions())).setHeader(getTranslation("requests.regions"))
                .setAutoWidth(true);
        // At phone width one column: number and status, then the application, submission time and models.
        ResponsiveGrid.cards(grid, getTranslation("nav.myRequests"), r -> ResponsiveGrid.card(
                new Span(new Span("#" + r.id()), StatusBadge.of(standing.get(r.id()))),
                ResponsiveGrid.line(r.applicationName()),
                ResponsiveGrid.line(getTranslation("requests.card.submitted", UserTime.format(r.createdAt()))),
                ResponsiveGrid.line(ModelCatalog.names(models, r.models()), String.join(", ", r.regions()))));
        grid.setItems(mine);
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate("requests/" + e.getItem().id())));
        grid.setEmptyStateText(getTranslation("requests.empty"));
        Button create = new Button(getTranslation("nav.newRequest"), VaadinIcon.PLUS.create(),
                e -> getUI().ifPresent(ui -> ui.navigate("requests/new")));
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setId("new-request");
        add(new H2(getTranslation("nav.myRequests")), create);
        if (mine.size() == RequestService.MAX_MINE) {
            int all = service.countMine();
            if (all > mine.size()) {
                Paragraph more = new Paragraph(getTranslation("requests.more", mine.size(), all));
                more.setId("my-requests-more");
                more.addClassName("portal-muted");
                add(more);
            }
        }
        add(grid);
        setFlexGrow(1, grid);
    }

}
