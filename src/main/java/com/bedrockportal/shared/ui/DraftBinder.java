package com.bedrockportal.shared.ui;

import com.bedrockportal.shared.FormValidation;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.data.binder.Binder;
import com.vaadin.flow.data.binder.ValidationResult;
import com.vaadin.flow.data.binder.Validator;

/**
 * A {@link Binder} for a form's draft whose field checks are the draft's own Bean Validation rules, run by the same
 * validator, with the same messages, as the service's ({@link FormValidation}). Bind each field with
 * {@code forField(field).withValidator(binder.rule("property")).bind(getter, setter)}. The fields' own built-in checks
 * are off, so every message comes from the translation bundle; the service still checks everything on submit.
 */
public final class DraftBinder<B> extends Binder<B> {

    private final transient FormValidation rules;
    private final Class<B> type;

    public DraftBinder(Class<B> type, FormValidation rules) {
        this.type = type;
        this.rules = rules;
        setDefaultValidatorsEnabled(false);
    }

    /**
     * A bound field keeps the line under it for a message even while it has none ({@link FormErrors#reserveLine}):
     * its check runs as the field is left, which the press on the form's button below does.
     */
    @Override
    public <F> BindingBuilder<B, F> forField(HasValue<?, F> field) {
        FormErrors.reserveLine(field);
        return super.forField(field);
    }

    /** A field whose value breaks a rule sends its value as it is typed, so its message goes once it is right. */
    @Override
    protected void handleError(HasValue<?, ?> field, ValidationResult result) {
        super.handleError(field, result);
        FormErrors.sendWhileShown(field, true);
    }

    @Override
    protected void clearError(HasValue<?, ?> field) {
        super.clearError(field);
        FormErrors.sendWhileShown(field, false);
    }

    /** The draft's rules of {@code property}, as the validator of the field bound to it (after any converter). */
    public Validator<Object> rule(String property) {
        return (value, context) -> rules.checkProperty(type, property, value).map(ValidationResult::error)
                .orElseGet(ValidationResult::ok);
    }
}
