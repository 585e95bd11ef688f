package com.bedrockportal.shared.ui;

import java.util.LinkedHashMap;
import java.util.Map;

import com.bedrockportal.shared.FieldErrors;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.HasStyle;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.data.value.HasValueChangeMode;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.shared.Registration;

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

    /**
     * How long after the last key press a field with a message under it sends its value: soon enough that the message
     * goes while the person types or moves to the button, without a round trip for every key.
     */
    static final int SEND_AFTER_MS = 150;

    /**
     * Shows {@code message} under {@code field}, or takes its message away (null). A message under a text field goes
     * as the person types in it: the field sends its value {@value #SEND_AFTER_MS} ms after a key press while the
     * message shows, and the message goes once the field's own checks pass (a required field's, say); the service
     * checks everything again at the next click. Without that the message went only when the field lost focus, which
     * a click on the form's button below it does: the message's line went at the press, the button moved up from
     * under the pointer, and the click was lost (a press of 120 ms was, in a browser test).
     */
    public static void mark(HasValidation field, String message) {
        if (message != null) {
            reserveLine(field);
        }
        field.setErrorMessage(message);
        field.setInvalid(message != null);
        if (!(field instanceof HasValue<?, ?> value)) {
            return;
        }
        sendWhileShown(value, message != null);
        Typing typing = typing(value);
        if (typing == null) {
            return;
        }
        typing.message = message;
        if (typing.listener == null) {
            typing.listener = value.addValueChangeListener(e -> {
                if (typing.listener == null) {
                    return; // taken away meanwhile (by a binder's check of this change)
                }
                // The field's own checks ran first (Flow's, on every change) and took the message away if they pass;
                // a check of the form's own (a binder's) that put its message there keeps it.
                if (e.isFromClient() && java.util.Objects.equals(typing.message, field.getErrorMessage())
                        && passesOwnChecks(value)) {
                    field.setInvalid(false);
                }
                if (!field.isInvalid()) {
                    sendWhileShown(value, false);
                }
            });
        }
    }

    /** The theme's class that keeps a field's message line (styles.css). */
    static final String MESSAGE_LINE = "portal-message-line";

    /**
     * Keeps the line under {@code field} for a message whether or not one shows, so that a message appearing or going
     * moves nothing below the field. A message that appears as a field is left (a form's own check, run at the blur
     * that a press on the form's button causes) moved the button down from under the pointer during the press, and
     * the click was lost; one that went at the press moved it up. For a field with checks of the form's own
     * ({@link DraftBinder}) from the start, for any other from its first message on. A message of two lines still
     * moves what is below by one line.
     */
    public static void reserveLine(Object field) {
        if (field instanceof HasValidation && field instanceof HasStyle styled) {
            styled.addClassName(MESSAGE_LINE);
        }
    }

    /** Whether the field's own checks (required, length, pattern) pass for its value. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static boolean passesOwnChecks(HasValue<?, ?> field) {
        if (field.isRequiredIndicatorVisible() && field.isEmpty()) {
            return false; // the field's default validator leaves "required" to a binder
        }
        if (!(field instanceof com.vaadin.flow.data.binder.HasValidator checked) || !(field instanceof Component c)) {
            return true;
        }
        com.vaadin.flow.data.binder.Validator own = checked.getDefaultValidator();
        return !own.apply(field.getValue(), new com.vaadin.flow.data.binder.ValueContext(c, field)).isError();
    }

    /**
     * While {@code shown}, a text field sends its value {@value #SEND_AFTER_MS} ms after a key press, so that a message
     * under it can go as soon as the value is right, not at the click on the form's button (see {@link #mark}); then
     * its own value change mode again. For checks that run in the form as the value changes ({@link DraftBinder}).
     */
    public static void sendWhileShown(HasValue<?, ?> field, boolean shown) {
        if (!(field instanceof Component component) || !(field instanceof HasValueChangeMode typed)) {
            return;
        }
        Typing typing = typing(field);
        if (shown && typing == null) {
            ComponentUtil.setData(component, Typing.class, new Typing(typed.getValueChangeMode(),
                    typed.getValueChangeTimeout()));
            typed.setValueChangeMode(ValueChangeMode.LAZY);
            typed.setValueChangeTimeout(SEND_AFTER_MS);
        } else if (!shown && typing != null) {
            typed.setValueChangeMode(typing.mode);
            typed.setValueChangeTimeout(typing.timeout);
            if (typing.listener != null) {
                typing.listener.remove();
                typing.listener = null;
            }
            ComponentUtil.setData(component, Typing.class, null);
        }
    }

    private static Typing typing(HasValue<?, ?> field) {
        return field instanceof Component component ? ComponentUtil.getData(component, Typing.class) : null;
    }

    /** A text field's own value change mode while a message shows under it, and {@link #mark}'s listener. */
    private static final class Typing implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final ValueChangeMode mode;
        private final int timeout;
        private String message;
        private Registration listener;

        Typing(ValueChangeMode mode, int timeout) {
            this.mode = mode;
            this.timeout = timeout;
            this.message = "";
        }
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
                mark(field, message);
            }
        });
        if (summary != null && !errors.errors().containsKey("form")) {
            formLine.setText(summary);
        }
    }

    public void clear() {
        fields.values().forEach(f -> mark(f, null));
        formLine.setText("");
    }
}
