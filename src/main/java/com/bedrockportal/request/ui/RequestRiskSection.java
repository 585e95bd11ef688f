package com.bedrockportal.request.ui;

import java.util.List;

import com.bedrockportal.request.RequestChecks;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.shared.ui.DraftBinder;
import com.bedrockportal.shared.ui.FormErrors;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;

/**
 * The request form's risk and cost part (issue 14): the optional guardrail the policy requires, the expected volume,
 * and — refreshed on every change of the form — the policy lint and the cost estimate. Kept apart from the form so
 * the form itself only places it.
 */
public final class RequestRiskSection {

    private final TextField guardrail = new TextField();
    private final IntegerField requestsPerDay = new IntegerField();
    private final IntegerField inputTokens = new IntegerField();
    private final IntegerField outputTokens = new IntegerField();
    private final Div fields;
    private final LintList lint = new LintList("policy-lint");
    private final CostEstimatePanel estimate = new CostEstimatePanel("cost-estimate");

    public RequestRiskSection() {
        guardrail.setLabel(guardrail.getTranslation("request.guardrail"));
        guardrail.setId("request-guardrail");
        guardrail.setHelperText(guardrail.getTranslation("request.guardrail.helper"));
        guardrail.setMaxLength(RequestDraft.GUARDRAIL_MAX);
        guardrail.setValueChangeMode(ValueChangeMode.LAZY);
        configure(requestsPerDay, "request.volume.requests", "request-volume-requests",
                RequestDraft.MAX_REQUESTS_PER_DAY);
        configure(inputTokens, "request.volume.input", "request-volume-input", RequestDraft.MAX_TOKENS_PER_REQUEST);
        configure(outputTokens, "request.volume.output", "request-volume-output", RequestDraft.MAX_TOKENS_PER_REQUEST);
        H3 title = new H3(guardrail.getTranslation("request.volume.title"));
        Div helper = new Div(guardrail.getTranslation("request.volume.helper"));
        helper.addClassName("risk-helper");
        FormLayout volumeFields = new FormLayout(requestsPerDay, inputTokens, outputTokens);
        volumeFields.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1),
                new FormLayout.ResponsiveStep("520px", 3));
        FormLayout guardrailLayout = new FormLayout(guardrail);
        guardrailLayout.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        fields = new Div(guardrailLayout, title, helper, volumeFields);
        fields.setId("request-risk-fields");
        fields.setWidthFull();
    }

    private static void configure(IntegerField field, String label, String id, int max) {
        field.setLabel(field.getTranslation(label));
        field.setId(id);
        field.setMin(0);
        field.setMax(max);
        field.setValueChangeMode(ValueChangeMode.LAZY);
    }

    /** Binds the fields to the draft with its field rules. */
    public void bind(DraftBinder<RequestDraft> binder) {
        binder.forField(guardrail).withValidator(binder.rule("guardrailArn"))
                .bind(RequestDraft::getGuardrailArn, RequestDraft::setGuardrailArn);
        binder.forField(requestsPerDay).withValidator(binder.rule("requestsPerDay"))
                .bind(RequestDraft::getRequestsPerDay, RequestDraft::setRequestsPerDay);
        binder.forField(inputTokens).withValidator(binder.rule("inputTokensPerRequest"))
                .bind(RequestDraft::getInputTokensPerRequest, RequestDraft::setInputTokensPerRequest);
        binder.forField(outputTokens).withValidator(binder.rule("outputTokensPerRequest"))
                .bind(RequestDraft::getOutputTokensPerRequest, RequestDraft::setOutputTokensPerRequest);
    }

    /** Server messages for these fields appear beside them. */
    public void errorsTo(FormErrors errors) {
        errors.field("guardrailArn", guardrail).field("requestsPerDay", requestsPerDay)
                .field("inputTokensPerRequest", inputTokens).field("outputTokensPerRequest", outputTokens);
    }

    /** The fields whose changes refresh the checks. */
    public List<HasValue<?, ?>> fields() {
        return List.of(guardrail, requestsPerDay, inputTokens, outputTokens);
    }

    /** The guardrail and volume fields, for the form's column. */
    public Div fieldsBlock() {
        return fields;
    }

    public LintList lint() {
        return lint;
    }

    public CostEstimatePanel estimate() {
        return estimate;
    }

    /** Shows the guardrail a change starts from (its application's). */
    public void setGuardrail(String arn) {
        guardrail.setValue(arn == null ? "" : arn);
    }

    /** Runs the checks on the draft as it is now. */
    public void refresh(RequestChecks checks, RequestDraft draft) {
        lint.show(checks.lint(draft));
        estimate.show(checks.estimate(draft));
    }
}
