package com.bedrockportal.workflow.ui;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.Ages;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.workflow.ApprovalService;
import com.bedrockportal.workflow.PendingApproval;
import com.bedrockportal.workflow.RiskFlag;
import com.bedrockportal.workflow.Stage;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * Managers (for their units) and security see the decisions waiting for them and decide from the row: unit,
 * requester, application, models by name, budget, key lifetime, each risk flag named with its severity, how long it
 * has waited, what kind of request and which step. Approve and Reject (with a reason, checked by the service) go
 * through the same {@link ApprovalService#decide} as the request page; Open shows the whole request. Narrow screens
 * get one card per row instead of columns (CSS only).
 */
@Route(value = "approvals", layout = MainLayout.class)
@PageTitle("Approvals · Bedrock Access Portal")
@Menu(title = "nav.approvals", order = 30, icon = "vaadin:check-square-o")
@RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
public class ApprovalInboxView extends VerticalLayout {

    private final transient ApprovalService approvals;
    private final transient ModelCatalog catalog;
    private final transient Clock clock;
    private final Div list = new Div();
    private final String me;
    private transient Map<String, CatalogModel> models = Map.of();

    public ApprovalInboxView(ApprovalService approvals, ModelCatalog catalog, CurrentUser currentUser, Clock clock) {
        this.approvals = approvals;
        this.catalog = catalog;
        this.clock = clock;
        this.me = currentUser.get().orElseThrow().username();
        addClassName("portal-page");
        setId("approvals");
        setSizeFull();
        // A list of rows laid out by CSS: columns on a wide screen, one card per request on a narrow one.
        list.setId("approvals-grid");
        list.addClassName("inbox-list");
        add(new H2(getTranslation("nav.approvals")), list);
        refresh();
    }

    private Component header() {
        Div head = new Div();
        for (String key : new String[] { "inbox.what", "inbox.unitRequester", "inbox.access", "inbox.flags",
            "inbox.stage", "inbox.actions" }) {
            head.add(new Span(getTranslation(key)));
        }
        head.addClassName("inbox-head");
        head.getElement().setAttribute("aria-hidden", "true");
        return head;
    }

    private Component row(PendingApproval p) {
        Div row = new Div(what(p),
                lines(span(p.businessUnit(), "inbox-unit-" + p.requestId()),
                        span(p.requester(), "inbox-requester-" + p.requestId())),
                lines(span(modelNames(p), "inbox-models-" + p.requestId()),
                        span(budget(p.monthlyBudget()), "inbox-budget-" + p.requestId()),
                        span(lifetime(p.lifetimeDays()), "inbox-lifetime-" + p.requestId())),
                flags(p), step(p), actions(p));
        row.addClassName("inbox-row");
        row.setId("inbox-row-" + p.requestId());
        row.getElement().setAttribute("role", "listitem");
        return row;
    }

    private Component what(PendingApproval p) {
        String kind = p.renewal() ? "renewal" : p.change() ? "change" : "new";
        Span title = new Span(getTranslation("inbox.what." + kind + (p.managerOnly() ? ".managerOnly" : ""),
                p.application()));
        title.addClassName("inbox-title");
        Span id = new Span("#" + p.requestId());
        id.addClassName("portal-muted");
        Span ready = new Span(p.blockers().isEmpty() ? getTranslation("inbox.ready.yes")
                : getTranslation("inbox.ready.no", p.blockers().size()));
        ready.getElement().setAttribute("data-ready", String.valueOf(p.blockers().isEmpty()));
        ready.getElement().setAttribute("title", String.join(" ", p.blockers()));
        ready.getElement().getThemeList().add(p.blockers().isEmpty() ? "badge success small" : "badge error small");
        Div div = lines(new Span(title, new Span(" "), id), ready);
        div.setId("inbox-what-" + p.requestId());
        div.getElement().setAttribute("data-kind", kind);
        return div;
    }

    private Component step(PendingApproval p) {
        Span step = span(getTranslation("inbox.stage." + p.stage().name()), "inbox-step-" + p.requestId());
        Span age = span(Ages.ago(this, p.waitingSince(), clock.instant()), "inbox-age-" + p.requestId());
        age.addClassName("portal-muted");
        Div div = lines(step, age);
        if (p.claimedBy() != null) {
            Span claimed = new Span(getTranslation("inbox.claimedByWho", p.claimedBy()));
            claimed.addClassName("portal-muted");
            div.add(claimed);
        }
        return div;
    }

    private Component flags(PendingApproval p) {
        Div flags = new Div();
        flags.addClassName("inbox-flags");
        flags.setId("inbox-flags-" + p.requestId());
        if (p.riskFlags().isEmpty()) {
            Span none = new Span(getTranslation("inbox.flags.none"));
            none.getElement().getThemeList().add("badge success small");
            flags.add(none);
        }
        p.riskFlags().stream().sorted(Comparator.comparing(RiskFlag::severity)).forEach(f -> {
            Span flag = new Span(getTranslation("risk.severity." + f.severity().name()) + " · "
                    + getTranslation("risk." + f.code()));
            flag.getElement().getThemeList().add(switch (f.severity()) {
                case HIGH -> "badge error small";
                case MEDIUM -> "badge small";
                case LOW -> "badge contrast small";
            });
            flag.getElement().setAttribute("title", f.message());
            flag.getElement().setAttribute("data-flag", f.code());
            flag.getElement().setAttribute("data-severity", f.severity().name());
            flags.add(flag);
        });
        return flags;
    }

    private Component actions(PendingApproval p) {
        boolean claimedByOther = p.claimedBy() != null && !me.equals(p.claimedBy());
        Button approve = new Button(getTranslation("inbox.approve"), e -> approve(p));
        approve.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SUCCESS);
        approve.setId("approve-" + p.requestId());
        approve.setEnabled(!claimedByOther && p.blockers().isEmpty());
        approve.getElement().setAttribute("aria-label", getTranslation("inbox.approve.label", p.requestId(),
                p.application()));
        Button reject = new Button(getTranslation("inbox.reject"), e -> rejectDialog(p));
        reject.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
        reject.setId("reject-" + p.requestId());
        reject.setEnabled(!claimedByOther);
        reject.getElement().setAttribute("aria-label", getTranslation("inbox.reject.label", p.requestId(),
                p.application()));
        Anchor open = new Anchor("requests/" + p.requestId(), getTranslation("inbox.open"));
        open.setId("open-" + p.requestId());
        open.getElement().setAttribute("aria-label", getTranslation("inbox.open.label", p.requestId(),
                p.application()));
        Button claim;
        if (me.equals(p.claimedBy())) {
            claim = new Button(getTranslation("inbox.release"), e -> act(() -> approvals.unclaim(p.taskId())));
        } else {
            claim = new Button(getTranslation("inbox.claim"), e -> act(() -> approvals.claim(p.taskId())));
            claim.setEnabled(p.claimedBy() == null);
        }
        claim.setId("claim-" + p.requestId());
        claim.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        Div div = new Div(approve, reject, open, claim);
        div.addClassName("inbox-actions");
        return div;
    }

    private void approve(PendingApproval p) {
        try {
            approvals.decide(p.requestId(), true, null);
            done(getTranslation(p.stage() == Stage.MANAGER && !p.managerOnly() ? "inbox.approved.toSecurity"
                    : "inbox.approved.provisioning", p.requestId(), p.application()));
        } catch (FieldErrors errors) {
            error(errors);
        }
        refresh();
    }

    private void rejectDialog(PendingApproval p) {
        Dialog dialog = new Dialog();
        dialog.setId("reject-dialog");
        dialog.setHeaderTitle(getTranslation("inbox.reject.title", p.requestId(), p.application()));
        TextArea reason = new TextArea(getTranslation("inbox.reject.reason"));
        reason.setId("reject-reason");
        reason.setHelperText(getTranslation("inbox.reject.help"));
        reason.setRequiredIndicatorVisible(true);
        reason.setWidthFull();
        reason.setMaxLength(2000);
        FormErrors errors = new FormErrors().field("comment", reason);
        dialog.add(reason, errors.formLine());
        dialog.setWidth("min(32rem, 95vw)");
        Button confirm = new Button(getTranslation("inbox.reject.confirm"), e -> {
            errors.clear();
            try {
                approvals.decide(p.requestId(), false, reason.getValue());
                dialog.close();
                done(getTranslation("inbox.rejected", p.requestId(), p.application()));
                refresh();
            } catch (FieldErrors problems) {
                errors.show(problems, null);
                if (problems.errors().containsKey("form")) {
                    refresh();
                }
            }
        });
        confirm.setId("reject-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        Button cancel = new Button(getTranslation("inbox.reject.cancel"), e -> dialog.close());
        cancel.setId("reject-cancel");
        dialog.getFooter().add(cancel, confirm);
        dialog.open();
        reason.focus();
    }

    private void done(String message) {
        Notification n = Notification.show(message, 5000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        n.setId("inbox-decided");
    }

    private void error(FieldErrors errors) {
        Notification.show(errors.errors().values().iterator().next(), 8000, Notification.Position.BOTTOM_START)
                .addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    private void act(Runnable action) {
        try {
            action.run();
        } catch (FieldErrors errors) {
            error(errors);
        }
        refresh();
    }

    private String modelNames(PendingApproval p) {
        return String.join(", ", p.models().stream().map(id -> {
            CatalogModel m = models.get(id);
            return m == null ? id : m.displayName();
        }).toList());
    }

    private String budget(BigDecimal usd) {
        DecimalFormat f = new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ENGLISH));
        return getTranslation("inbox.budget", f.format(usd));
    }

    private String lifetime(int days) {
        return getTranslation("inbox.lifetime", days);
    }

    private static Span span(String text, String id) {
        Span s = new Span(text);
        s.setId(id);
        return s;
    }

    private static Div lines(Component... parts) {
        Div div = new Div(parts);
        div.addClassName("inbox-lines");
        return div;
    }

    private void refresh() {
        List<PendingApproval> items = approvals.inbox();
        models = catalog.byId();
        list.removeAll();
        if (items.isEmpty()) {
            Paragraph empty = new Paragraph(getTranslation("inbox.empty"));
            empty.setId("inbox-empty");
            list.add(empty);
            return;
        }
        list.add(header());
        if (items.size() >= ApprovalService.MAX_LISTED) {
            Paragraph capped = new Paragraph(getTranslation("inbox.capped", ApprovalService.MAX_LISTED));
            capped.setId("inbox-capped");
            capped.addClassName("portal-muted");
            list.add(capped);
        }
        Div rows = new Div();
        rows.getElement().setAttribute("role", "list");
        rows.getElement().setAttribute("aria-label", getTranslation("nav.approvals"));
        items.forEach(p -> rows.add(row(p)));
        list.add(rows);
    }
}
