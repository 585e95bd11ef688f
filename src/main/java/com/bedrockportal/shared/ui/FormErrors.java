package com.bedrockportal.shared.ui;

import java.util.LinkedHashMap;
import java.util.Map;

import com.bedrockportal.shared.FieldErrors;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.html.Span;

/**
 * Shows the service's {@link FieldErrors} next to the fields they name; messages for no field go to a form-level
 * line. One place for every form of the portal.
 */
public final class FormErrors {

    private final Map<String, HasValidation> fields = new LinkedHashMap<>();
    private final Span formLine = new Span();

    public FormErrors() {
        asErrorLine(formLine);
    }

    /**
     * A line for a refusal that belongs to no one field (a form's or a dialog's), empty until it is given a text: in
     * the error colour, and read out by a screen reader when its text changes.
     */
    public static Span line(String id) {
        Span line = asErrorLine(new Span());
        line.setId(id);
        return line;
    }

    /** Makes {@code line} a refusal line as {@link #line(String)} does (for a line of another kind, a paragraph). */
    public static <T extends com.vaadin.flow.component.HasStyle> T asErrorLine(T line) {
        line.getStyle().set("color", "var(--lumo-error-text-color)");
        line.getElement().setAttribute("aria-live", "polite");
        return line;
    }

    /** The field that shows errors reported under {@code key}. */
    public FormErrors field(String key, HasValidation field) {
        fields.put(key, field);
        return this;
    }

    /** The line for errors that belong to no field. */
    public Span formLine() {
        return formLine;
    }

    public void show(FieldErrors errors, String summary) {
        errors.errors().forEach((key, message) -> {
            HasValidation field = fields.get(key);
            if (field == null) {
                formLine.setText(message);
            } else {
                field.setErrorMessage(message);
                field.setInvalid(true);
            }
        });
        if (summary != null && !errors.errors().containsKey("form")) {
            formLine.setText(summary);
        }
    }

    public void clear() {
        fields.values().forEach(f -> {
            f.setInvalid(false);
            f.setErrorMessage(null);
        });
        formLine.setText("");
    }
}
