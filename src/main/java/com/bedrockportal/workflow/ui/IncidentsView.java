package com.bedrockportal.workflow.ui;

import java.util.List;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.EventRedelivery;
import com.bedrockportal.shared.ui.ReasonDialog;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.bedrockportal.workflow.ProvisioningProgress;
import com.bedrockportal.workflow.StuckEvents;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
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

/**
 * Provisioning and decommissioning steps that ran out of retries, with the AWS error, and a retry action; and the
 * events whose listener has not finished, which the portal sends again by itself ({@link EventRedelivery}); one it
 * cannot send an admin discards, with a reason ({@link StuckEvents}).
 */
@Route(value = "incidents", layout = MainLayout.class)
@PageTitle("Provisioning incidents · Bedrock Access Portal")
@Menu(title = "nav.incidents", order = 60, icon = "vaadin:warning")
@RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
public class IncidentsView extends VerticalLayout {

    private final transient ProvisioningProgress progress;
    private final Grid<ProvisioningProgress.StuckStep> grid = new Grid<>();
    private final Grid<ProvisioningProgress.StuckTeardown> teardown = new Grid<>();
    private final Paragraph more = new Paragraph();
    private final Paragraph teardownMore = new Paragraph();
    private final transient EventRedelivery redelivery;
    private final Grid<EventRedelivery.Waiting> events = new Grid<>();
    private final Paragraph eventsMore = new Paragraph();

    private final transient StuckEvents stuck;
    private final boolean admin;

    public IncidentsView(ProvisioningProgress progress, EventRedelivery redelivery, StuckEvents stuck,
            CurrentUser currentUser) {
        this.progress = progress;
        this.redelivery = redelivery;
        this.stuck = stuck;
        this.admin = currentUser.has(PortalRole.ADMIN);
        addClassName("portal-page");
        setId("incidents");
        setSizeFull();
        grid.setId("incidents-grid");
        grid.addComponentColumn(s -> new Anchor("requests/" + s.requestId(), "#" + s.requestId()))
                .setHeader(getTranslation("incidents.request")).setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(ProvisioningProgress.StuckStep::label).setHeader(getTranslation("incidents.step")).setAutoWidth(true);
        grid.addColumn(ProvisioningProgress.StuckStep::message).setHeader(getTranslation("incidents.error"))
                .setTooltipGenerator(ProvisioningProgress.StuckStep::message).setFlexGrow(3);
        grid.addColumn(s -> UserTime.format(s.since())).setHeader(getTranslation("incidents.since")).setAutoWidth(true);
        grid.addComponentColumn(s -> {
            Button retry = retry(s);
            retry.setId("retry-" + s.requestId());
            return retry;
        }).setHeader(getTranslation("grid.actions")).setAutoWidth(true);
        ResponsiveGrid.cards(grid, getTranslation("nav.incidents"), s -> ResponsiveGrid.card(
                new Span(new Anchor("requests/" + s.requestId(), "#" + s.requestId()), new Span(s.label())),
                ResponsiveGrid.line(UserTime.format(s.since())), ResponsiveGrid.line(s.message()), retry(s)));
        grid.setEmptyStateText(getTranslation("incidents.empty"));
        Button reload = new Button(getTranslation("outbox.reload"), VaadinIcon.REFRESH.create(), e -> refresh());
        configureTeardownGrid();
        configureEventsGrid();
        more.setId("incidents-more");
        teardownMore.setId("incidents-decommission-more");
        eventsMore.setId("incidents-events-more");
        add(new H2(getTranslation("nav.incidents")), new Paragraph(getTranslation("incidents.text")), reload, more,
                grid, new H3(getTranslation("incidents.decommission")), teardownMore, teardown,
                new H3(getTranslation("incidents.events")), new Paragraph(getTranslation("incidents.events.text")),
                eventsMore, events);
        setFlexGrow(1, grid);
        grid.setMinHeight("9em"); // the lists below would otherwise squeeze its empty-state line out of sight
        refresh();
    }

    /** Decommissioning steps that ran out of retries: the application, the step, the AWS error, retry. */
    private void configureTeardownGrid() {
        teardown.setId("incidents-decommission-grid");
        teardown.addComponentColumn(s -> new Anchor("applications/" + s.applicationId(), "#" + s.applicationId()))
                .setHeader(getTranslation("incidents.application")).setAutoWidth(true).setFlexGrow(0);
        teardown.addColumn(ProvisioningProgress.StuckTeardown::step).setHeader(getTranslation("incidents.step"))
                .setAutoWidth(true);
        teardown.addColumn(ProvisioningProgress.StuckTeardown::message).setHeader(getTranslation("incidents.error"))
                .setTooltipGenerator(ProvisioningProgress.StuckTeardown::message).setFlexGrow(3);
        teardown.addColumn(s -> UserTime.format(s.since())).setHeader(getTranslation("incidents.since"))
                .setAutoWidth(true);
        teardown.addComponentColumn(s -> {
            Button retry = new Button(getTranslation("incidents.retry"), VaadinIcon.REFRESH.create(), e -> {
                progress.retry(s.incidentId());
                Notification.show(getTranslation("incidents.decommission.retried", s.applicationId()));
                refresh();
            });
            retry.setId("retry-decommission-" + s.decommissionId());
            retry.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
            return retry;
        }).setHeader(getTranslation("grid.actions")).setAutoWidth(true);
        ResponsiveGrid.cards(teardown, getTranslation("incidents.decommission"), s -> ResponsiveGrid.card(
                new Span(new Anchor("applications/" + s.applicationId(), "#" + s.applicationId()), new Span(s.step())),
                ResponsiveGrid.line(UserTime.format(s.since())), ResponsiveGrid.line(s.message())));
        teardown.setAllRowsVisible(true);
        teardown.setEmptyStateText(getTranslation("incidents.decommission.empty"));
    }

    /** Unfinished events: the listener (which names the event), since when, how often sent again and when last. */
    private void configureEventsGrid() {
        events.setId("incidents-events-grid");
        events.addColumn(this::listener).setHeader(getTranslation("incidents.events.listener"))
                .setTooltipGenerator(this::listener).setFlexGrow(1);
        events.addThemeVariants(com.vaadin.flow.component.grid.GridVariant.LUMO_WRAP_CELL_CONTENT);
        events.addColumn(w -> UserTime.format(w.publishedAt())).setHeader(getTranslation("incidents.since"))
                .setAutoWidth(true).setFlexGrow(0);
        events.addComponentColumn(w -> cell(w, "attempts", String.valueOf(w.attempts())))
                .setHeader(getTranslation("incidents.events.attempts")).setAutoWidth(true).setFlexGrow(0);
        events.addComponentColumn(w -> cell(w, "last", w.lastSentAt() == null ? "" : UserTime.format(w.lastSentAt())))
                .setHeader(getTranslation("incidents.events.last")).setAutoWidth(true).setFlexGrow(0);
        if (admin) {
            events.addComponentColumn(this::discardButton).setHeader(getTranslation("grid.actions")).setAutoWidth(true)
                    .setFlexGrow(0);
        }
        ResponsiveGrid.cards(events, getTranslation("incidents.events"), w -> ResponsiveGrid.card(
                new Span(listener(w)), ResponsiveGrid.line(UserTime.format(w.publishedAt())),
                ResponsiveGrid.line(getTranslation("incidents.events.attempts.card", w.attempts())),
                discardButton(w)));
        events.setAllRowsVisible(true);
        events.setEmptyStateText(getTranslation("incidents.events.empty"));
    }

    /** The listener's short name, and why an event is not sent again: no such listener, or it cannot be read back. */
    private String listener(EventRedelivery.Waiting w) {
        if (!w.listenerExists()) {
            return getTranslation("incidents.events.gone", w.listener());
        }
        return w.unreadable() ? getTranslation("incidents.events.unreadable", w.listener()) : w.listener();
    }

    /**
     * For admins, on an event that is not sent (its listener gone, or unreadable): a button that asks why and discards
     * it. Otherwise an empty span (the portal sends the event again by itself).
     */
    private com.vaadin.flow.component.Component discardButton(EventRedelivery.Waiting w) {
        if (!admin || !w.notSent()) {
            return new Span();
        }
        Button discard = new Button(getTranslation("incidents.events.discard"), VaadinIcon.TRASH.create(),
                e -> openDiscard(w));
        discard.getElement().setAttribute("data-event", w.id().toString());
        discard.addClassName("incidents-event-discard");
        discard.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        return discard;
    }

    private void openDiscard(EventRedelivery.Waiting w) {
        ReasonDialog.open("incidents-discard", getTranslation("incidents.events.discard.title"),
                getTranslation("incidents.events.discard.reason"), StuckEvents.MAX_REASON,
                getTranslation("incidents.events.discard.confirm"), getTranslation("incidents.events.discard.cancel"),
                reason -> {
                    EventRedelivery.Waiting gone = stuck.discard(w.id(), reason);
                    Notification.show(getTranslation("incidents.events.discard.done", gone.listener()), 4000,
                            Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                    refresh();
                    return null;
                }, new Paragraph(getTranslation("incidents.events.discard.text", listener(w))));
    }

    /** A cell that says which event and which field it shows ({@code data-event}, {@code data-field}). */
    private static Span cell(EventRedelivery.Waiting w, String field, String text) {
        Span span = new Span(text);
        span.getElement().setAttribute("data-event", w.id().toString()).setAttribute("data-field", field);
        return span;
    }

    private Button retry(ProvisioningProgress.StuckStep s) {
        Button retry = new Button(getTranslation("incidents.retry"), VaadinIcon.REFRESH.create(), e -> {
            progress.retry(s.incidentId());
            Notification.show(getTranslation("incidents.retried", s.requestId()));
            refresh();
        });
        retry.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
        return retry;
    }

    private void refresh() {
        grid.setItems(progress.incidents());
        teardown.setItems(progress.decommissionIncidents());
        listed(more, progress.countIncidents(), ProvisioningProgress.MAX_LISTED, "incidents.more");
        listed(teardownMore, progress.countDecommissionIncidents(), ProvisioningProgress.MAX_LISTED, "incidents.more");
        List<EventRedelivery.Waiting> waiting = redelivery.waiting();
        events.setItems(waiting);
        events.recalculateColumnWidths(); // "Last tried" is empty until the first attempt
        // Counted only when the list is full: a shorter one is all there is.
        listed(eventsMore, waiting.size() < EventRedelivery.MAX_LISTED ? waiting.size() : redelivery.countWaiting(),
                EventRedelivery.MAX_LISTED, "incidents.events.more");
    }

    /** Above a list cut at {@code max}: how many there are, and that it is cut. */
    private void listed(Paragraph note, long total, int max, String text) {
        note.setVisible(total > max);
        note.setText(note.isVisible() ? getTranslation(text, max, total) : "");
    }
}
