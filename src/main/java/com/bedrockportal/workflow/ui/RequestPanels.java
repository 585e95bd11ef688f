package com.bedrockportal.workflow.ui;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.provisioning.ProvisioningStep;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.PolicyPreview;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.TimelineEntry;
import com.bedrockportal.request.ui.ChangeSummary;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.Card;
import com.bedrockportal.shared.ui.CodeBlocks;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.UserTime;
import com.bedrockportal.workflow.ApprovalService;
import com.bedrockportal.workflow.ProvisioningPreflight;
import com.bedrockportal.workflow.ProvisioningProgress;
import com.bedrockportal.workflow.RequestRoutes;
import com.bedrockportal.workflow.RiskFlag;
import com.bedrockportal.workflow.Stage;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;

/** The panels of the request page ({@link RequestDetailView}), one class each. */
final class RequestPanels {

    private RequestPanels() {
    }

    /** What was asked for. */
    static final class Details extends Card {
        Details(AccessRequest r, Map<String, CatalogModel> catalog) {
            super("detail.details", "request-details");
            row("detail.requester", r.requester());
            row(r.applicationId() == null ? "detail.application.new" : "detail.application",
                    r.applicationName() + " (" + r.applicationSlug() + ")").setId("request-application");
            row("detail.purpose", r.purpose()).setId("request-purpose-text");
            row("detail.models", ModelCatalog.names(catalog, r.models()))
                    .setId("request-models");
            row("detail.regions", String.join(", ", r.regions()));
            row("detail.cidrs", r.sourceCidrs().isEmpty() ? getTranslation("detail.cidrs.none")
                    : String.join(", ", r.sourceCidrs()));
            row("detail.lifetime", getTranslation("detail.days", r.lifetimeDays()));
            row("detail.budget", "$" + r.monthlyBudget().toPlainString() + " · "
                    + getTranslation("detail.threshold", r.alertThreshold()));
            row("detail.alertEmails", String.join(", ", r.alertEmails()));
            row("detail.owner", r.ownerEmail());
            row("detail.classification", getTranslation("classification." + r.dataClassification().name()));
            row("detail.storeSecret", getTranslation(r.storeSecret() ? "detail.yes" : "detail.no"));
            row("detail.submitted", UserTime.format(r.createdAt()));
            add(modelIds(r.models()));
        }

        /** The exact model ids, tucked away for engineers, each with a copy button. */
        private com.vaadin.flow.component.details.Details modelIds(List<String> ids) {
            VerticalLayout list = new VerticalLayout();
            list.setPadding(false);
            list.setSpacing(false);
            for (String id : ids) {
                Span code = new Span(id);
                code.addClassName("portal-code");
                Button copy = new Button(VaadinIcon.COPY_O.create());
                copy.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_SMALL);
                copy.setAriaLabel(getTranslation("detail.copyId", id));
                copy.setTooltipText(getTranslation("detail.copyId", id));
                copy.addClickListener(e -> {
                    copy.getElement().executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", id);
                    Notification.show(getTranslation("detail.copied", id), 2000, Notification.Position.BOTTOM_START);
                });
                HorizontalLayout row = new HorizontalLayout(code, copy);
                row.setAlignItems(FlexComponent.Alignment.CENTER);
                row.getElement().setAttribute("data-model-id", id);
                list.add(row);
            }
            var details = new com.vaadin.flow.component.details.Details(getTranslation("detail.modelIds"), list);
            details.setId("request-model-ids");
            return details;
        }
    }

    /** A change: what it adds and removes against the application's access at submission, and its approval path. */
    static final class Change extends Card {
        Change(AccessRequest r, com.bedrockportal.request.GuardrailChange guardrail) {
            super("detail.change", "request-change");
            ChangeSummary summary = new ChangeSummary("detail", id -> id);
            summary.show(r.kind(), r.change(), RequestRoutes.securityReview(r), guardrail);
            add(summary);
        }
    }

    /** Each provisioning step with its state. */
    static final class ProvisioningSteps extends Card {
        /**
         * {@code technical}: whether AWS's own error text is shown (security, admins) or only that it is delayed;
         * {@code shortTerm}: the application gets an IAM role and 12-hour keys instead of a user and a long-term key.
         */
        ProvisioningSteps(List<ProvisioningProgress.StepState> steps, boolean technical, boolean shortTerm) {
            super("detail.provisioning", "provisioning-steps");
            UnorderedList list = new UnorderedList();
            for (ProvisioningProgress.StepState s : steps) {
                ListItem item = new ListItem();
                boolean stuck = !technical && s.state() == ProvisioningProgress.State.FAILED;
                Span state = new Span(getTranslation(stuck ? "step.state.DELAYED" : "step.state." + s.state().name()));
                if (stuck) {
                    state.addClassName("portal-badge-warning");
                }
                state.getElement().getThemeList().add(switch (s.state()) {
                    case DONE -> "badge success";
                    case FAILED -> stuck ? "badge" : "badge error";
                    case RETRYING -> technical ? "badge error" : "badge";
                    case RUNNING -> "badge";
                    default -> "badge contrast";
                });
                String label = shortTerm && s.step() == ProvisioningStep.IAM_USER ? getTranslation("step.shortTerm.role")
                        : shortTerm && s.step() == ProvisioningStep.API_KEY ? getTranslation("step.shortTerm.noKey")
                                : s.step().label();
                item.add(state, new Span(" " + label));
                if (s.detail() != null && technical) {
                    Span detail = new Span(" — " + s.detail());
                    detail.addClassName("portal-muted");
                    item.add(detail);
                }
                item.getElement().setAttribute("data-step", s.step().name());
                item.getElement().setAttribute("data-state", s.state().name());
                list.add(item);
            }
            add(list);
        }
    }

    /** "Will it provision": each check against the account, passed or not, with what was found. */
    static final class Preflight extends Card {
        Preflight(List<ProvisioningPreflight.Check> checks) {
            super("detail.preflight", "preflight");
            boolean ready = checks.stream().allMatch(ProvisioningPreflight.Check::passed);
            Paragraph verdict = new Paragraph(getTranslation(ready ? "detail.preflight.ready"
                    : "detail.preflight.blocked"));
            verdict.setId("preflight-verdict");
            verdict.getElement().setAttribute("data-ready", String.valueOf(ready));
            UnorderedList list = new UnorderedList();
            for (ProvisioningPreflight.Check c : checks) {
                ListItem item = new ListItem((c.passed() ? "✓ " : "✗ ") + getTranslation("preflight." + c.name())
                        + ": " + c.detail());
                item.getElement().setAttribute("data-check", c.name());
                item.getElement().setAttribute("data-passed", String.valueOf(c.passed()));
                if (!c.passed()) {
                    item.getStyle().set("color", "var(--lumo-error-text-color)");
                }
                list.add(item);
            }
            add(verdict, list);
        }
    }

    /** What approvers should look at twice. */
    static final class RiskFlags extends Card {
        RiskFlags(List<RiskFlag> flags) {
            super("detail.risks", "risk-flags");
            if (flags.isEmpty()) {
                add(new Paragraph(getTranslation("detail.risks.none")));
            }
            UnorderedList list = new UnorderedList();
            flags.forEach(f -> {
                ListItem item = new ListItem(f.message());
                item.getElement().setAttribute("data-flag", f.code());
                list.add(item);
            });
            add(list);
        }
    }

    /** Approve or reject the open stage; the service decides who may and says why not. */
    static final class DecisionForm extends Card {
        private final transient ApprovalService approvals;
        private final long requestId;
        private final transient Runnable decided;
        private final TextArea comment = new TextArea(getTranslation("detail.comment"));
        private final Span error = FormErrors.line("decision-error");

        DecisionForm(ApprovalService approvals, long requestId, Stage stage, Runnable decided) {
            super(stage == Stage.MANAGER ? "detail.decide.manager" : "detail.decide.security", "decision-panel");
            this.approvals = approvals;
            this.requestId = requestId;
            this.decided = decided;
            comment.setId("decision-comment");
            comment.setMaxLength(2000);
            comment.setWidthFull();
            comment.setHelperText(getTranslation("detail.comment.helper"));
            Button approve = new Button(getTranslation("detail.approve"), e -> decide(true));
            approve.setId("decision-approve");
            approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SUCCESS);
            Button reject = new Button(getTranslation("detail.reject"), e -> decide(false));
            reject.setId("decision-reject");
            reject.addThemeVariants(ButtonVariant.LUMO_ERROR);
            add(comment, error, new HorizontalLayout(approve, reject));
        }

        /** Why the current user cannot decide now. */
        static Card notAllowed(String reason) {
            Card card = new Card("detail.decide", "decision-panel");
            Paragraph why = new Paragraph(reason);
            why.setId("decision-not-allowed");
            card.add(why);
            return card;
        }

        private void decide(boolean approve) {
            FormErrors.mark(comment, null);
            error.setText("");
            try {
                approvals.decide(requestId, approve, comment.getValue());
                Notification.show(getTranslation(approve ? "detail.approved" : "detail.rejected"), 4000,
                        Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                decided.run();
            } catch (FieldErrors errors) {
                Optional.ofNullable(errors.errors().get("comment")).ifPresent(message -> {
                    FormErrors.mark(comment, message);
                });
                Optional.ofNullable(errors.errors().get("form")).ifPresent(error::setText);
            }
        }
    }

    /** The requester withdraws a pending request, after confirming. */
    static final class Withdraw extends Card {
        Withdraw(RequestService requests, long requestId, Runnable withdrawn) {
            super("detail.withdraw.title", "withdraw-panel");
            Button withdraw = new Button(getTranslation("detail.withdraw"), e -> {
                ConfirmDialog confirm = new ConfirmDialog(getTranslation("detail.withdraw.title"),
                        getTranslation("detail.withdraw.confirm"), getTranslation("detail.withdraw"), ok -> {
                            try {
                                requests.withdraw(requestId);
                                withdrawn.run();
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
            add(new Paragraph(getTranslation("detail.withdraw.text")), withdraw);
        }
    }

    /** Everything that happened to the request, oldest first. */
    static final class Timeline extends Card {
        Timeline(List<TimelineEntry> entries) {
            super("detail.timeline", "request-timeline");
            UnorderedList list = new UnorderedList();
            for (TimelineEntry e : entries) {
                String text = UserTime.format(e.at()) + " · " + getTranslation("event." + e.type()) + " · "
                        + e.actor() + (e.comment() == null ? "" : " — " + e.comment());
                ListItem item = new ListItem(text);
                item.getElement().setAttribute("data-event", e.type());
                list.add(item);
            }
            add(list);
        }
    }

    /** The exact policy and tags provisioning creates. */
    static final class Policy extends Card {
        Policy(PolicyPreview preview) {
            super("detail.policy", "request-policy");
            add(new Paragraph(getTranslation("detail.policy.text", preview.iamUserName())));
            UnorderedList tags = new UnorderedList();
            for (Map.Entry<String, String> t : preview.tags().entrySet()) {
                tags.add(new ListItem(t.getKey() + " = " + t.getValue()));
            }
            Pre json = new Pre(preview.policyJson());
            json.setId("request-policy-json");
            CodeBlocks.scrollable(json, getTranslation("code.policy"));
            add(tags, json);
            getStyle().set("flex", "2 1 380px");
            getStyle().set("min-width", "0");
        }
    }
}
