package com.bedrockportal.alerts.ui;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.alerts.Alert;
import com.bedrockportal.alerts.Alerts;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Location;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.beans.factory.annotation.Value;

/**
 * The security inbox: alerts, the most urgent first, filtered by status (open by default), severity and rule — the
 * filters are the page's query parameters ({@code /alerts?status=OPEN&severity=HIGH&rule=DENIED_BURST}, or
 * {@code status=ALL}), so the dashboard's tiles link straight into a filtered list. Security evaluates the rules now;
 * admins read (and act where the key actions let them); managers see their units' alerts, read-only.
 */
@Route(value = "alerts", layout = MainLayout.class)
@PageTitle("Security alerts · Bedrock Access Portal")
@Menu(title = "nav.alerts", order = 62, icon = "vaadin:bell-o")
@RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
public class AlertsView extends VerticalLayout implements BeforeEnterObserver {

    /** The status filter's "every status" value, in the query parameter too. */
    static final String ALL = "ALL";

    private final transient Alerts alerts;
    private final Grid<Alert> grid = new Grid<>();
    private final Select<String> status = new Select<>();
    private final Select<String> severity = new Select<>();
    private final Select<String> rule = new Select<>();
    private boolean applying;

    public AlertsView(Alerts alerts, CurrentUser currentUser,
            @Value("${portal.alerts.interval:PT15M}") Duration interval) {
        this.alerts = alerts;
        addClassName("portal-page");
        setId("alerts");
        setSizeFull();
        configureFilters();
        HorizontalLayout toolbar = new HorizontalLayout(status, severity, rule);
        toolbar.setWrap(true);
        toolbar.setAlignItems(FlexComponent.Alignment.BASELINE);
        if (currentUser.has(PortalRole.SECURITY)) {
            Button evaluate = new Button(getTranslation("alerts.evaluate"), VaadinIcon.REFRESH.create(),
                    e -> evaluateNow());
            evaluate.setId("alerts-evaluate");
            evaluate.setDisableOnClick(true);
            evaluate.addClickListener(e -> evaluate.setEnabled(true));
            evaluate.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            toolbar.add(evaluate);
        } else if (!currentUser.has(PortalRole.ADMIN)) {
            Span readOnly = new Span(getTranslation("alerts.readOnly"));
            readOnly.setId("alerts-read-only");
            toolbar.add(readOnly);
        }
        configureGrid();
        add(new H2(getTranslation("alerts.title")), new Paragraph(getTranslation("alerts.text", interval.toMinutes())),
                toolbar, grid);
        setFlexGrow(1, grid);
    }

    private void configureFilters() {
        status.setLabel(getTranslation("alerts.filter.status"));
        status.setId("alerts-filter-status");
        List<String> statuses = new ArrayList<>(List.of(ALL));
        Arrays.stream(Alert.Status.values()).map(Enum::name).forEach(statuses::add);
        status.setItems(statuses);
        status.setItemLabelGenerator(s -> ALL.equals(s) ? getTranslation("alerts.filter.all")
                : getTranslation("alerts.status." + s));
        severity.setLabel(getTranslation("alerts.filter.severity"));
        severity.setId("alerts-filter-severity");
        List<String> severities = new ArrayList<>(List.of(ALL));
        Arrays.stream(Alert.Severity.values()).map(Enum::name).forEach(severities::add);
        severity.setItems(severities);
        severity.setItemLabelGenerator(s -> ALL.equals(s) ? getTranslation("alerts.filter.all")
                : getTranslation("alerts.severity." + s));
        rule.setLabel(getTranslation("alerts.filter.rule"));
        rule.setId("alerts-filter-rule");
        List<String> rules = new ArrayList<>(List.of(ALL));
        Arrays.stream(Alert.Rule.values()).map(Enum::name).forEach(rules::add);
        rule.setItems(rules);
        rule.setItemLabelGenerator(s -> ALL.equals(s) ? getTranslation("alerts.filter.all")
                : getTranslation("alerts.rule." + s));
        for (Select<String> filter : List.of(status, severity, rule)) {
            filter.addValueChangeListener(e -> {
                if (!applying) {
                    refresh();
                    updateUrl();
                }
            });
        }
    }

    private void configureGrid() {
        grid.setId("alerts-grid");
        grid.addColumn(new ComponentRenderer<>(a -> {
            Anchor link = new Anchor("alerts/" + a.id(), "#" + a.id());
            link.getElement().setAttribute("data-alert", Long.toString(a.id()));
            return link;
        })).setHeader(getTranslation("alerts.col.id")).setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(new ComponentRenderer<>(a -> severityBadge(a.severity())))
                .setHeader(getTranslation("alerts.col.severity")).setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(a -> getTranslation("alerts.rule." + a.rule().name()))
                .setHeader(getTranslation("alerts.col.rule")).setAutoWidth(true);
        grid.addColumn(new ComponentRenderer<>(a -> {
            Anchor link = new Anchor("alerts/" + a.id(), a.title());
            link.setTitle(a.title());
            return link;
        })).setHeader(getTranslation("alerts.col.title")).setFlexGrow(3).setWidth("18em");
        grid.addColumn(a -> a.application() == null ? "—" : a.application())
                .setHeader(getTranslation("alerts.col.application")).setAutoWidth(true);
        grid.addColumn(a -> a.businessUnit() == null ? "—" : a.businessUnit())
                .setHeader(getTranslation("alerts.col.unit")).setAutoWidth(true);
        grid.addColumn(a -> UserTime.format(a.firstSeenAt())).setHeader(getTranslation("alerts.col.firstSeen"))
                .setAutoWidth(true);
        grid.addColumn(a -> UserTime.format(a.lastSeenAt())).setHeader(getTranslation("alerts.col.lastSeen"))
                .setAutoWidth(true);
        grid.addColumn(Alert::occurrences).setHeader(getTranslation("alerts.col.occurrences")).setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(new ComponentRenderer<>(a -> statusBadge(a.status())))
                .setHeader(getTranslation("alerts.col.status")).setAutoWidth(true).setFlexGrow(0);
        ResponsiveGrid.cards(grid, getTranslation("alerts.title"), a -> {
            return ResponsiveGrid.card(new Span(new Anchor("alerts/" + a.id(), "#" + a.id() + " " + a.title()), severityBadge(a.severity()), statusBadge(a.status())),
                    ResponsiveGrid.line(getTranslation("alerts.rule." + a.rule().name()), a.application(),
                            a.businessUnit()),
                    ResponsiveGrid.line(UserTime.format(a.firstSeenAt()) + " – " + UserTime.format(a.lastSeenAt()),
                            "× " + a.occurrences()));
        });
        grid.setEmptyStateText(getTranslation("alerts.empty"));
    }

    /** A severity as a badge (shared with the alert's page). */
    static Span severityBadge(Alert.Severity severity) {
        Span badge = new Span(badgeText("alerts.severity." + severity.name()));
        badge.getElement().getThemeList().add(switch (severity) {
            case CRITICAL, HIGH -> "badge error";
            case MEDIUM -> "badge contrast";
            case LOW -> "badge";
        });
        badge.getElement().setAttribute("data-severity", severity.name());
        return badge;
    }

    static Span statusBadge(Alert.Status status) {
        Span badge = new Span(badgeText("alerts.status." + status.name()));
        badge.getElement().getThemeList().add(status == Alert.Status.OPEN ? "badge primary" : "badge success");
        badge.getElement().setAttribute("data-status", status.name());
        return badge;
    }

    private static String badgeText(String key) {
        UI ui = UI.getCurrent();
        return ui == null ? key : ui.getTranslation(key);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Map<String, List<String>> params = event.getLocation().getQueryParameters().getParameters();
        applying = true;
        try {
            status.setValue(param(params, "status", Alert.Status.values()).orElse(params.containsKey("status")
                    && ALL.equals(params.get("status").get(0)) ? ALL : Alert.Status.OPEN.name()));
            severity.setValue(param(params, "severity", Alert.Severity.values()).orElse(ALL));
            rule.setValue(param(params, "rule", Alert.Rule.values()).orElse(ALL));
        } finally {
            applying = false;
        }
        refresh();
    }

    /** The parameter's value when it names one of {@code values} (as written: OPEN, HIGH); anything else is ignored. */
    private static <E extends Enum<E>> Optional<String> param(Map<String, List<String>> params, String name,
            E[] values) {
        List<String> given = params.get(name);
        if (given == null || given.isEmpty() || given.get(0) == null) {
            return Optional.empty();
        }
        String v = given.get(0).strip();
        return Arrays.stream(values).map(Enum::name).filter(v::equals).findFirst();
    }

    private void updateUrl() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("status", status.getValue());
        if (!ALL.equals(severity.getValue())) {
            params.put("severity", severity.getValue());
        }
        if (!ALL.equals(rule.getValue())) {
            params.put("rule", rule.getValue());
        }
        getUI().ifPresent(ui -> ui.getPage().getHistory().replaceState(null,
                new Location("alerts", QueryParameters.simple(params))));
    }

    private void evaluateNow() {
        try {
            Alerts.Outcome o = alerts.evaluateNow();
            String text = getTranslation("alerts.evaluated", o.conditions(), o.raised(), o.updated(), o.quiet())
                    + (o.capped() ? " " + getTranslation("alerts.evaluated.capped") : "")
                    + (o.failed() > 0 ? " " + getTranslation("alerts.evaluated.failed", o.failed()) : "");
            Notification n = Notification.show(text, 6000, Notification.Position.BOTTOM_START);
            n.addThemeVariants(o.failed() > 0 ? NotificationVariant.LUMO_WARNING : NotificationVariant.LUMO_SUCCESS);
            n.setId("alerts-outcome");
        } catch (Alerts.Refused busy) {
            Notification.show(busy.getMessage(), 6000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_WARNING);
        }
        refresh();
    }

    private void refresh() {
        grid.setItems(alerts.list(new Alerts.Filter(value(status.getValue(), Alert.Status.class),
                value(severity.getValue(), Alert.Severity.class), value(rule.getValue(), Alert.Rule.class))));
    }

    private static <E extends Enum<E>> E value(String selected, Class<E> type) {
        return selected == null || ALL.equals(selected) ? null : Enum.valueOf(type, selected);
    }
}
