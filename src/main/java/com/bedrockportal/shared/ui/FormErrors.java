package com.bedrockportal.shared.ui;

import java.util.LinkedHashMap;
import java.util.Map;

import com.bedrockportal.shared.FieldErrors;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentUtil;
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
     * Shows {@code message} under {@code field}, or takes its message away (null). A message under a text field goes
     * as the person starts typing in it: the field sends its value at the first key press while the message shows.
     * Without that the message went only when the field lost focus, which a click on the form's button below it does:
     * the message's line went at the press, the button moved up from under the pointer, and the click was lost (a
     * press of 120 ms was, in a browser test).
     */
    public static void mark(HasValidation field, String message) {
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
                if (!e.isFromClient() || typing.listener == null) {
                    return; // a value the server sets (a form emptied after a refusal) leaves the message shown
                }
                typing.listener.remove();
                typing.listener = null;
                // Unless a check of the form's own (a binder's) put its message there meanwhile: it takes it away.
                if (java.util.Objects.equals(typing.message, field.getErrorMessage())) {
                    field.setInvalid(false);
                    sendWhileShown(value, false);
                }
            });
        }
    }

    /**
     * While {@code shown}, a text field sends its value at every key press, so that a message under it can go as soon
     * as the value is right, not at the click on the form's button (see {@link #mark}); then its own value change mode
     * again. For checks that run in the form as the value changes ({@link DraftBinder}).
     */
    public static void sendWhileShown(HasValue<?, ?> field, boolean shown) {
        if (!(field instanceof Component component) || !(field instanceof HasValueChangeMode typed)) {
            return;
        }
        Typing typing = ComponentUtil.getData(component, Typing.class);
        if (shown && typing == null) {
            ComponentUtil.setData(component, Typing.class, new Typing(typed.getValueChangeMode()));
            typed.setValueChangeMode(ValueChangeMode.EAGER);
        } else if (!shown && typing != null) {
            typed.setValueChangeMode(typing.before);
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
        private final ValueChangeMode before;
        private String message;
        private Registration listener;

        Typing(ValueChangeMode before) {
            this.before = before;
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
