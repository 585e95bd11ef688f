package com.bedrockportal.alerts.ui;

import java.util.Optional;

import com.bedrockportal.alerts.Alert;
import com.bedrockportal.alerts.Alerts;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.Card;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.security.access.AccessDeniedException;

/**
 * One alert: what triggered it (the evidence), its subject, and — for security, while it is open — the actions:
 * disable its key, open a compromise case, dismiss it. Each asks for a reason in a dialog; the service checks the
 * caller and the alert's and key's state again.
 */
@Route(value = "alerts/:alertId([0-9]{1,18})", layout = MainLayout.class)
@PageTitle("Security alert · Bedrock Access Portal")
@RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
public class AlertView extends VerticalLayout implements BeforeEnterObserver {

    private enum Act {
        DISABLE, COMPROMISE, DISMISS
    }

    private final transient Alerts alerts;
    private long alertId;

    public AlertView(Alerts alerts) {
        this.alerts = alerts;
        addClassName("portal-page");
        setId("alert");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        alertId = event.getRouteParameters().get("alertId").map(Long::parseLong).orElse(-1L);
        render();
    }

    private void render() {
        removeAll();
        Optional<Alerts.AlertPage> found = alerts.page(alertId);
        if (found.isEmpty()) {
            Paragraph none = new Paragraph(getTranslation("alerts.page.none"));
            none.setId("alert-none");
            add(none, new Anchor("alerts", getTranslation("alerts.page.back")));
            return;
        }
        Alerts.AlertPage p = found.get();
        Alert a = p.alert();
        H2 title = new H2(a.title());
        title.setId("alert-title");
        Span status = AlertsView.statusBadge(a.status());
        status.setId("alert-status");
        HorizontalLayout badges = new HorizontalLayout(AlertsView.severityBadge(a.severity()), status,
                new Span(getTranslation("alerts.rule." + a.rule().name())));
        badges.setWrap(true);
        add(new Anchor("alerts", getTranslation("alerts.page.back")), title, badges, actions(p), details(p),
                evidence(a));
    }

    private Card details(Alerts.AlertPage p) {
        Alert a = p.alert();
        Card card = new Card("alerts.page.details", "alert-details");
        if (a.applicationId() != null) {
            card.add(linkRow("alerts.col.application", a.application(), "applications/" + a.applicationId()));
        }
        card.row("alerts.col.unit", a.businessUnit() == null ? "—" : a.businessUnit());
        if (a.keyId() != null) {
            Paragraph key = linkRow("alerts.page.key", a.keyPrefix() + "… · " + (p.keyStatus() == null ? ""
                    : p.keyStatus()), "keys/" + a.keyId());
            key.setId("alert-key");
            card.add(key);
        }
        if (p.openCaseId() != null) {
            card.add(linkRow("alerts.page.openCase", "#" + p.openCaseId(), "compromise/" + p.openCaseId()));
        }
        card.row("alerts.col.firstSeen", UserTime.format(a.firstSeenAt()));
        card.row("alerts.col.lastSeen", UserTime.format(a.lastSeenAt()));
        card.row("alerts.col.occurrences", Integer.toString(a.occurrences()));
        card.row("alerts.page.raised", UserTime.format(a.createdAt()));
        if (!a.open()) {
            Paragraph closed = card.row("alerts.page.closed", getTranslation("alerts.action." + a.action().name())
                    + " · " + a.actedBy() + " · " + UserTime.format(a.actedAt()));
            closed.setId("alert-closed");
            Paragraph reason = card.row("alerts.page.reason", a.reason());
            reason.setId("alert-reason-shown");
            if (a.compromiseCaseId() != null) {
                card.add(linkRow("alerts.page.case", "#" + a.compromiseCaseId(), "compromise/" + a.compromiseCaseId()));
            }
        }
        String hint = switch (a.rule()) {
            case KEY_UNUSED -> "alerts.hint.unused";
            case CREATED_OUTSIDE_PORTAL -> "alerts.hint.drift";
            case SPEND_OVER_BUDGET -> "alerts.hint.spend";
            default -> a.keyId() == null ? "alerts.hint.noKey" : null;
        };
        if (hint != null) {
            Paragraph h = new Paragraph(getTranslation(hint));
            h.setId("alert-hint");
            card.add(h);
            if (a.rule() == Alert.Rule.CREATED_OUTSIDE_PORTAL) {
                card.add(new Anchor("drift", getTranslation("nav.drift")));
            }
        }
        return card;
    }

    private Paragraph linkRow(String labelKey, String text, String href) {
        Span label = new Span(getTranslation(labelKey) + ": ");
        label.getStyle().set("font-weight", "600");
        Paragraph p = new Paragraph(label, new Anchor(href, text));
        p.getStyle().set("margin", "var(--lumo-space-xs) 0");
        return p;
    }

    private Card evidence(Alert a) {
        Card card = new Card("alerts.page.evidence", "alert-evidence-card");
        Pre text = new Pre(a.evidence());
        text.setId("alert-evidence");
        text.getStyle().set("white-space", "pre-wrap").set("overflow-wrap", "anywhere")
                .set("font-size", "var(--lumo-font-size-s)");
        card.add(text);
        return card;
    }

    private HorizontalLayout actions(Alerts.AlertPage p) {
        HorizontalLayout bar = new HorizontalLayout();
        bar.setId("alert-actions");
        bar.setWrap(true);
        if (p.mayDisable()) {
            bar.add(button(Act.DISABLE, "alert-disable", ButtonVariant.LUMO_ERROR));
        }
        if (p.mayOpenCase()) {
            bar.add(button(Act.COMPROMISE, "alert-compromise", ButtonVariant.LUMO_ERROR));
        }
        if (p.mayDismiss()) {
            bar.add(button(Act.DISMISS, "alert-dismiss", ButtonVariant.LUMO_CONTRAST));
        }
        return bar;
    }

    private Button button(Act act, String id, ButtonVariant variant) {
        Button b = new Button(getTranslation("alerts.act." + act.name()), e -> openDialog(act));
        b.setId(id);
        b.addThemeVariants(variant);
        return b;
    }

    private void openDialog(Act act) {
        Dialog dialog = new Dialog();
        dialog.setId("alert-dialog");
        dialog.setHeaderTitle(getTranslation("alerts.act." + act.name()) + "?");
        TextArea reason = new TextArea(getTranslation("alerts.reason"));
        reason.setId("alert-reason");
        reason.setHelperText(getTranslation("alerts.reason.help", Alerts.MAX_REASON));
        reason.setMaxLength(Alerts.MAX_REASON);
        reason.setRequired(true);
        reason.setWidthFull();
        Span error = FormErrors.line("alert-dialog-error");
        dialog.add(new Paragraph(getTranslation("alerts.act." + act.name() + ".text")), reason, error);
        dialog.setWidth("min(560px, 95vw)");
        Button confirm = new Button(getTranslation("alerts.confirm"), e -> {
            FormErrors.mark(reason, null);
            error.setText("");
            try {
                String done = switch (act) {
                    case DISABLE -> {
                        alerts.disableKey(alertId, reason.getValue());
                        yield getTranslation("alerts.done.DISABLE");
                    }
                    case COMPROMISE -> getTranslation("alerts.done.COMPROMISE",
                            alerts.openCompromiseCase(alertId, reason.getValue()));
                    case DISMISS -> {
                        alerts.dismiss(alertId, reason.getValue());
                        yield getTranslation("alerts.done.DISMISS");
                    }
                };
                dialog.close();
                Notification.show(done, 5000, Notification.Position.BOTTOM_START)
                        .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                render();
            } catch (FieldErrors errors) {
                FormErrors.mark(reason, errors.errors().getOrDefault("reason",
                        errors.errors().values().iterator().next()));
            } catch (Alerts.Refused refused) {
                error.setText(refused.getMessage());
            } catch (AccessDeniedException denied) {
                error.setText(getTranslation("alerts.refused.role"));
            }
        });
        confirm.setId("alert-confirm");
        confirm.addThemeVariants(act == Act.DISMISS ? ButtonVariant.LUMO_PRIMARY : ButtonVariant.LUMO_ERROR);
        Button cancel = new Button(getTranslation("alerts.cancel"), e -> dialog.close());
        dialog.getFooter().add(cancel, confirm);
        dialog.open();
        reason.focus();
    }
}
