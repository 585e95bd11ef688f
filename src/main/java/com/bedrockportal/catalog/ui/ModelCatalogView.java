package com.bedrockportal.catalog.ui;

import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.catalog.CatalogProperties;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.catalog.ModelPriceTable;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.PortalProperties;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/** Admins choose which models requesters may pick, and refresh the list from the account. */
@Route(value = "admin/models", layout = MainLayout.class)
@PageTitle("Model catalog · Bedrock Access Portal")
@Menu(title = "nav.models", order = 85, icon = "vaadin:cubes")
@RolesAllowed(PortalRole.ADMIN_ROLE)
public class ModelCatalogView extends VerticalLayout {

    private final transient ModelCatalog catalog;
    private final Grid<CatalogModel> grid = new Grid<>();

    public ModelCatalogView(ModelCatalog catalog, CatalogProperties properties, PortalProperties portal,
            ModelPriceTable prices) {
        this.catalog = catalog;
        addClassName("portal-page");
        setId("model-catalog");
        setWidthFull();
        grid.setId("catalog-grid");
        grid.setAllRowsVisible(true);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addComponentColumn(m -> {
            Checkbox enabled = enabledBox(m);
            enabled.getElement().setAttribute("data-model", m.modelId());
            return enabled;
        }).setHeader(getTranslation("catalog.enabled")).setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(CatalogModel::provider).setHeader(getTranslation("catalog.provider")).setAutoWidth(true)
                .setSortable(true);
        grid.addColumn(CatalogModel::displayName).setHeader(getTranslation("catalog.name")).setAutoWidth(true)
                .setSortable(true);
        grid.addColumn(CatalogModel::modelId).setHeader(getTranslation("catalog.modelId")).setAutoWidth(true);
        grid.addColumn(m -> getTranslation("catalog.kind." + m.kind().name())).setHeader(getTranslation("catalog.kind"))
                .setAutoWidth(true);
        grid.addColumn(m -> String.join(", ", m.regions())).setHeader(getTranslation("catalog.regions"))
                .setFlexGrow(1);
        grid.addColumn(CatalogModel::arnPattern).setHeader(getTranslation("catalog.arn")).setAutoWidth(true);
        ResponsiveGrid.cards(grid, getTranslation("nav.models"), m -> ResponsiveGrid.card(
                new Span(enabledBox(m), new Span(m.displayName())),
                ResponsiveGrid.line(m.provider(), getTranslation("catalog.kind." + m.kind().name())),
                ResponsiveGrid.line(m.modelId()), ResponsiveGrid.line(String.join(", ", m.regions()))));

        Button refresh = new Button(getTranslation("catalog.refresh"), VaadinIcon.REFRESH.create(), e -> {
            ModelCatalog.RefreshResult result = catalog.refresh(properties.refreshRegions());
            Notification.show(getTranslation("catalog.refreshed", result.offered(), result.added(), result.updated()),
                    6000, Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            refresh();
        });
        refresh.setId("catalog-refresh");
        refresh.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(new H2(getTranslation("nav.models")), new Paragraph(getTranslation(portal.sandbox() ? "catalog.text.sandbox"
                : "catalog.text.aws", String.join(", ", properties.refreshRegions()))), refresh, grid);
        add(new PriceTableSection(prices));
        refresh();
    }

    private Checkbox enabledBox(CatalogModel m) {
        Checkbox enabled = new Checkbox(m.enabled());
        enabled.setAriaLabel(getTranslation("catalog.enabled") + " " + m.displayName());
        enabled.addValueChangeListener(e -> {
            catalog.setEnabled(m.id(), e.getValue());
            refresh();
        });
        return enabled;
    }

    private void refresh() {
        grid.setItems(catalog.all());
    }
}
