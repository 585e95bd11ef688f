package com.bedrockportal.shared.ui;

import com.bedrockportal.shared.FieldErrors;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextArea;

/**
 * A dialog that asks why before a destructive action: what it is about, a required reason (capped as the service caps
 * it), Cancel and the action. The service decides: its {@link FieldErrors} about {@code reason} show next to the
 * field, any other, or the action's refusal, below it; the dialog closes once the action is done.
 */
public final class ReasonDialog {

    /**
     * The action, given the reason as typed (the service strips and checks it): null when done, or why it was refused
     * (shown below the field; the dialog stays open).
     */
    @FunctionalInterface
    public interface Action {
        String run(String reason);
    }

    private ReasonDialog() {
    }

    /**
     * Opens the dialog {@code id-dialog}: {@code lines}, the field {@code id-reason} (at most {@code max} characters),
     * the line {@code id-error}, and the buttons Cancel and {@code id-confirm}.
     */
    public static Dialog open(String id, String title, String reasonLabel, int max, String confirmText,
            String cancelText, Action action, Component... lines) {
        Dialog dialog = new Dialog();
        dialog.setId(id + "-dialog");
        dialog.setHeaderTitle(title);
        TextArea reason = new TextArea(reasonLabel);
        reason.setId(id + "-reason");
        reason.setMaxLength(max);
        reason.setRequired(true);
        reason.setWidthFull();
        Span error = FormErrors.line(id + "-error");
        dialog.add(lines);
        dialog.add(reason, error);
        dialog.setWidth("min(560px, 95vw)");
        Button confirm = new Button(confirmText, e -> {
            FormErrors.mark(reason, null);
            error.setText("");
            try {
                String refused = action.run(reason.getValue());
                if (refused == null) {
                    dialog.close();
                } else {
                    error.setText(refused);
                }
            } catch (FieldErrors errors) {
                if (errors.errors().containsKey("reason")) {
                    FormErrors.mark(reason, errors.errors().get("reason"));
                } else {
                    error.setText(errors.errors().values().iterator().next());
                }
            }
        });
        confirm.setId(id + "-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_ERROR);
        Button cancel = new Button(cancelText, e -> dialog.close());
        dialog.getFooter().add(cancel, confirm);
        dialog.open();
        reason.focus();
        return dialog;
    }
}
