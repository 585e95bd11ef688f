package com.bedrockportal.application.ui;

import java.util.List;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.application.Decommissions;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.KeyInventory;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.ui.Card;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/**
 * One application: its owner and purpose, its names in AWS, the access approved last, and its keys. Anyone who may
 * not see it gets the same page as for an application that does not exist.
 */
@Route(value = "applications/:id", layout = MainLayout.class)
@PageTitle("Application · Bedrock Access Portal")
@PermitAll
public class ApplicationView extends VerticalLayout implements BeforeEnterObserver {

    private final transient ApplicationService applications;
    private final transient BusinessUnitService units;
    private final transient KeyInventory keys;
    private final transient Decommissions decommissions;

    public ApplicationView(ApplicationService applications, BusinessUnitService units, KeyInventory keys,
            Decommissions decommissions) {
        this.decommissions = decommissions;
        this.applications = applications;
        this.units = units;
        this.keys = keys;
        addClassName("portal-page");
        setId("application");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        render(event.getRouteParameters().getLong("id").orElse(-1L));
    }

    private void render(long id) {
        removeAll();
        Optional<Application> found = applications.find(id);
        if (found.isEmpty()) {
            add(new H2(getTranslation("app.notFound")));
            return;
        }
        Application app = found.get();
        String unit = units.find(app.businessUnitId()).map(BusinessUnit::displayName).orElse("");
        add(new H2(app.displayName()), ApplicationsView.status(app.status()));

        Card about = new Card("app.about", "application-about");
        about.row("app.unit", unit);
        about.row("app.slug", app.slug());
        about.row("app.owner", app.owner() + " · " + app.ownerEmail());
        about.row("app.purpose", app.purpose());
        about.row("app.classification", getTranslation("classification." + app.dataClassification()));
        if (app.createdByRequest() != null) {
            Paragraph created = about.row("app.createdBy", "");
            created.add(new Anchor("requests/" + app.createdByRequest(), "#" + app.createdByRequest()));
        }

        Card aws = new Card("app.aws", "application-aws");
        aws.row("app.iamUser", app.names().iamUser()).setId("application-iam-user");
        aws.row("app.budgetName", orNone(app.names().budgetName()));
        aws.row("app.secretName", orNone(app.names().secretName()));

        Application.Access a = app.access();
        Card access = new Card("app.access", "application-access");
        access.row("app.models", String.join(", ", a.models())).setId("application-models");
        access.row("app.regions", String.join(", ", a.regions()));
        access.row("app.cidrs", a.sourceCidrs().isEmpty() ? getTranslation("detail.cidrs.none")
                : String.join(", ", a.sourceCidrs()));
        access.row("app.lifetime", getTranslation("detail.days", a.lifetimeDays()));
        access.row("app.budget", "$" + a.monthlyBudget().toPlainString() + " · "
                + getTranslation("app.alertAt", a.alertThreshold()));

        Grid<KeyInventory.Row> grid = new Grid<>();
        grid.setId("application-keys");
        grid.addColumn(r -> r.prefix() + "…").setHeader(getTranslation("keys.key")).setAutoWidth(true);
        grid.addColumn(r -> UserTime.format(r.createdAt())).setHeader(getTranslation("keys.created"))
                .setAutoWidth(true);
        grid.addColumn(r -> UserTime.format(r.expiresAt())).setHeader(getTranslation("keys.expires"))
                .setAutoWidth(true);
        grid.addColumn(KeyInventory.Row::status).setHeader(getTranslation("keys.status")).setAutoWidth(true);
        grid.addComponentColumn(r -> new Anchor("requests/" + r.requestId(), "#" + r.requestId()))
                .setHeader(getTranslation("keys.request")).setAutoWidth(true);
        List<KeyInventory.Row> rows = keys.list(KeyInventory.Filter.ofApplication(app.id()),
                KeyInventory.Sort.CREATED_DESC, 0, 50);
        grid.setItems(rows);
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("keys.empty"));
        Card keyCard = new Card("app.keys", "application-key-card");
        keyCard.add(grid);

        add(about, aws, access, keyCard);
        // The whole page follows a decommission's progress: its keys turn revoked, its status decommissioned.
        add(new DecommissionPanel(decommissions, app.id(), () -> render(app.id())));
    }

    private String orNone(String value) {
        return value == null ? getTranslation("app.none") : value;
    }
}
