package com.bedrockportal.approval.ui;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.approval.ApprovalService;
import com.bedrockportal.approval.Decision;
import com.bedrockportal.approval.ProvisioningProgress;
import com.bedrockportal.approval.RiskFlag;
import com.bedrockportal.approval.Stage;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.provisioning.ProvisioningEvents;
import com.bedrockportal.request.PolicyPreview;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.request.TimelineEntry;
import com.bedrockportal.request.ui.StatusBadge;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.MainLayout;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/**
 * One request: its details, the exact policy, risk flags for approvers, the decision panel for whoever may decide
 * now, withdrawal for the requester, and the timeline. The service decides who may see it; anyone else gets the
 * same answer as for a request that does not exist.
 */
@Route(value = "requests/:id", layout = MainLayout.class)
@PageTitle("Request · Bedrock Access Portal")
@PermitAll
public class RequestDetailView extends VerticalLayout implements BeforeEnterObserver {

    private final transient RequestService requests;
    private final transient ApprovalService approvals;
    private final transient BusinessUnitService units;
    private final transient CurrentUser currentUser;
    private final transient ProvisioningProgress progress;
    private final transient ProvisioningEvents provisioningEvents;
    private transient Runnable unsubscribe;
    private transient com.vaadin.flow.shared.Registration pollRegistration;
    private List<ProvisioningProgress.StepState> shownProgress = List.of();
    private long requestId;

    public RequestDetailView(RequestService requests, ApprovalService approvals, BusinessUnitService units,
            CurrentUser currentUser, ProvisioningProgress progress, ProvisioningEvents provisioningEvents) {
        this.progress = progress;
        this.provisioningEvents = provisioningEvents;
        this.requests = requests;
        this.approvals = approvals;
        this.units = units;
        this.currentUser = currentUser;
        addClassName("portal-page");
        setId("request-detail");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<Long> id = event.getRouteParameters().get("id").flatMap(RequestDetailView::parse);
        Optional<AccessRequest> request = id.flatMap(requests::find);
        removeAll();
        if (request.isEmpty()) {
            Paragraph missing = new Paragraph(getTranslation("detail.notFound"));
            missing.setId("request-not-found");
            add(new H2(getTranslation("detail.notFoundTitle")), missing);
            return;
        }
        requestId = request.get().id();
        render(request.get());
    }

    private void render(AccessRequest r) {
        removeAll();
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        String unitName = units.find(r.businessUnitId()).map(u -> u.displayName()).orElse("?");
        Span badge = StatusBadge.of(r.status());
        badge.setId("request-status");
        HorizontalLayout header = new HorizontalLayout(new H2(getTranslation("detail.title", r.id(), unitName)), badge);
        header.setAlignItems(Alignment.BASELINE);
        header.getStyle().set("flex-wrap", "wrap");
        add(header);

        boolean approver = me.has(PortalRole.MANAGER) || me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN);
        List<Component> left = new java.util.ArrayList<>();
        left.add(details(r));
        if (approver) {
            left.add(riskFlags(approvals.riskFlags(r.id())));
        }
        if (PROVISIONING_STATES.contains(r.status())) {
            left.add(provisioningPanel(r));
        } else {
            shownProgress = List.of();
        }
        // Completed steps are pushed the moment they commit; retries and incidents are recorded by the engine
        // outside any step, so a light poll picks those up — only while provisioning is under way.
        boolean inFlight = r.status() == RequestStatus.APPROVED || r.status() == RequestStatus.PROVISIONING;
        com.vaadin.flow.component.UI.getCurrent().setPollInterval(inFlight ? 2000 : -1);
        decisionPanel(r).ifPresent(left::add);
        if (r.requester().equals(me.username()) && r.status() == RequestStatus.PROVISIONED) {
            Button revealKey = new Button(getTranslation("detail.reveal"),
                    e -> getUI().ifPresent(ui -> ui.navigate("keys/reveal/" + r.id())));
            revealKey.setId("reveal-key");
            revealKey.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            Div card = card("detail.reveal.title", "reveal-panel");
            card.add(new Paragraph(getTranslation("detail.reveal.text")), revealKey);
            left.add(card);
        }
        if (r.requester().equals(me.username()) && r.status().pending()) {
            left.add(withdrawPanel());
        }
        left.add(timeline(requests.timeline(r.id()), approvals.decisions(r.id())));
        VerticalLayout leftColumn = new VerticalLayout(left.toArray(Component[]::new));
        leftColumn.setPadding(false);

        FlexLayout columns = new FlexLayout(leftColumn, policy(requests.policyOf(r.id()).orElseThrow()));
        columns.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        columns.setWidthFull();
        columns.getStyle().set("gap", "var(--lumo-space-l)");
        columns.setFlexBasis("440px", leftColumn);
        columns.setFlexGrow(3, leftColumn);
        add(columns);
    }

    private Div details(AccessRequest r) {
        Div card = card("detail.details", "request-details");
        row(card, "detail.requester", r.requester());
        row(card, "detail.purpose", r.purpose()).setId("request-purpose-text");
        row(card, "detail.models", String.join(", ", r.models()));
        row(card, "detail.regions", String.join(", ", r.regions()));
        row(card, "detail.cidrs", r.sourceCidrs().isEmpty() ? getTranslation("detail.cidrs.none")
                : String.join(", ", r.sourceCidrs()));
        row(card, "detail.lifetime", getTranslation("detail.days", r.lifetimeDays()));
        row(card, "detail.budget", "$" + r.monthlyBudget().toPlainString() + " · "
                + getTranslation("detail.threshold", r.alertThreshold()));
        row(card, "detail.alertEmails", String.join(", ", r.alertEmails()));
        row(card, "detail.owner", r.ownerEmail());
        row(card, "detail.classification", getTranslation("classification." + r.dataClassification().name()));
        row(card, "detail.storeSecret", getTranslation(r.storeSecret() ? "detail.yes" : "detail.no"));
        row(card, "detail.submitted", UserTime.format(r.createdAt()));
        return card;
    }

    private static final java.util.Set<RequestStatus> PROVISIONING_STATES = java.util.EnumSet.of(
            RequestStatus.APPROVED, RequestStatus.PROVISIONING, RequestStatus.PROVISIONED,
            RequestStatus.PROVISIONING_FAILED);

    /** Each provisioning step with its state; pushed to the browser as steps complete. */
    private Div provisioningPanel(AccessRequest r) {
        Div card = card("detail.provisioning", "provisioning-steps");
        UnorderedList list = new UnorderedList();
        shownProgress = progress.of(r.id());
        for (ProvisioningProgress.StepState s : shownProgress) {
            ListItem item = new ListItem();
            Span state = new Span(getTranslation("step.state." + s.state().name()));
            state.getElement().getThemeList().add(switch (s.state()) {
                case DONE -> "badge success";
                case FAILED -> "badge error";
                case RETRYING -> "badge error";
                case RUNNING -> "badge";
                default -> "badge contrast";
            });
            item.add(state, new Span(" " + s.step().label()));
            if (s.detail() != null) {
                Span detail = new Span(" — " + s.detail());
                detail.addClassName("portal-muted");
                item.add(detail);
            }
            item.getElement().setAttribute("data-step", s.step().name());
            item.getElement().setAttribute("data-state", s.state().name());
            list.add(item);
        }
        card.add(list);
        return card;
    }

    @Override
    protected void onAttach(com.vaadin.flow.component.AttachEvent event) {
        super.onAttach(event);
        com.vaadin.flow.component.UI ui = event.getUI();
        unsubscribe = provisioningEvents.subscribe(changed -> {
            if (changed == requestId) {
                ui.access(() -> requests.find(requestId).ifPresent(this::render));
            }
        });
        pollRegistration = ui.addPollListener(e -> {
            if (requestId > 0 && !shownProgress.isEmpty() && !progress.of(requestId).equals(shownProgress)) {
                requests.find(requestId).ifPresent(this::render);
            }
        });
    }

    @Override
    protected void onDetach(com.vaadin.flow.component.DetachEvent event) {
        if (unsubscribe != null) {
            unsubscribe.run();
        }
        if (pollRegistration != null) {
            pollRegistration.remove();
            event.getUI().setPollInterval(-1);
        }
        super.onDetach(event);
    }

    private Div riskFlags(List<RiskFlag> flags) {
        Div card = card("detail.risks", "risk-flags");
        if (flags.isEmpty()) {
            card.add(new Paragraph(getTranslation("detail.risks.none")));
        }
        UnorderedList list = new UnorderedList();
        flags.forEach(f -> {
            ListItem item = new ListItem(f.message());
            item.getElement().setAttribute("data-flag", f.code());
            list.add(item);
        });
        card.add(list);
        return card;
    }

    private Optional<Div> decisionPanel(AccessRequest r) {
        Optional<Stage> stage = approvals.decidableStage(r.id());
        if (stage.isEmpty()) {
            return approvals.whyNot(r.id()).filter(reason -> currentUser.has(PortalRole.MANAGER)
                    || currentUser.has(PortalRole.SECURITY)).map(reason -> {
                        Div card = card("detail.decide", "decision-panel");
                        Paragraph why = new Paragraph(reason);
                        why.setId("decision-not-allowed");
                        card.add(why);
                        return card;
                    });
        }
        Div card = card(stage.get() == Stage.MANAGER ? "detail.decide.manager" : "detail.decide.security",
                "decision-panel");
        TextArea comment = new TextArea(getTranslation("detail.comment"));
        comment.setId("decision-comment");
        comment.setMaxLength(2000);
        comment.setWidthFull();
        comment.setHelperText(getTranslation("detail.comment.helper"));
        Span error = new Span();
        error.setId("decision-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        Button approve = new Button(getTranslation("detail.approve"), e -> decide(true, comment, error));
        approve.setId("decision-approve");
        approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SUCCESS);
        Button reject = new Button(getTranslation("detail.reject"), e -> decide(false, comment, error));
        reject.setId("decision-reject");
        reject.addThemeVariants(ButtonVariant.LUMO_ERROR);
        card.add(comment, error, new HorizontalLayout(approve, reject));
        return Optional.of(card);
    }

    private void decide(boolean approve, TextArea comment, Span error) {
        comment.setInvalid(false);
        error.setText("");
        try {
            approvals.decide(requestId, approve, comment.getValue());
            Notification.show(getTranslation(approve ? "detail.approved" : "detail.rejected"), 4000,
                    Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            requests.find(requestId).ifPresent(this::render);
        } catch (FieldErrors errors) {
            if (errors.errors().containsKey("comment")) {
                comment.setErrorMessage(errors.errors().get("comment"));
                comment.setInvalid(true);
            }
            if (errors.errors().containsKey("form")) {
                error.setText(errors.errors().get("form"));
            }
        }
    }

    private Div withdrawPanel() {
        Div card = card("detail.withdraw.title", "withdraw-panel");
        Button withdraw = new Button(getTranslation("detail.withdraw"), e -> {
            ConfirmDialog confirm = new ConfirmDialog(getTranslation("detail.withdraw.title"),
                    getTranslation("detail.withdraw.confirm"), getTranslation("detail.withdraw"), ok -> {
                        try {
                            requests.withdraw(requestId);
                            requests.find(requestId).ifPresent(this::render);
                        } catch (FieldErrors errors) {
                            Notification.show(errors.errors().values().iterator().next(), 5000,
                                    Notification.Position.MIDDLE).addThemeVariants(NotificationVariant.LUMO_ERROR);
                        }
                    });
            confirm.setCancelable(true);
            confirm.open();
        });
        withdraw.setId("request-withdraw");
        withdraw.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        card.add(new Paragraph(getTranslation("detail.withdraw.text")), withdraw);
        return card;
    }

    private Div timeline(List<TimelineEntry> entries, List<Decision> decisions) {
        Div card = card("detail.timeline", "request-timeline");
        UnorderedList list = new UnorderedList();
        for (TimelineEntry e : entries) {
            String text = UserTime.format(e.at()) + " · " + getTranslation("event." + e.type()) + " · " + e.actor()
                    + (e.comment() == null ? "" : " — " + e.comment());
            ListItem item = new ListItem(text);
            item.getElement().setAttribute("data-event", e.type());
            list.add(item);
        }
        card.add(list);
        return card;
    }

    private Div policy(PolicyPreview preview) {
        Div card = card("detail.policy", "request-policy");
        card.add(new Paragraph(getTranslation("detail.policy.text", preview.iamUserName())));
        UnorderedList tags = new UnorderedList();
        for (Map.Entry<String, String> t : preview.tags().entrySet()) {
            tags.add(new ListItem(t.getKey() + " = " + t.getValue()));
        }
        Pre json = new Pre(preview.policyJson());
        json.setId("request-policy-json");
        json.addClassName("portal-policy");
        card.add(tags, json);
        card.getStyle().set("flex", "2 1 380px");
        card.getStyle().set("min-width", "0");
        return card;
    }

    private Div card(String titleKey, String id) {
        Div card = new Div(new H3(getTranslation(titleKey)));
        card.addClassName("portal-card");
        card.setId(id);
        card.setWidthFull();
        return card;
    }

    private Paragraph row(Div card, String labelKey, String value) {
        Span label = new Span(getTranslation(labelKey) + ": ");
        label.getStyle().set("font-weight", "600");
        Paragraph p = new Paragraph(label, new Span(value));
        p.getStyle().set("margin", "var(--lumo-space-xs) 0");
        card.add(p);
        return p;
    }

    private static Optional<Long> parse(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
