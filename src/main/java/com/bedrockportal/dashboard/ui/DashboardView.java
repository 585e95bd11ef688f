package com.bedrockportal.dashboard.ui;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import com.bedrockportal.dashboard.Dashboard;
import com.bedrockportal.dashboard.Figures;
import com.bedrockportal.dashboard.Figures.AppUsage;
import com.bedrockportal.dashboard.Figures.UnitKeys;
import com.bedrockportal.dashboard.Figures.UnitSpend;
import com.bedrockportal.dashboard.Figures.WeekCount;
import com.bedrockportal.dashboard.Figures.WeekLead;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.dom.Element;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/**
 * The dashboard: tiles that link to the lists behind them, and charts drawn on the server as SVG, each with a table
 * of the same numbers (for screen readers and for copying) whose rows link into the lists. Security and admins see
 * everything, a manager their units, a requester their own applications.
 */
@Route(value = "dashboard", layout = MainLayout.class)
@PageTitle("Dashboard · Bedrock Access Portal")
@Menu(title = "nav.dashboard", order = 1, icon = "vaadin:dashboard")
@PermitAll
public class DashboardView extends VerticalLayout {

    private final transient Dashboard dashboard;
    private final Div content = new Div();

    public DashboardView(Dashboard dashboard) {
        this.dashboard = dashboard;
        addClassName("portal-page");
        setId("dashboard");
        content.setWidthFull();
        add(content);
        render(dashboard.current());
    }

    private void render(Dashboard.View view) {
        content.removeAll();
        Figures f = view.figures();
        Span asOf = new Span(getTranslation(view.stored() ? "dash.asOf" : "dash.live",
                UserTime.format(f.computedAt()), f.tookMs()));
        asOf.setId("dash-as-of");
        asOf.addClassName("portal-muted");
        HorizontalLayout head = new HorizontalLayout(new H2(getTranslation(view.everything() ? "dash.title.all"
                : f.scope().startsWith("manager:") ? "dash.title.units" : "dash.title.mine")), asOf);
        head.setAlignItems(FlexComponent.Alignment.BASELINE);
        head.setWrap(true);
        if (view.canRefresh()) {
            Button refresh = new Button(getTranslation("dash.refresh"), VaadinIcon.REFRESH.create(), e -> {
                Duration took = dashboard.refreshNow();
                render(dashboard.current());
                Notification.show(getTranslation("dash.refreshed", took.toMillis()));
            });
            refresh.setId("dash-refresh");
            refresh.setDisableOnClick(true);
            head.add(refresh);
        }
        content.add(head, tiles(f, view), charts(f, view.everything()));
    }

    private Div tiles(Figures f, Dashboard.View view) {
        Figures.Tiles t = f.tiles();
        Div tiles = new Div();
        tiles.addClassName("portal-tiles");
        tiles.setId("dash-tiles");
        tiles.add(tile("active", t.activeKeys(), "keys?status=ACTIVE", null));
        tiles.add(tile("expiring7", t.expiring7(), "applications?expiring=7", null));
        tiles.add(tile("expiring30", t.expiring30(), "applications?expiring=30", null));
        String oldest = t.oldestPendingSince() == null ? null
                : getTranslation("dash.tile.oldest", age(t.oldestPendingSince(), f.computedAt()));
        tiles.add(tile("pending", t.pendingApprovals(), f.scope().startsWith("owner:") ? "requests"
                : "all-requests?status=PENDING", oldest));
        if (t.openIncidents() != null) {
            tiles.add(tile("incidents", t.openIncidents(), "incidents", null));
        }
        if (t.openCompromiseCases() != null) {
            tiles.add(tile("compromise", t.openCompromiseCases(), "compromise", null));
        }
        if (t.openDriftFindings() != null) {
            tiles.add(tile("drift", t.openDriftFindings(), "drift", null));
        }
        tiles.add(tile("spend", usd(t.spendThisMonth()), t.spendThisMonth().setScale(2, RoundingMode.HALF_UP)
                .toPlainString(), "applications?sort=spend", getTranslation("dash.tile.ofBudget",
                        usd(t.budgetsThisMonth()))));
        if (t.openAlerts() != null) {
            tiles.add(tile("alerts", t.openAlerts(), "alerts?status=OPEN", null));
        }
        return tiles;
    }

    private Anchor tile(String name, long value, String href, String note) {
        return tile(name, String.format(Locale.ENGLISH, "%,d", value), Long.toString(value), href, note);
    }

    private Anchor tile(String name, String shown, String value, String href, String note) {
        Span number = new Span(shown);
        number.addClassName("portal-tile-value");
        number.getElement().setAttribute("data-value", value);
        Span label = new Span(getTranslation("dash.tile." + name));
        label.addClassName("portal-tile-label");
        Anchor a = new Anchor();
        a.setHref(href);
        a.add(number, label);
        if (note != null) {
            Span n = new Span(note);
            n.addClassName("portal-tile-note");
            a.add(n);
        }
        a.addClassName("portal-tile");
        a.setId("tile-" + name);
        return a;
    }

    private Div charts(Figures f, boolean everything) {
        Div charts = new Div();
        charts.addClassName("portal-charts");
        charts.add(chart(f, Figures.KEYS, () -> keysTable(f.keysByUnit(), everything)));
        charts.add(chart(f, Figures.EXPIRY, () -> expiryTable(f.expiry())));
        charts.add(chart(f, Figures.LEAD_TIME, () -> leadTable(f.leadTime())));
        charts.add(chart(f, Figures.SPEND, () -> spendTable(f.spend(), everything)));
        charts.add(chart(f, Figures.INVOCATIONS, () -> usageTable(f, false)));
        charts.add(chart(f, Figures.DENIED, () -> usageTable(f, true)));
        return charts;
    }

    /**
     * A chart's card: the chart, and its numbers as a table once "Show the numbers" is opened. Built on opening
     * because a table's every cell is a component the page would hold while it stays open: they were most of a
     * dashboard page's memory (README "Performance").
     */
    private Div chart(Figures f, String name, Supplier<Component> table) {
        Figures.Chart c = f.charts().get(name);
        Div card = new Div(new H3(c.title()));
        card.addClassName("portal-card");
        card.addClassName("portal-chart-card");
        card.setId("chart-" + name);
        Div wide = new Div(new Svg(c.wide()));
        wide.addClassName("chart-wide");
        Div narrow = new Div(new Svg(c.narrow()));
        narrow.addClassName("chart-narrow");
        Details details = new Details(getTranslation("dash.table"));
        details.setId("chart-" + name + "-table");
        details.addOpenedChangeListener(e -> {
            if (e.isOpened() && details.getContent().findAny().isEmpty()) {
                details.add(table.get());
            }
        });
        card.add(wide, narrow, details);
        return card;
    }

    private Component keysTable(List<UnitKeys> rows, boolean everything) {
        List<List<Object>> body = new ArrayList<>();
        for (UnitKeys u : rows) {
            body.add(List.of(link(u.unit(), "applications?unit=" + u.unitId()), u.active(), u.pendingReveal(),
                    u.inactive(), u.expired(), u.total()));
        }
        return table(List.of("dash.col.unit", "dash.col.active", "dash.col.pendingReveal", "dash.col.inactive",
                "dash.col.expired", "dash.col.total"), body);
    }

    private Component expiryTable(List<WeekCount> weeks) {
        List<List<Object>> body = new ArrayList<>();
        for (WeekCount w : weeks) {
            body.add(List.of(w.weekStart().toString(), w.keys()));
        }
        return table(List.of("dash.col.weekOf", "dash.col.keysExpiring"), body);
    }

    private Component leadTable(List<WeekLead> weeks) {
        List<List<Object>> body = new ArrayList<>();
        for (WeekLead w : weeks) {
            body.add(List.of(w.weekStart().toString(), w.provisioned(), w.provisioned() == 0 ? "" : hours(
                    w.medianHours()), w.provisioned() == 0 ? "" : hours(w.p90Hours())));
        }
        return table(List.of("dash.col.weekOf", "dash.col.provisioned", "dash.col.median", "dash.col.p90"), body);
    }

    private Component spendTable(List<UnitSpend> rows, boolean everything) {
        List<List<Object>> body = new ArrayList<>();
        for (UnitSpend u : rows) {
            body.add(List.of(link(u.unit(), "applications?unit=" + u.unitId() + "&sort=spend"), usd(u.actual()),
                    u.forecast() == null ? "" : usd(u.forecast()), usd(u.budget()), percent(u.actual(), u.budget())));
        }
        return table(List.of("dash.col.unit", "dash.col.spent", "dash.col.forecast", "dash.col.budget",
                "dash.col.used"), body);
    }

    private Component usageTable(Figures f, boolean denied) {
        List<String> headers = new ArrayList<>(List.of("dash.col.application", "dash.col.unit"));
        headers.add(denied ? "dash.col.deniedTotal" : "dash.col.callsTotal");
        List<List<Object>> body = new ArrayList<>();
        for (AppUsage a : f.usage()) {
            Object name = a.applicationId() == 0 ? a.application()
                    : link(a.application(), "applications/" + a.applicationId());
            List<Object> row = new ArrayList<>(List.of(name,
                    a.unit(), denied ? a.totalDenied() : a.totalInvocations()));
            for (Long v : denied ? a.denied() : a.invocations()) {
                row.add(v);
            }
            body.add(row);
        }
        List<Object> dayHeaders = new ArrayList<>();
        f.usageDays().forEach(d -> dayHeaders.add(d.toString().substring(5)));
        return table(headers, dayHeaders, body);
    }

    private Component table(List<String> headerKeys, List<List<Object>> body) {
        return table(headerKeys, List.of(), body);
    }

    /** A plain table: header keys translated, further header texts as they are; cells text or components. */
    private Component table(List<String> headerKeys, List<Object> moreHeaders, List<List<Object>> body) {
        Div wrap = new Div();
        wrap.addClassName("portal-table-wrap");
        wrap.getElement().setAttribute("tabindex", "0");
        Element table = new Element("table");
        table.getClassList().add("portal-table");
        Element thead = new Element("thead");
        Element tr = new Element("tr");
        headerKeys.forEach(k -> tr.appendChild(new Element("th").setAttribute("scope", "col").setText(
                getTranslation(k))));
        moreHeaders.forEach(h -> tr.appendChild(new Element("th").setAttribute("scope", "col").setText(
                String.valueOf(h))));
        thead.appendChild(tr);
        Element tbody = new Element("tbody");
        for (List<Object> row : body) {
            Element r = new Element("tr");
            for (Object cell : row) {
                Element td = new Element("td");
                if (cell instanceof Component c) {
                    td.appendChild(c.getElement());
                } else {
                    td.setText(String.valueOf(cell));
                }
                r.appendChild(td);
            }
            tbody.appendChild(r);
        }
        if (body.isEmpty()) {
            Element r = new Element("tr");
            r.appendChild(new Element("td").setAttribute("colspan", Integer.toString(headerKeys.size()
                    + moreHeaders.size())).setText(getTranslation("dash.noData")));
            tbody.appendChild(r);
        }
        table.appendChild(thead, tbody);
        wrap.getElement().appendChild(table);
        return wrap;
    }

    private static Anchor link(String text, String href) {
        return new Anchor(href, text);
    }

    static String usd(BigDecimal amount) {
        return amount == null ? "" : "$" + String.format(Locale.ENGLISH, "%,.2f", amount);
    }

    static String percent(BigDecimal part, BigDecimal whole) {
        if (whole == null || whole.signum() == 0 || part == null) {
            return "";
        }
        return part.multiply(BigDecimal.valueOf(100)).divide(whole, 0, RoundingMode.HALF_UP) + " %";
    }

    static String hours(double h) {
        return h < 48 ? String.format(Locale.ENGLISH, "%.1f h", h) : String.format(Locale.ENGLISH, "%.1f days",
                h / 24);
    }

    private String age(Instant since, Instant now) {
        Duration d = Duration.between(since, now);
        return d.toDays() >= 1 ? getTranslation("dash.age.days", d.toDays())
                : getTranslation("dash.age.hours", Math.max(0, d.toHours()));
    }
}
