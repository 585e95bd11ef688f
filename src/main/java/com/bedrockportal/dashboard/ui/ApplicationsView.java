package com.bedrockportal.dashboard.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.dashboard.Lists;
import com.bedrockportal.dashboard.Lists.AppFilter;
import com.bedrockportal.dashboard.Lists.AppRow;
import com.bedrockportal.dashboard.Lists.AppSort;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import com.vaadin.flow.data.provider.ConfigurableFilterDataProvider;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/**
 * The applications the user may see (their units'; all for security and admins), paged by the database, each with
 * owner, last use, spend this month against its budget, status and days until its key expires. Filters (text, unit,
 * status, keys expiring within N days) and the order live in the address, so the dashboard's tiles open it filtered.
 */
@Route(value = "applications", layout = MainLayout.class)
@PageTitle("Applications · Bedrock Access Portal")
@Menu(title = "nav.applications", order = 22, icon = "vaadin:cubes")
@PermitAll
public class ApplicationsView extends VerticalLayout implements BeforeEnterObserver {

    private static final List<Integer> EXPIRING = List.of(7, 30, 90);

    private final TextField text = new TextField();
    private final ComboBox<Lists.UnitOption> unit = new ComboBox<>();
    private final ComboBox<String> status = new ComboBox<>();
    private final ComboBox<Integer> expiring = new ComboBox<>();
    private final ComboBox<AppSort> sort = new ComboBox<>();
    private final Span count = new Span();
    private final transient Lists lists;
    private final ConfigurableFilterDataProvider<AppRow, Void, AppFilter> data;
    private boolean loading;

    public ApplicationsView(Lists lists, ModelCatalog catalog) {
        this.lists = lists;
        Map<String, CatalogModel> models = catalog.byId();
        addClassName("portal-page");
        setId("applications");
        setSizeFull();
        text.setLabel(getTranslation("apps.filter.text"));
        text.setMaxLength(120);
        text.setClearButtonVisible(true);
        text.setValueChangeMode(ValueChangeMode.LAZY);
        text.setId("apps-filter-text");
        unit.setLabel(getTranslation("list.unit"));
        unit.setItems(lists.unitOptions());
        unit.setItemLabelGenerator(Lists.UnitOption::name);
        unit.setClearButtonVisible(true);
        unit.setId("apps-filter-unit");
        status.setLabel(getTranslation("list.status"));
        status.setItems("ACTIVE", "DECOMMISSIONING", "DECOMMISSIONED");
        status.setItemLabelGenerator(s -> s.toLowerCase(Locale.ROOT));
        status.setClearButtonVisible(true);
        status.setId("apps-filter-status");
        expiring.setLabel(getTranslation("apps.filter.expiring"));
        expiring.setItems(EXPIRING);
        expiring.setItemLabelGenerator(d -> getTranslation("apps.filter.expiringWithin", d));
        expiring.setClearButtonVisible(true);
        expiring.setId("apps-filter-expiring");
        sort.setLabel(getTranslation("apps.sort"));
        sort.setItems(AppSort.values());
        sort.setItemLabelGenerator(s -> getTranslation("apps.sort." + s.name()));
        sort.setValue(AppSort.NAME);
        sort.setId("apps-sort");

        data = new CallbackDataProvider<AppRow, AppFilter>(
                q -> lists.applications(q.getFilter().orElse(AppFilter.none()), q.getOffset(), q.getLimit()).stream(),
                q -> lists.countApplications(q.getFilter().orElse(AppFilter.none()))).withConfigurableFilter();
        Grid<AppRow> grid = new Grid<>();
        grid.setId("applications-grid");
        grid.addComponentColumn(a -> new Anchor("applications/" + a.id(), a.name()))
                .setHeader(getTranslation("app.column.name")).setAutoWidth(true);
        grid.addColumn(AppRow::unit).setHeader(getTranslation("app.unit")).setAutoWidth(true);
        grid.addColumn(AppRow::owner).setHeader(getTranslation("app.owner")).setAutoWidth(true);
        grid.addColumn(a -> a.lastUsed() == null ? getTranslation("apps.never") : UserTime.format(a.lastUsed()))
                .setHeader(getTranslation("apps.lastUsed")).setAutoWidth(true);
        grid.addColumn(a -> spend(a)).setHeader(getTranslation("apps.spend")).setAutoWidth(true);
        grid.addComponentColumn(ApplicationsView::statusBadge).setHeader(getTranslation("app.status")).setAutoWidth(true);
        grid.addColumn(a -> a.daysToExpiry() == null ? "" : getTranslation("apps.days", a.daysToExpiry()))
                .setHeader(getTranslation("apps.expiry")).setAutoWidth(true);
        grid.addColumn(AppRow::slug).setHeader(getTranslation("app.slug")).setAutoWidth(true);
        grid.addColumn(AppRow::iamUser).setHeader(getTranslation("app.iamUser")).setAutoWidth(true);
        grid.addColumn(a -> ModelCatalog.names(models, List.of(a.models().split(",")))).setHeader(getTranslation("app.models")).setAutoWidth(true);
        ResponsiveGrid.cards(grid, getTranslation("nav.applications"), a -> ResponsiveGrid.card(
                new Span(new Anchor("applications/" + a.id(), a.name()), statusBadge(a)),
                ResponsiveGrid.line(a.unit(), a.owner()),
                ResponsiveGrid.line(getTranslation("apps.lastUsed") + ": " + (a.lastUsed() == null
                        ? getTranslation("apps.never") : UserTime.format(a.lastUsed())), spend(a),
                        a.daysToExpiry() == null ? null : getTranslation("apps.days", a.daysToExpiry())),
                ResponsiveGrid.line(ModelCatalog.names(models, List.of(a.models().split(","))))));
        grid.setItems(data);
        grid.setEmptyStateText(getTranslation("app.empty"));
        count.setId("apps-count");

        text.addValueChangeListener(e -> changed());
        unit.addValueChangeListener(e -> changed());
        status.addValueChangeListener(e -> changed());
        expiring.addValueChangeListener(e -> changed());
        sort.addValueChangeListener(e -> changed());
        FlexLayout filters = new FlexLayout(text, unit, status, expiring, sort);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.addClassName("portal-filters");
        add(new H2(getTranslation("nav.applications")), filters, count, grid);
        setFlexGrow(1, grid);
    }

    private static Span statusBadge(AppRow a) {
        Span s = new Span(a.status().toLowerCase(Locale.ROOT));
        s.getElement().getThemeList().add("ACTIVE".equals(a.status()) ? "badge success" : "badge contrast");
        return s;
    }

    private String spend(AppRow a) {
        String spent = a.spentThisMonth() == null ? "–" : DashboardView.usd(a.spentThisMonth());
        String budget = DashboardView.usd(a.budget());
        String forecast = a.forecast() == null ? "" : " · " + getTranslation("apps.forecast",
                DashboardView.usd(a.forecast()));
        return spent + " / " + budget + forecast;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        ListParams p = new ListParams(event.getLocation().getQueryParameters());
        loading = true;
        text.setValue(p.value("q") == null ? "" : p.value("q"));
        Long u = p.number("unit");
        unit.setValue(u == null ? null : unit.getListDataView().getItems().filter(b -> b.id() == u).findFirst()
                .orElse(null));
        String s = p.value("status");
        status.setValue(s != null && List.of("ACTIVE", "DECOMMISSIONING", "DECOMMISSIONED").contains(s) ? s : null);
        Long days = p.number("expiring");
        expiring.setValue(days != null && EXPIRING.contains(days.intValue()) ? days.intValue() : null);
        String o = p.value("sort");
        sort.setValue(o == null ? AppSort.NAME : switch (o) {
            case "spend" -> AppSort.SPEND;
            case "expiry" -> AppSort.EXPIRY;
            case "used" -> AppSort.LAST_USED;
            default -> AppSort.NAME;
        });
        loading = false;
        apply(false);
    }

    private void changed() {
        if (!loading) {
            apply(true);
        }
    }

    private void apply(boolean writeAddress) {
        AppFilter filter = new AppFilter(text.getValue(), unit.getValue() == null ? null : unit.getValue().id(),
                status.getValue(), expiring.getValue(), sort.getValue());
        data.setFilter(filter);
        count.setText(getTranslation("apps.count", lists.countApplications(filter)));
        if (writeAddress) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("q", text.getValue());
            q.put("unit", unit.getValue() == null ? null : Long.toString(unit.getValue().id()));
            q.put("status", status.getValue());
            q.put("expiring", expiring.getValue() == null ? null : expiring.getValue().toString());
            q.put("sort", switch (sort.getValue() == null ? AppSort.NAME : sort.getValue()) {
                case SPEND -> "spend";
                case EXPIRY -> "expiry";
                case LAST_USED -> "used";
                case NAME -> null;
            });
            ListParams.writeAddress("applications", q);
        }
    }
}
