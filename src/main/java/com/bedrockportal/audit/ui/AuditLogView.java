package com.bedrockportal.audit.ui;

import java.time.LocalDateTime;
import java.time.ZoneId;

import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditEntry;
import com.bedrockportal.audit.AuditFilter;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.audit.ChainVerification;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import com.vaadin.flow.data.provider.ConfigurableFilterDataProvider;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;

import jakarta.annotation.security.RolesAllowed;

/**
 * The audit log for security and admins: filter, lazy paging (the grid asks the database for one page at a time),
 * CSV export of the filtered rows, and verification of the hash chain.
 */
@Route(value = "audit", layout = MainLayout.class)
@PageTitle("Audit log · Bedrock Access Portal")
@Menu(title = "nav.audit", order = 70, icon = "vaadin:records")
@RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
public class AuditLogView extends VerticalLayout {

    private final transient AuditLog audit;
    private final TextField actor = new TextField();
    private final ComboBox<String> action = new ComboBox<>();
    private final TextField target = new TextField();
    private final DateTimePicker from = new DateTimePicker();
    private final DateTimePicker to = new DateTimePicker();
    private final Span chainStatus = new Span();
    private final Paragraph more = new Paragraph();
    private final ConfigurableFilterDataProvider<AuditEntry, Void, AuditFilter> dataProvider;
    private volatile AuditFilter appliedFilter = AuditFilter.none();

    public AuditLogView(AuditLog audit, CurrentUser currentUser) {
        this.audit = audit;
        addClassName("portal-page");
        setId("audit-log");
        setSizeFull();

        dataProvider = new CallbackDataProvider<AuditEntry, AuditFilter>(
                q -> audit.find(q.getFilter().orElse(AuditFilter.none()), q.getOffset(), q.getLimit()).stream(),
                q -> Math.min(audit.count(q.getFilter().orElse(AuditFilter.none())), AuditLog.MAX_LISTED),
                AuditEntry::seq)
                .withConfigurableFilter();

        Grid<AuditEntry> grid = new Grid<>(AuditEntry.class, false);
        grid.setId("audit-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        // Wide enough for eight digits (a hundred million rows): an automatic width, measured on the rows first
        // shown, cut "10" to "1…" once a log of nine rows grew.
        grid.addColumn(AuditEntry::seq).setHeader("#").setWidth("calc(8ch + 2 * var(--lumo-space-m))").setFlexGrow(0);
        grid.addColumn(e -> UserTime.format(e.occurredAt())).setHeader(getTranslation("audit.time")).setAutoWidth(true);
        grid.addColumn(AuditEntry::actor).setHeader(getTranslation("audit.actor")).setAutoWidth(true);
        grid.addColumn(AuditEntry::action).setHeader(getTranslation("audit.action")).setAutoWidth(true);
        grid.addColumn(AuditEntry::target).setHeader(getTranslation("audit.target")).setAutoWidth(true);
        grid.addColumn(AuditEntry::details).setHeader(getTranslation("audit.details")).setFlexGrow(1);
        grid.addColumn(e -> e.hash().substring(0, 12) + "…").setHeader(getTranslation("audit.hash"))
                .setClassNameGenerator(e -> "portal-hide-narrow").setAutoWidth(true);
        ResponsiveGrid.cards(grid, getTranslation("audit.title"), e -> ResponsiveGrid.card(
                ResponsiveGrid.line("#" + e.seq(), e.action()),
                ResponsiveGrid.line(UserTime.format(e.occurredAt()), e.actor()),
                ResponsiveGrid.line(e.target()), ResponsiveGrid.line(e.details())));
        grid.setItems(dataProvider);
        grid.setEmptyStateText(getTranslation("audit.empty"));
        grid.setPageSize(50);

        more.setId("audit-more");
        add(new H2(getTranslation("audit.title")), filters(), actions(currentUser), chainStatus, more, grid);
        setFlexGrow(1, grid);
        applyFilter();
    }

    private FlexLayout filters() {
        actor.setLabel(getTranslation("audit.actor"));
        actor.setId("audit-filter-actor");
        target.setLabel(getTranslation("audit.target"));
        target.setId("audit-filter-target");
        for (TextField f : new TextField[] { actor, target }) {
            f.setClearButtonVisible(true);
            f.setMaxLength(AuditFilter.TEXT_MAX);
            f.setValueChangeMode(ValueChangeMode.LAZY);
            f.addValueChangeListener(e -> applyFilter());
        }
        action.setLabel(getTranslation("audit.action"));
        action.setId("audit-filter-action");
        action.setItems(audit.knownActions());
        action.setClearButtonVisible(true);
        action.addValueChangeListener(e -> applyFilter());
        from.setLabel(getTranslation("audit.from"));
        from.setId("audit-filter-from");
        to.setLabel(getTranslation("audit.to"));
        to.setId("audit-filter-to");
        from.addValueChangeListener(e -> applyFilter());
        to.addValueChangeListener(e -> applyFilter());
        // A date and a time side by side are wider than a phone: let them shrink to the screen.
        from.setMaxWidth("100%");
        to.setMaxWidth("100%");
        FlexLayout layout = new FlexLayout(actor, action, target, from, to);
        layout.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        layout.getStyle().set("gap", "var(--lumo-space-s)");
        layout.addClassName("portal-filters");
        return layout;
    }

    private HorizontalLayout actions(CurrentUser currentUser) {
        Button verify = new Button(getTranslation("audit.verify"), VaadinIcon.SHIELD.create(), e -> verify(currentUser));
        verify.setId("audit-verify");
        verify.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        // The download runs in its own request without the UI lock: it uses the filter last applied, and streams
        // the rows page by page straight into the response.
        DownloadHandler csv = event -> {
            AuditFilter filter = appliedFilter;
            event.setFileName("audit-log.csv");
            event.setContentType("text/csv");
            audit.record(currentUser.usernameOrAnonymous(), AuditActions.AUDIT_EXPORTED, "audit-log", describe(filter));
            audit.exportCsv(filter, event.getOutputStream());
        };
        // A link styled as a button (a button inside a link would be two nested targets for one action).
        Anchor export = new Anchor(csv, "");
        export.setId("audit-export");
        export.addClassName("portal-link-button");
        export.add(VaadinIcon.DOWNLOAD.create(), new Span(getTranslation("audit.export")));
        export.setDownload(true);
        HorizontalLayout layout = new HorizontalLayout(verify, export);
        layout.setAlignItems(Alignment.CENTER);
        return layout;
    }

    private void verify(CurrentUser currentUser) {
        ChainVerification result = audit.verify();
        audit.record(currentUser.usernameOrAnonymous(), AuditActions.AUDIT_VERIFIED, "audit-log",
                result.intact() ? "intact, " + result.rowsChecked() + " rows"
                        : ChainVerification.verdict(false, result.firstBrokenSeq()) + ": " + result.problem());
        chainStatus.setId("audit-chain-status");
        if (result.intact()) {
            chainStatus.setText(result.rowsChecked() == 0 ? getTranslation("audit.chain.empty")
                    : getTranslation("audit.chain.ok", result.rowsChecked(), result.signedWith()));
            chainStatus.setClassName("portal-chain-ok");
        } else {
            chainStatus.setText(result.unverified() ? getTranslation("audit.chain.unverified", result.problem())
                    : getTranslation("audit.chain.broken", result.firstBrokenSeq(), result.problem()));
            chainStatus.setClassName("portal-chain-broken");
        }
        dataProvider.refreshAll();
    }

    private AuditFilter currentFilter() {
        ZoneId zone = UserTime.zone();
        return new AuditFilter(actor.getValue(), action.getValue(), target.getValue(), instant(from.getValue(), zone),
                instant(to.getValue(), zone));
    }

    private void applyFilter() {
        appliedFilter = currentFilter();
        dataProvider.setFilter(appliedFilter);
        // More rows match than the page lists: it says so, and how to reach the older ones.
        more.setVisible(audit.count(appliedFilter) > AuditLog.MAX_LISTED);
        more.setText(more.isVisible() ? getTranslation("audit.more", AuditLog.MAX_LISTED) : "");
    }

    private static String describe(AuditFilter f) {
        return "filter: actor=" + f.actor() + ", action=" + f.action() + ", target=" + f.target() + ", from=" + f.from()
                + ", to=" + f.to();
    }

    private static java.time.Instant instant(LocalDateTime value, ZoneId zone) {
        return value == null ? null : value.atZone(zone).toInstant();
    }
}
