package com.bedrockportal.drift.ui;

import java.time.Duration;

import com.bedrockportal.drift.DriftFinding;
import com.bedrockportal.drift.DriftService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.beans.factory.annotation.Value;

/**
 * AWS drift: the open findings with what differs and since when; security checks now and acts on a finding (each
 * action asks for a reason; the service re-reads AWS first and says when the drift is gone); admins read only.
 */
@Route(value = "drift", layout = MainLayout.class)
@PageTitle("AWS drift · Bedrock Access Portal")
@Menu(title = "nav.drift", order = 65, icon = "vaadin:exchange")
@RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
public class DriftView extends VerticalLayout {

    private final transient DriftService drift;
    private final boolean security;
    private final Grid<DriftFinding> grid = new Grid<>();
    private final Paragraph lastRun = new Paragraph();

    public DriftView(DriftService drift, CurrentUser currentUser,
            @Value("${portal.drift.interval:PT1H}") Duration interval) {
        this.drift = drift;
        this.security = currentUser.has(PortalRole.SECURITY);
        addClassName("portal-page");
        setId("drift");
        setSizeFull();
        lastRun.setId("drift-last-run");
        HorizontalLayout toolbar = new HorizontalLayout();
        toolbar.setWrap(true);
        if (security) {
            Button check = new Button(getTranslation("drift.check"), VaadinIcon.REFRESH.create(), e -> checkNow());
            check.setId("drift-check");
            check.setDisableOnClick(true);
            check.addClickListener(e -> check.setEnabled(true));
            check.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            toolbar.add(check);
        } else {
            Span readOnly = new Span(getTranslation("drift.readOnly"));
            readOnly.setId("drift-read-only");
            toolbar.add(readOnly);
        }
        configureGrid();
        add(new H2(getTranslation("drift.title")), new Paragraph(getTranslation("drift.text", interval.toMinutes())), lastRun,
                toolbar, grid);
        setFlexGrow(1, grid);
        refresh();
    }

    private void configureGrid() {
        grid.setId("drift-grid");
        grid.addColumn(f -> getTranslation("drift.kind." + f.kind().name())).setHeader(getTranslation("drift.kind"))
                .setAutoWidth(true);
        grid.addColumn(f -> f.application() == null ? "—" : f.application())
                .setHeader(getTranslation("drift.application")).setAutoWidth(true);
        grid.addColumn(f -> f.iamUser().equals(f.resource()) ? f.iamUser() : f.iamUser() + " · " + f.resource())
                .setHeader(getTranslation("drift.resource")).setAutoWidth(true);
        grid.addColumn(DriftFinding::detail).setHeader(getTranslation("drift.detail"))
                .setTooltipGenerator(DriftFinding::detail).setFlexGrow(3);
        grid.addColumn(f -> UserTime.format(f.firstSeenAt())).setHeader(getTranslation("drift.firstSeen"))
                .setAutoWidth(true);
        grid.addColumn(f -> UserTime.format(f.lastSeenAt())).setHeader(getTranslation("drift.lastSeen"))
                .setAutoWidth(true);
        if (security) {
            grid.addComponentColumn(f -> actions(f, true)).setHeader(getTranslation("drift.actions"))
                    .setAutoWidth(true);
        }
        ResponsiveGrid.cards(grid, getTranslation("drift.title"), f -> ResponsiveGrid.card(
                ResponsiveGrid.line(getTranslation("drift.kind." + f.kind().name()), f.application()),
                ResponsiveGrid.line(f.iamUser().equals(f.resource()) ? f.iamUser() : f.iamUser() + " · " + f.resource()),
                ResponsiveGrid.line(f.detail()),
                ResponsiveGrid.line(UserTime.format(f.firstSeenAt()) + " – " + UserTime.format(f.lastSeenAt())),
                security ? actions(f, false) : null));
        grid.setEmptyStateText(getTranslation("drift.empty"));
    }

    /** The finding's buttons; ids only on the wide grid's (the card repeats them at phone width). */
    private HorizontalLayout actions(DriftFinding f, boolean withIds) {
        HorizontalLayout buttons = new HorizontalLayout();
        buttons.setWrap(true);
        for (DriftFinding.Action action : DriftFinding.Action.values()) {
            if (f.actions().contains(action)) {
                Button b = new Button(getTranslation("drift.action." + action.name()), e -> openDialog(f, action));
                if (withIds) {
                    b.setId("drift-" + action.name().toLowerCase(java.util.Locale.ROOT) + "-" + f.id());
                }
                b.addThemeVariants(ButtonVariant.LUMO_SMALL, action == DriftFinding.Action.DISABLE
                        ? ButtonVariant.LUMO_ERROR : ButtonVariant.LUMO_PRIMARY);
                buttons.add(b);
            }
        }
        return buttons;
    }

    private void checkNow() {
        try {
            DriftService.Outcome o = drift.checkNow();
            StringBuilder text = new StringBuilder(getTranslation("drift.checked", o.usersChecked(),
                    o.took().toMillis(), o.newFindings(), o.resolved(), o.openFindings()));
            if (o.truncated()) {
                text.append(' ').append(getTranslation("drift.checked.truncated", o.usersChecked()));
            }
            if (o.failedUsers() > 0) {
                text.append(' ').append(getTranslation("drift.checked.failed", o.failedUsers()));
            }
            Notification n = Notification.show(text.toString(), 6000, Notification.Position.BOTTOM_START);
            n.addThemeVariants(o.failedUsers() > 0 ? NotificationVariant.LUMO_WARNING
                    : NotificationVariant.LUMO_SUCCESS);
            n.setId("drift-outcome");
        } catch (DriftService.Refused | com.bedrockportal.provisioning.CloudException e) {
            Notification.show(e.getMessage(), 6000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
        refresh();
    }

    private void openDialog(DriftFinding f, DriftFinding.Action action) {
        Dialog dialog = new Dialog();
        dialog.setId("drift-action-dialog");
        dialog.setHeaderTitle(getTranslation("drift.action." + action.name()) + "?");
        TextArea reason = new TextArea(getTranslation("keyaction.reason"));
        reason.setId("drift-action-reason");
        reason.setHelperText(getTranslation("keyaction.reason.help"));
        reason.setMaxLength(DriftService.MAX_REASON);
        reason.setRequired(true);
        reason.setWidthFull();
        Span error = FormErrors.line("drift-action-error");
        dialog.add(new Paragraph(getTranslation("drift.kind." + f.kind().name()) + " · " + f.iamUser() + " · "
                + f.resource()), new Paragraph(getTranslation("drift.action." + action.name() + ".text")), reason,
                error);
        dialog.setWidth("min(560px, 95vw)");
        Button confirm = new Button(getTranslation("keyaction.confirm"), e -> {
            FormErrors.mark(reason, null);
            error.setText("");
            try {
                DriftFinding done = drift.act(f.id(), action, reason.getValue());
                dialog.close();
                Notification.show(getTranslation("drift.action.done", getTranslation("drift.action."
                        + action.name())) + " " + done.iamUser(), 4000, Notification.Position.BOTTOM_START)
                        .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                refresh();
            } catch (FieldErrors errors) {
                FormErrors.mark(reason, errors.errors().getOrDefault("reason",
                        errors.errors().values().iterator().next()));
            } catch (DriftService.Refused refused) {
                error.setText(refused.getMessage());
                refresh();
            } catch (org.springframework.security.access.AccessDeniedException denied) {
                error.setText(getTranslation("drift.refused.securityOnly"));
            }
        });
        confirm.setId("drift-action-confirm");
        confirm.addThemeVariants(action == DriftFinding.Action.DISABLE ? ButtonVariant.LUMO_ERROR
                : ButtonVariant.LUMO_PRIMARY);
        Button cancel = new Button(getTranslation("keyaction.cancel"), e -> dialog.close());
        dialog.getFooter().add(cancel, confirm);
        dialog.open();
        reason.focus();
    }

    private void refresh() {
        java.util.List<DriftFinding> open = drift.openFindings();
        grid.setItems(open);
        lastRun.setText(drift.lastRun().map(r -> getTranslation("drift.lastRun", UserTime.format(r.finishedAt()),
                r.triggeredBy(), r.outcome().usersChecked(), r.outcome().openFindings()))
                .orElse(getTranslation("drift.lastRun.none"))
                + (open.size() == DriftService.MAX_LISTED ? " " + getTranslation("drift.listed", open.size()) : ""));
    }
}
