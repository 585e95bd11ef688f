package com.bedrockportal.lifecycle.ui;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.KeyInventory;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.lifecycle.Compromises;
import com.bedrockportal.lifecycle.ExpiryWatch;
import com.bedrockportal.lifecycle.KeyActions;
import com.bedrockportal.monitoring.KeyEvidence;
import com.bedrockportal.provisioning.ActivityTrail;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.ReasonDialog;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/**
 * One key: its details, its last status change and why, and the buttons of the actions the user may take now. Each
 * action asks for a reason in a dialog; the service decides again who may and says why not.
 */
@Route(value = "keys/:keyId([0-9]{1,18})", layout = MainLayout.class)
@PageTitle("API key · Bedrock Access Portal")
@PermitAll
public class KeyPageView extends VerticalLayout implements BeforeEnterObserver {

    private final transient KeyActions actions;
    private final transient KeyEvidence evidence;
    private final transient CurrentUser currentUser;
    private final transient ExpiryWatch expiryWatch;
    private final transient Clock clock;
    private final transient Compromises compromises;
    private long keyId;

    public KeyPageView(KeyActions actions, KeyEvidence evidence, CurrentUser currentUser, ExpiryWatch expiryWatch,
            Clock clock, Compromises compromises) {
        this.actions = actions;
        this.evidence = evidence;
        this.currentUser = currentUser;
        this.expiryWatch = expiryWatch;
        this.clock = clock;
        this.compromises = compromises;
        addClassName("portal-page");
        setId("key-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        keyId = event.getRouteParameters().get("keyId").map(Long::parseLong).orElse(-1L);
        render();
    }

    private void render() {
        removeAll();
        Optional<KeyActions.KeyPage> found = actions.page(keyId);
        if (found.isEmpty()) {
            Paragraph none = new Paragraph(getTranslation("keypage.none"));
            none.setId("key-page-none");
            add(none, new Anchor("keys", getTranslation("keypage.back")));
            return;
        }
        KeyActions.KeyPage page = found.get();
        ApiKey key = page.key();
        // Past its expiry a key reads "expired" here as in every list (AWS stops it by itself).
        boolean expired = KeyInventory.expired(key.status(), key.expiresAt(), clock.instant());
        Span status = new Span(KeyInventory.label(key.status(), key.expiresAt(), clock.instant()));
        status.setId("key-status");
        status.getElement().getThemeList().add(expired ? "badge contrast" : key.status() == KeyStatus.ACTIVE
                ? "badge success" : key.status() == KeyStatus.PENDING_REVEAL ? "badge" : "badge error");
        FormLayout details = new FormLayout();
        details.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("600px", 2));
        details.addFormItem(status, getTranslation("keypage.status"));
        details.addFormItem(new Span(page.businessUnit()), getTranslation("keypage.unit"));
        details.addFormItem(new Span(key.iamUser()), getTranslation("keypage.iamUser"));
        details.addFormItem(new Span(key.requester() == null ? "" : key.requester()), getTranslation("keypage.owner"));
        details.addFormItem(new Span(UserTime.format(key.createdAt())), getTranslation("keypage.created"));
        details.addFormItem(new Span(UserTime.format(key.expiresAt())), getTranslation("keypage.expires"));
        details.addFormItem(new Span(key.revealedAt() == null ? getTranslation("keypage.notRevealed")
                : UserTime.format(key.revealedAt()) + " · " + key.revealedBy()), getTranslation("keypage.revealed"));
        // A rotation's key (or an adopted one) has no request.
        details.addFormItem(key.requestId() > 0 ? new Anchor("requests/" + key.requestId(), "#" + key.requestId())
                : new Span(getTranslation("app.keyByRotation")), getTranslation("keypage.request"));
        if (key.statusChangedBy() != null) {
            Span change = new Span(getTranslation("keypage.lastChange.value",
                    getTranslation("keypage.change." + key.status().name()),
                    key.statusChangedBy(), UserTime.format(key.statusChangedAt()), key.statusReason()));
            change.setId("key-last-change");
            details.addFormItem(change, getTranslation("keypage.lastChange"));
        }
        Div card = new Div(details);
        card.addClassName("portal-card");

        HorizontalLayout buttons = new HorizontalLayout();
        buttons.setId("key-actions");
        buttons.setWrap(true);
        for (KeyActions.Action action : KeyActions.Action.values()) {
            if (page.actions().contains(action)) {
                Button b = new Button(getTranslation("keyaction." + action.name()), e -> openDialog(action, key));
                b.setId("key-" + action.name().toLowerCase(java.util.Locale.ROOT));
                b.addThemeVariants(action == KeyActions.Action.REENABLE ? ButtonVariant.LUMO_PRIMARY
                        : ButtonVariant.LUMO_ERROR);
                buttons.add(b);
            }
        }
        // Anyone who can see the key may report it compromised (the page is only shown to them).
        java.util.Optional<Long> openCase = compromises.openCaseOf(key.id());
        if (openCase.isPresent()) {
            Anchor caseLink = new Anchor("compromise/" + openCase.get(), getTranslation("compromise.report.openCase",
                    openCase.get()));
            caseLink.setId("key-compromise-case");
            buttons.add(caseLink);
        } else if (key.status().live()) {
            Button report = new Button(getTranslation("compromise.report"), e -> openReportDialog(key));
            report.setId("key-report-compromised");
            report.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_PRIMARY);
            buttons.add(report);
        }
        add(new H2(getTranslation("keypage.title", key.prefix())), card);
        if (buttons.getComponentCount() > 0) {
            add(buttons);
        }
        if (page.actions().isEmpty()) {
            Paragraph no = new Paragraph(getTranslation(key.status().live() ? "keypage.noActions"
                    : key.status() == KeyStatus.DELETED ? "keypage.finalDeleted" : "keypage.final"));
            no.setId("key-no-actions");
            add(no);
        }
        expiryTimeline(key);
        if (currentUser.has(PortalRole.SECURITY)) {
            add(activityCard());
        }
        add(new Anchor("keys", getTranslation("keypage.back")));
    }

    /** Security's view of what AWS says about the key, read on demand (CloudTrail answers slowly). */
    private Div activityCard() {
        Div card = new Div();
        card.setId("key-activity");
        card.addClassName("portal-card");
        card.setWidthFull();
        long days = Math.max(1, evidence.trailWindow().toDays());
        Button load = new Button(getTranslation("keypage.activity.load"));
        load.setId("key-activity-load");
        load.addClickListener(e -> evidence.forKey(keyId).ifPresent(found -> {
            card.removeAll();
            card.add(new H3(getTranslation("keypage.activity")), activity(found));
        }));
        card.add(new H3(getTranslation("keypage.activity")),
                new Paragraph(getTranslation("keypage.activity.text", days)), load);
        return card;
    }

    private VerticalLayout activity(KeyEvidence.Evidence found) {
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        Paragraph summary = new Paragraph();
        summary.setId("key-activity-summary");
        if (found.eventsError() != null) {
            summary.setText(getTranslation("keypage.activity.eventsFailed", found.eventsError()));
        } else if (found.events().isEmpty()) {
            summary.setText(getTranslation("keypage.activity.none"));
        } else {
            summary.setText(getTranslation("keypage.activity.summary", found.events().size(),
                    found.eventsWithTheKey(), found.refusedEvents())
                    + (found.eventsCut() ? " " + getTranslation("keypage.activity.cut", found.maxEvents()) : ""));
        }
        box.add(summary);
        if (!found.events().isEmpty()) {
            Grid<ActivityTrail.TrailEvent> grid = new Grid<>();
            grid.setId("key-activity-events");
            grid.addColumn(ev -> UserTime.format(ev.time())).setHeader(getTranslation("keypage.activity.time"))
                    .setAutoWidth(true);
            grid.addColumn(ActivityTrail.TrailEvent::eventName).setHeader(getTranslation("keypage.activity.event"))
                    .setAutoWidth(true);
            grid.addColumn(ActivityTrail.TrailEvent::sourceIp).setHeader(getTranslation("keypage.activity.ip"))
                    .setAutoWidth(true);
            grid.addColumn(ActivityTrail.TrailEvent::userAgent).setHeader(getTranslation("keypage.activity.agent"))
                    .setTooltipGenerator(ActivityTrail.TrailEvent::userAgent).setFlexGrow(1);
            grid.addColumn(ActivityTrail.TrailEvent::region).setHeader(getTranslation("keypage.activity.region"))
                    .setAutoWidth(true);
            grid.addColumn(ev -> ev.errorCode() == null ? "" : ev.errorCode())
                    .setHeader(getTranslation("keypage.activity.error")).setAutoWidth(true);
            grid.setItems(found.events());
            if (found.events().size() <= 15) {
                grid.setAllRowsVisible(true);
            } else {
                grid.setHeight("480px");
            }
            grid.setWidthFull();
            box.add(grid);
        }
        Paragraph spend = new Paragraph();
        spend.setId("key-activity-spend");
        if (found.spendError() != null) {
            spend.setText(getTranslation("keypage.activity.spendFailed", found.spendError()));
        } else {
            java.text.NumberFormat usd = java.text.NumberFormat.getCurrencyInstance(java.util.Locale.US);
            spend.setText(getTranslation("keypage.activity.spend", found.applicationTag() != null
                    ? found.applicationTag() : found.businessUnitTag(), usd.format(found.recentUsd()),
                    found.spendDays(), usd.format(found.previousUsd())));
        }
        box.add(spend);
        return box;
    }

    /** What the expiry watch did to the key: reminders, the scheduled rotation it started, its deletion. */
    private void expiryTimeline(ApiKey key) {
        List<ExpiryWatch.TimelineEntry> entries = expiryWatch.timeline(key.id());
        if (entries.isEmpty()) {
            return;
        }
        UnorderedList list = new UnorderedList();
        list.setId("key-expiry-timeline");
        for (ExpiryWatch.TimelineEntry e : entries) {
            String what = e.reminder() != null ? getTranslation("keypage.expiry.REMIND", e.reminder())
                    : getTranslation("keypage.expiry." + e.event());
            ListItem item = new ListItem(UserTime.format(e.at()) + " · " + what + " — " + e.detail());
            item.getElement().setAttribute("data-event", e.event());
            list.add(item);
        }
        Div card = new Div(new H3(getTranslation("keypage.expiry.title")), list);
        card.addClassName("portal-card");
        add(card);
    }

    private void openDialog(KeyActions.Action action, ApiKey key) {
        Dialog dialog = new Dialog();
        dialog.setId("key-action-dialog");
        dialog.setHeaderTitle(getTranslation("keyaction." + action.name() + ".title"));
        TextArea reason = new TextArea(getTranslation("keyaction.reason"));
        reason.setId("key-action-reason");
        reason.setHelperText(getTranslation("keyaction.reason.help"));
        reason.setMaxLength(KeyActions.MAX_REASON);
        reason.setRequired(true);
        reason.setWidthFull();
        Span error = FormErrors.line("key-action-error");
        Paragraph text = new Paragraph(getTranslation("keyaction." + action.name() + ".text"));
        dialog.add(new Paragraph(key.prefix() + "… · " + key.iamUser()), text, reason, error);
        dialog.setWidth("min(560px, 95vw)");
        Button confirm = new Button(getTranslation("keyaction.confirm"), e -> {
            FormErrors.mark(reason, null);
            error.setText("");
            try {
                switch (action) {
                    case DISABLE -> actions.disable(key.id(), reason.getValue());
                    case REENABLE -> actions.reenable(key.id(), reason.getValue());
                    case REVOKE -> actions.revoke(key.id(), reason.getValue());
                }
                dialog.close();
                Notification.show(getTranslation("keyaction." + action.name() + ".done"), 4000,
                        Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                render();
            } catch (FieldErrors errors) {
                FormErrors.mark(reason, errors.errors().getOrDefault("reason",
                        errors.errors().values().iterator().next()));
            } catch (KeyActions.Refused | KeyActions.CloudFailed refused) {
                error.setText(refused.getMessage());
            } catch (org.springframework.security.access.AccessDeniedException denied) {
                error.setText(getTranslation("keyaction.refused.notAllowed"));
            }
        });
        confirm.setId("key-action-confirm");
        confirm.addThemeVariants(action == KeyActions.Action.REENABLE ? ButtonVariant.LUMO_PRIMARY
                : ButtonVariant.LUMO_ERROR);
        Button cancel = new Button(getTranslation("keyaction.cancel"), e -> dialog.close());
        cancel.setId("key-action-cancel");
        dialog.getFooter().add(cancel, confirm);
        dialog.open();
        reason.focus();
    }

    private void openReportDialog(ApiKey key) {
        ReasonDialog.open("key-report", getTranslation("compromise.report.title"), getTranslation("keyaction.reason"),
                Compromises.MAX_REASON, getTranslation("compromise.report"), getTranslation("keyaction.cancel"),
                reason -> {
                    long caseId;
                    try {
                        caseId = compromises.report(key.id(), reason).id();
                    } catch (Compromises.Refused refused) {
                        return refused.getMessage();
                    }
                    Notification.show(getTranslation("compromise.report.done", caseId), 5000,
                            Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                    render();
                    return null;
                }, new Paragraph(key.prefix() + "… · " + key.iamUser()),
                new Paragraph(getTranslation("compromise.report.text")));
    }
}
