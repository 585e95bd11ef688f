package com.bedrockportal.key.ui;


import com.bedrockportal.key.KeyInventory;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import com.vaadin.flow.data.provider.ConfigurableFilterDataProvider;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/** Every key the user may see, as its first 12 characters only: lazy paging, filter, sort by created or expiry. */
@Route(value = "keys", layout = MainLayout.class)
@PageTitle("Keys · Bedrock Access Portal")
@Menu(title = "nav.keys", order = 25, icon = "vaadin:key")
@PermitAll
public class MyKeysView extends VerticalLayout implements BeforeEnterObserver {

    /** The status filter; {@code ?status=ACTIVE} in the address (a dashboard tile) sets it. */
    private final ComboBox<KeyStatus> status = new ComboBox<>();

    public MyKeysView(KeyInventory inventory) {
        addClassName("portal-page");
        setId("my-keys");
        setSizeFull();
        TextField text = new TextField();
        text.setPlaceholder(getTranslation("keys.search"));
        text.setPrefixComponent(VaadinIcon.SEARCH.create());
        text.setClearButtonVisible(true);
        text.setValueChangeMode(ValueChangeMode.LAZY);
        text.setId("keys-search");
        text.setMaxLength(120);
        status.setPlaceholder(getTranslation("keys.status"));
        status.setItems(KeyStatus.values());
        status.setItemLabelGenerator(KeyStatus::label);
        status.setClearButtonVisible(true);
        status.setId("keys-status");

        ConfigurableFilterDataProvider<KeyInventory.Row, Void, KeyInventory.Filter> data =
                new CallbackDataProvider<KeyInventory.Row, KeyInventory.Filter>(
                        q -> inventory.list(q.getFilter().orElse(new KeyInventory.Filter(null, null)),
                                q.getSortOrders().stream().anyMatch(o -> "expires".equals(o.getSorted())
                                        && o.getDirection() == SortDirection.ASCENDING)
                                        ? KeyInventory.Sort.EXPIRES_ASC : KeyInventory.Sort.CREATED_DESC,
                                q.getOffset(), q.getLimit()).stream(),
                        q -> inventory.count(q.getFilter().orElse(new KeyInventory.Filter(null, null))))
                        .withConfigurableFilter();
        Runnable apply = () -> data.setFilter(new KeyInventory.Filter(text.getValue(),
                status.getValue() == null ? null : status.getValue().name()));
        text.addValueChangeListener(e -> apply.run());
        status.addValueChangeListener(e -> apply.run());

        Grid<KeyInventory.Row> grid = new Grid<>();
        grid.setId("keys-grid");
        // Fixed starting widths that wrap, so all nine columns fit a laptop screen (auto widths did not).
        grid.addThemeName("wrap-cell-content");
        grid.addColumn(KeyInventory.Row::businessUnit).setHeader(getTranslation("keys.unit")).setWidth("7em")
                .setFlexGrow(1);
        grid.addColumn(KeyInventory.Row::iamUser).setHeader(getTranslation("keys.iamUser")).setWidth("10em")
                .setFlexGrow(2);
        grid.addComponentColumn(r -> {
            Anchor link = keyLink(r);
            link.getElement().setAttribute("data-key", r.prefix());
            return link;
        }).setHeader(getTranslation("keys.key")).setAutoWidth(true)
                .setFlexGrow(0);
        grid.addComponentColumn(MyKeysView::statusBadge).setHeader(getTranslation("keys.status")).setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(r -> UserTime.format(r.createdAt())).setHeader(getTranslation("keys.created"))
                .setKey("created").setSortable(true).setWidth("7em").setFlexGrow(1);
        grid.addColumn(r -> UserTime.format(r.expiresAt())).setHeader(getTranslation("keys.expires"))
                .setKey("expires").setSortable(true).setWidth("7em").setFlexGrow(1);
        grid.addColumn(KeyInventory.Row::daysLeft).setHeader(getTranslation("keys.daysLeft")).setWidth("5em")
                .setFlexGrow(0);
        grid.addColumn(r -> r.revealedAt() == null ? "" : UserTime.format(r.revealedAt()) + " · " + r.revealedBy())
                .setHeader(getTranslation("keys.revealed")).setWidth("8em").setFlexGrow(1);
        grid.addComponentColumn(this::requestLink).setHeader(getTranslation("keys.request")).setAutoWidth(true)
                .setFlexGrow(0);
        // At phone width one column: key and status, then unit and IAM user, expiry, reveal and request.
        ResponsiveGrid.cards(grid, getTranslation("nav.keys"), r -> ResponsiveGrid.card(
                new Span(keyLink(r), statusBadge(r)),
                ResponsiveGrid.line(r.businessUnit(), r.iamUser()),
                ResponsiveGrid.line(getTranslation("keys.card.expires", UserTime.format(r.expiresAt()), r.daysLeft())),
                r.revealedAt() == null ? null
                        : ResponsiveGrid.line(getTranslation("keys.card.revealed", UserTime.format(r.revealedAt()),
                                r.revealedBy())),
                requestLink(r)));
        grid.setItems(data);
        grid.sort(GridSortOrder.desc(grid.getColumnByKey("created")).build());
        grid.setEmptyStateText(getTranslation("keys.empty"));
        apply.run();
        FlexLayout filters = new FlexLayout(text, status);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.addClassName("portal-filters");
        add(new H2(getTranslation("nav.keys")), filters, grid);
        setFlexGrow(1, grid);
    }

    private Anchor keyLink(KeyInventory.Row r) {
        // The key page (disable, re-enable, revoke) belongs to the lifecycle module; linked by its path only.
        Anchor p = new Anchor("keys/" + r.keyId(), r.prefix() + "…");
        p.getStyle().set("font-family", "var(--lumo-font-family-monospace, monospace)");
        p.getElement().setAttribute("title", getTranslation("keys.open", r.prefix()));
        return p;
    }

    private static Span statusBadge(KeyInventory.Row r) {
        Span s = new Span(r.status());
        s.getElement().getThemeList().add(switch (r.status()) {
            case "active" -> "badge success";
            case "pending reveal" -> "badge";
            case "revoked", "inactive" -> "badge error";
            default -> "badge contrast";
        });
        return s;
    }

    /** A rotation's key has no request: it links to its key page. */
    private Anchor requestLink(KeyInventory.Row r) {
        return r.requestId() > 0 ? new Anchor("requests/" + r.requestId(), "#" + r.requestId())
                : new Anchor("keys/" + r.keyId(), getTranslation("app.keyByRotation"));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        java.util.List<String> asked = event.getLocation().getQueryParameters().getParameters().get("status");
        if (asked != null && !asked.isEmpty()) {
            status.setValue(KeyStatus.parse(asked.get(0)));
        }
    }
}
