package com.bedrockportal.application.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.Decommission;
import com.bedrockportal.application.Decommissions;
import com.bedrockportal.application.Teardown;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.OrderedList;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.shared.Registration;

/**
 * The application page's decommissioning card: where a decommission stands (with its failure reason), the
 * "Decommission" button for the owner and security (a dialog asks for the reason and lists what will be deleted, by
 * the application's recorded names), "Approve"/"Reject" for a manager of the unit while the owner's request waits,
 * and the record of what was deleted. While a decommission runs, a light poll shows each step as it completes.
 */
class DecommissionPanel extends Div {

    private final transient Decommissions decommissions;
    private final long applicationId;
    private transient Optional<Decommissions.Overview> shown = Optional.empty();
    private transient Registration poll;
    private final transient Runnable pageChanged;

    /**
     * {@code pageChanged} re-renders the whole page when the application's state changed (statuses of its keys), and
     * after the card's own actions: the card rendered alone would compare the poll with a state the rest of the page
     * may not show (a status changed by then, or a run already finished, which turns the poll off).
     */
    DecommissionPanel(Decommissions decommissions, long applicationId, Runnable pageChanged) {
        this.pageChanged = pageChanged;
        this.decommissions = decommissions;
        this.applicationId = applicationId;
        addClassName("portal-card");
        setId("application-decommission");
        render();
    }

    private void render() {
        removeAll();
        shown = decommissions.overview(applicationId);
        if (shown.isEmpty()) {
            return;
        }
        Decommissions.Overview o = shown.get();
        add(new H3(getTranslation("decommission.title")));
        o.latest().ifPresent(d -> {
            Paragraph state = new Paragraph(getTranslation("decommission.status." + d.status().name(),
                    d.requestedBy(), UserTime.format(d.finishedAt() != null ? d.finishedAt() : d.requestedAt()),
                    d.reason(), d.status() == Decommission.Status.REJECTED ? d.decidedBy() : d.failure(),
                    d.decisionComment()));
            if (d.status() == Decommission.Status.REJECTED) {
                state.setText(getTranslation("decommission.status.REJECTED", d.requestedBy(), d.decidedBy(),
                        d.decisionComment() == null ? "" : d.decisionComment()));
            }
            state.setId("decommission-status");
            state.getElement().setAttribute("data-status", d.status().name());
            if (d.status() == Decommission.Status.FAILED) {
                state.getStyle().set("color", "var(--lumo-error-text-color)");
            }
            add(state);
        });
        HorizontalLayout buttons = new HorizontalLayout();
        if (o.mayRequest()) {
            Button decommission = new Button(getTranslation("decommission.button"), e -> openRequestDialog(o));
            decommission.setId("decommission-open");
            decommission.addThemeVariants(ButtonVariant.LUMO_ERROR);
            buttons.add(decommission);
        }
        if (o.mayDecide()) {
            Button approve = new Button(getTranslation("decommission.approve"), e -> openDecisionDialog(o, true));
            approve.setId("decommission-approve");
            approve.addThemeVariants(ButtonVariant.LUMO_ERROR);
            Button reject = new Button(getTranslation("decommission.reject"), e -> openDecisionDialog(o, false));
            reject.setId("decommission-reject");
            buttons.add(approve, reject);
        }
        if (buttons.getComponentCount() > 0) {
            add(buttons);
        }
        if (!o.teardown().isEmpty()) {
            Grid<Teardown> grid = new Grid<>();
            grid.setId("decommission-teardown");
            grid.addColumn(t -> t.step().name()).setHeader(getTranslation("decommission.teardown.step"))
                    .setAutoWidth(true);
            grid.addColumn(Teardown::resource).setHeader(getTranslation("decommission.teardown.resource"))
                    .setAutoWidth(true);
            grid.addColumn(Teardown::detail).setHeader(getTranslation("decommission.teardown.detail"))
                    .setAutoWidth(true);
            grid.addColumn(t -> UserTime.format(t.doneAt())).setHeader(getTranslation("decommission.teardown.at"))
                    .setAutoWidth(true);
            grid.setItems(o.teardown());
            grid.setAllRowsVisible(true);
            add(new Span(getTranslation("decommission.teardown")), grid);
        }
    }

    private static boolean running(Decommissions.Overview o) {
        return o.latest().map(d -> d.status() == Decommission.Status.RUNNING).orElse(false);
    }

    /** The names that will be deleted, in the order they will be, from the application's record. */
    private OrderedList plan(Decommissions.Plan plan) {
        List<String> lines = new ArrayList<>();
        lines.add(plan.keys().isEmpty() ? getTranslation("decommission.plan.noKeys")
                : getTranslation("decommission.plan.keys", String.join(", ", plan.keys())));
        lines.add(getTranslation("decommission.plan.policy", plan.policy(), plan.iamUser()));
        lines.add(getTranslation("decommission.plan.budget", orNone(plan.budget())));
        lines.add(plan.secret() == null ? getTranslation("decommission.plan.secret", orNone(null), "-")
                : getTranslation("decommission.plan.secret", plan.secret(), plan.secretRecoveryDays()));
        lines.add(getTranslation("decommission.plan.user", plan.iamUser()));
        OrderedList list = new OrderedList();
        list.setId("decommission-plan");
        lines.forEach(l -> list.add(new ListItem(l)));
        return list;
    }

    private String orNone(String value) {
        return value == null ? getTranslation("decommission.plan.none") : value;
    }

    private void openRequestDialog(Decommissions.Overview o) {
        Application app = o.application();
        Dialog dialog = new Dialog();
        dialog.setId("decommission-dialog");
        dialog.setHeaderTitle(getTranslation("decommission.dialog.title", app.displayName()));
        TextArea reason = reasonField("decommission.reason", "decommission.reason.help");
        Span error = FormErrors.line("decommission-error");
        dialog.add(new Paragraph(getTranslation(o.needsApproval() ? "decommission.dialog.owner"
                : "decommission.dialog.security")), plan(o.plan()), reason, error);
        Button confirm = new Button(getTranslation("decommission.confirm"), e -> {
            try {
                Decommission d = decommissions.request(applicationId, reason.getValue());
                dialog.close();
                Notification.show(getTranslation(d.approvalRequired() ? "decommission.requested"
                        : "decommission.started"), 4000, Notification.Position.BOTTOM_START)
                        .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                pageChanged.run();
            } catch (FieldErrors errors) {
                show(errors, "reason", reason, error);
            } catch (org.springframework.security.access.AccessDeniedException denied) {
                error.setText(getTranslation("decommission.refused.notAllowed"));
            }
        });
        confirm.setId("decommission-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_ERROR);
        Button cancel = new Button(getTranslation("decommission.cancel"), e -> dialog.close());
        dialog.getFooter().add(cancel, confirm);
        dialog.setWidth("min(640px, 95vw)");
        dialog.open();
        reason.focus();
    }

    private void openDecisionDialog(Decommissions.Overview o, boolean approve) {
        Decommission d = o.latest().orElseThrow();
        Dialog dialog = new Dialog();
        dialog.setId("decommission-decision-dialog");
        dialog.setHeaderTitle(getTranslation(approve ? "decommission.approve" : "decommission.reject"));
        TextArea comment = reasonField("decommission.comment", "decommission.comment.help");
        comment.setRequired(!approve);
        Span error = FormErrors.line("decommission-error");
        dialog.add(new Paragraph(getTranslation("decommission.status.PENDING_APPROVAL", d.requestedBy(),
                UserTime.format(d.requestedAt()), d.reason())), plan(o.plan()), comment, error);
        Button confirm = new Button(getTranslation(approve ? "decommission.approve" : "decommission.reject"), e -> {
            try {
                decommissions.decide(d.id(), approve, comment.getValue());
                dialog.close();
                Notification.show(getTranslation(approve ? "decommission.approved" : "decommission.rejected"), 4000,
                        Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                pageChanged.run();
            } catch (FieldErrors errors) {
                show(errors, "comment", comment, error);
            } catch (org.springframework.security.access.AccessDeniedException denied) {
                error.setText(getTranslation("decommission.refused.managersOnly"));
            }
        });
        confirm.setId("decommission-decision-confirm");
        if (approve) {
            confirm.addThemeVariants(ButtonVariant.LUMO_ERROR);
        }
        Button cancel = new Button(getTranslation("decommission.cancel"), e -> dialog.close());
        dialog.getFooter().add(cancel, confirm);
        dialog.setWidth("min(640px, 95vw)");
        dialog.open();
        comment.focus();
    }

    private TextArea reasonField(String labelKey, String helpKey) {
        TextArea field = new TextArea(getTranslation(labelKey));
        field.setId("decommission-reason");
        field.setHelperText(getTranslation(helpKey));
        field.setMaxLength(Decommissions.MAX_REASON);
        field.setWidthFull();
        return field;
    }

    private static void show(FieldErrors errors, String field, TextArea area, Span error) {
        String beside = errors.errors().get(field);
        if (beside != null) {
            FormErrors.mark(area, beside);
        } else {
            error.setText(errors.errors().values().iterator().next());
        }
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        UI ui = event.getUI();
        poll = ui.addPollListener(e -> {
            Optional<Decommissions.Overview> now = decommissions.overview(applicationId);
            // Any change renders the whole page: a step's keys and the application's status belong to other parts of
            // it. Rendered alone, the card turned the poll off once the run had stopped (done or failed), and the
            // page's keys stayed as they were (a failed run leaves the application decommissioning, with its keys
            // revoked by the first step).
            if (!now.map(DecommissionPanel::fingerprint).equals(shown.map(DecommissionPanel::fingerprint))) {
                pageChanged.run();
            }
        });
        shown.ifPresent(o -> ui.setPollInterval(running(o) ? 1500 : -1));
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (poll != null) {
            poll.remove();
            event.getUI().setPollInterval(-1);
        }
        super.onDetach(event);
    }

    /** What the card shows: a change re-renders it. */
    private static String fingerprint(Decommissions.Overview o) {
        return o.application().status() + "|" + o.latest().map(d -> d.status() + "|" + d.failure()).orElse("") + "|"
                + o.teardown().size();
    }
}
