package com.bedrockportal.dashboard.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.bedrockportal.dashboard.Lists;
import com.bedrockportal.dashboard.Lists.RequestFilter;
import com.bedrockportal.dashboard.Lists.RequestRow;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
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
import com.vaadin.flow.server.StreamResource;

import jakarta.annotation.security.RolesAllowed;

/**
 * Every request (security, admins) or a manager's units' requests, newest first, paged by the database: filters by
 * status, unit, requester, application and submission date (kept in the address, so a dashboard tile opens it
 * filtered) and a CSV export of what the filter shows.
 */
@Route(value = "all-requests", layout = MainLayout.class)
@PageTitle("All requests · Bedrock Access Portal")
@Menu(title = "nav.allRequests", order = 27, icon = "vaadin:list")
@RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
public class AllRequestsView extends VerticalLayout implements BeforeEnterObserver {

    private static final List<String> STATUSES = List.of("PENDING", "PENDING_MANAGER", "PENDING_SECURITY",
            "APPROVED", "REJECTED", "EXPIRED", "WITHDRAWN", "PROVISIONING", "PROVISIONED", "PROVISIONING_FAILED");

    private final transient Lists lists;
    private final ComboBox<String> status = new ComboBox<>();
    private final ComboBox<Lists.UnitOption> unit = new ComboBox<>();
    private final TextField requester = new TextField();
    private final TextField application = new TextField();
    private final DatePicker from = new DatePicker();
    private final DatePicker to = new DatePicker();
    private final Span count = new Span();
    private final Anchor csv = new Anchor();
    private final ConfigurableFilterDataProvider<RequestRow, Void, RequestFilter> data;
    private boolean loading;

    public AllRequestsView(Lists lists) {
        this.lists = lists;
        addClassName("portal-page");
        setId("all-requests");
        setSizeFull();
        status.setLabel(getTranslation("list.status"));
        status.setItems(STATUSES);
        status.setItemLabelGenerator(s -> "PENDING".equals(s) ? getTranslation("list.status.pending")
                : s.toLowerCase(Locale.ROOT).replace('_', ' '));
        status.setClearButtonVisible(true);
        status.setId("req-filter-status");
        unit.setLabel(getTranslation("list.unit"));
        unit.setItems(lists.unitOptions());
        unit.setItemLabelGenerator(Lists.UnitOption::name);
        unit.setClearButtonVisible(true);
        unit.setId("req-filter-unit");
        for (TextField t : List.of(requester, application)) {
            t.setMaxLength(120);
            t.setClearButtonVisible(true);
            t.setValueChangeMode(ValueChangeMode.LAZY);
        }
        requester.setLabel(getTranslation("list.requester"));
        requester.setId("req-filter-requester");
        application.setLabel(getTranslation("list.application"));
        application.setId("req-filter-application");
        from.setLabel(getTranslation("list.from"));
        from.setId("req-filter-from");
        to.setLabel(getTranslation("list.to"));
        to.setId("req-filter-to");

        data = new CallbackDataProvider<RequestRow, RequestFilter>(
                q -> lists.requests(q.getFilter().orElse(RequestFilter.none()), q.getOffset(), q.getLimit()).stream(),
                q -> lists.countRequests(q.getFilter().orElse(RequestFilter.none()))).withConfigurableFilter();
        Grid<RequestRow> grid = new Grid<>();
        grid.setId("all-requests-grid");
        grid.addComponentColumn(r -> {
            Anchor a = new Anchor("requests/" + r.id(), "#" + r.id());
            a.getElement().setAttribute("data-request", Long.toString(r.id()));
            return a;
        }).setHeader(getTranslation("list.col.request")).setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(r -> r.status().toLowerCase(Locale.ROOT).replace('_', ' '))
                .setHeader(getTranslation("list.status")).setAutoWidth(true);
        grid.addColumn(RequestRow::unit).setHeader(getTranslation("list.unit")).setAutoWidth(true);
        grid.addColumn(RequestRow::application).setHeader(getTranslation("list.application")).setAutoWidth(true);
        grid.addColumn(RequestRow::requester).setHeader(getTranslation("list.requester")).setAutoWidth(true);
        grid.addColumn(r -> "$" + r.budget().toPlainString()).setHeader(getTranslation("list.col.budget"))
                .setAutoWidth(true);
        grid.addColumn(r -> UserTime.format(r.submittedAt())).setHeader(getTranslation("list.col.submitted"))
                .setAutoWidth(true);
        ResponsiveGrid.cards(grid, getTranslation("nav.allRequests"), r -> {
            Anchor a = new Anchor("requests/" + r.id(), "#" + r.id());
            return ResponsiveGrid.card(new Span(a, new Span(r.status().toLowerCase(Locale.ROOT).replace('_', ' '))),
                    ResponsiveGrid.line(r.unit(), r.application()),
                    ResponsiveGrid.line(r.requester(), "$" + r.budget().toPlainString(),
                            UserTime.format(r.submittedAt())));
        });
        grid.setItems(data);
        grid.setEmptyStateText(getTranslation("list.empty"));

        status.addValueChangeListener(e -> changed());
        unit.addValueChangeListener(e -> changed());
        requester.addValueChangeListener(e -> changed());
        application.addValueChangeListener(e -> changed());
        from.addValueChangeListener(e -> changed());
        to.addValueChangeListener(e -> changed());

        csv.setText(getTranslation("list.csv"));
        csv.setId("req-export");
        csv.getElement().setAttribute("download", true);
        count.setId("req-count");
        FlexLayout filters = new FlexLayout(status, unit, requester, application, from, to);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.addClassName("portal-filters");
        FlexLayout actions = new FlexLayout(count, csv);
        actions.setAlignItems(FlexComponent.Alignment.BASELINE);
        actions.addClassName("portal-filters");
        add(new H2(getTranslation("nav.allRequests")), filters, actions, grid);
        setFlexGrow(1, grid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        ListParams p = new ListParams(event.getLocation().getQueryParameters());
        loading = true;
        String s = p.value("status");
        status.setValue(s != null && STATUSES.contains(s) ? s : null);
        Long u = p.number("unit");
        unit.setValue(u == null ? null : unit.getListDataView().getItems().filter(b -> b.id() == u).findFirst()
                .orElse(null));
        requester.setValue(p.value("requester") == null ? "" : p.value("requester"));
        application.setValue(p.value("application") == null ? "" : p.value("application"));
        from.setValue(p.date("from"));
        to.setValue(p.date("to"));
        loading = false;
        apply(false);
    }

    private void changed() {
        if (!loading) {
            apply(true);
        }
    }

    private void apply(boolean writeAddress) {
        RequestFilter filter = filter();
        data.setFilter(filter);
        count.setText(getTranslation("list.count", lists.countRequests(filter)));
        csv.setHref(new StreamResource("requests.csv", (out, session) -> {
            try {
                lists.exportRequests(filter, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        if (writeAddress) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("status", status.getValue());
            q.put("unit", unit.getValue() == null ? null : Long.toString(unit.getValue().id()));
            q.put("requester", requester.getValue());
            q.put("application", application.getValue());
            q.put("from", from.getValue() == null ? null : from.getValue().toString());
            q.put("to", to.getValue() == null ? null : to.getValue().toString());
            ListParams.writeAddress("all-requests", q);
        }
    }

    private RequestFilter filter() {
        LocalDate f = from.getValue();
        LocalDate t = to.getValue();
        return new RequestFilter(status.getValue(), unit.getValue() == null ? null : unit.getValue().id(),
                requester.getValue(), application.getValue(), f, t);
    }

}
