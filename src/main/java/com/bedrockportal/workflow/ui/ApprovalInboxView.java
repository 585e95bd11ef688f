package com.bedrockportal.workflow.ui;

import java.time.Clock;
import java.time.Duration;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.workflow.ApprovalService;
import com.bedrockportal.workflow.PendingApproval;
import com.bedrockportal.workflow.RiskFlag;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/** Managers (for their units) and security see the decisions waiting for them, claim them and open them. */
@Route(value = "approvals", layout = MainLayout.class)
@PageTitle("Approvals · Bedrock Access Portal")
@Menu(title = "nav.approvals", order = 30, icon = "vaadin:check-square-o")
@RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
public class ApprovalInboxView extends VerticalLayout {

    private final transient ApprovalService approvals;
    private final transient Clock clock;
    private final Grid<PendingApproval> grid = new Grid<>();
    private final String me;

    public ApprovalInboxView(ApprovalService approvals, CurrentUser currentUser, Clock clock) {
        this.approvals = approvals;
        this.clock = clock;
        this.me = currentUser.get().orElseThrow().username();
        addClassName("portal-page");
        setId("approvals");
        setSizeFull();
        grid.setId("approvals-grid");
        grid.addColumn(p -> "#" + p.requestId()).setHeader("#").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(PendingApproval::businessUnit).setHeader(getTranslation("inbox.unit")).setAutoWidth(true);
        grid.addComponentColumn(p -> {
            Span what = new Span(getTranslation(p.change() ? (p.managerOnly() ? "inbox.what.changeManagerOnly"
                    : "inbox.what.change") : "inbox.what.new", p.application()) + " ");
            Span ready = new Span(p.blockers().isEmpty() ? getTranslation("inbox.ready.yes")
                    : getTranslation("inbox.ready.no", p.blockers().size()));
            ready.getElement().setAttribute("data-ready", String.valueOf(p.blockers().isEmpty()));
            ready.getElement().setAttribute("title", String.join(" ", p.blockers()));
            ready.getElement().getThemeList().add(p.blockers().isEmpty() ? "badge success" : "badge error");
            return new Span(what, ready);
        }).setHeader(getTranslation("inbox.what")).setAutoWidth(true);
        grid.addColumn(PendingApproval::requester).setHeader(getTranslation("inbox.requester")).setAutoWidth(true);
        grid.addColumn(p -> getTranslation("inbox.stage." + p.stage().name())).setHeader(getTranslation("inbox.stage"))
                .setAutoWidth(true);
        grid.addColumn(p -> age(p)).setHeader(getTranslation("inbox.waiting")).setAutoWidth(true);
        grid.addComponentColumn(p -> {
            Span flags = new Span(String.valueOf(p.riskFlags().size()));
            flags.getElement().getThemeList().add(p.riskFlags().isEmpty() ? "badge success" : "badge error");
            flags.getElement().setAttribute("title", String.join("\n",
                    p.riskFlags().stream().map(RiskFlag::message).toList()));
            return flags;
        }).setHeader(getTranslation("inbox.flags")).setAutoWidth(true);
        grid.addColumn(p -> p.claimedBy() == null ? "" : p.claimedBy()).setHeader(getTranslation("inbox.claimedBy"))
                .setAutoWidth(true);
        grid.addComponentColumn(this::actions).setAutoWidth(true).setFrozenToEnd(true);
        grid.setEmptyStateText(getTranslation("inbox.empty"));
        add(new H2(getTranslation("nav.approvals")), grid);
        setFlexGrow(1, grid);
        refresh();
    }

    private HorizontalLayout actions(PendingApproval p) {
        Button open = new Button(getTranslation("inbox.open"),
                e -> getUI().ifPresent(ui -> ui.navigate("requests/" + p.requestId())));
        open.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_PRIMARY);
        open.setId("open-" + p.requestId());
        Button claim;
        if (me.equals(p.claimedBy())) {
            claim = new Button(getTranslation("inbox.release"), e -> act(() -> approvals.unclaim(p.taskId())));
        } else {
            claim = new Button(getTranslation("inbox.claim"), e -> act(() -> approvals.claim(p.taskId())));
            claim.setEnabled(p.claimedBy() == null);
        }
        claim.setId("claim-" + p.requestId());
        claim.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        return new HorizontalLayout(open, claim);
    }

    private void act(Runnable action) {
        try {
            action.run();
        } catch (FieldErrors errors) {
            Notification.show(errors.errors().values().iterator().next(), 5000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
        refresh();
    }

    private String age(PendingApproval p) {
        Duration d = Duration.between(p.waitingSince(), clock.instant());
        if (d.toDays() > 0) {
            return getTranslation("inbox.age.days", d.toDays());
        }
        if (d.toHours() > 0) {
            return getTranslation("inbox.age.hours", d.toHours());
        }
        return getTranslation("inbox.age.minutes", Math.max(0, d.toMinutes()));
    }

    private void refresh() {
        grid.setItems(approvals.inbox());
    }
}
