package com.bedrockportal.shared.ui;

import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.data.value.ValueChangeMode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message under a text field goes as the person types, not when the field loses focus at the click on the form's
 * button below it (which moved the button from under the pointer and lost the click): while it shows, the field sends
 * its value shortly after a key press, and goes back to its own mode when the message goes.
 */
class FormErrorsTest {

    /** A text area whose value can change as the browser changes it. */
    static final class Typed extends TextArea {
        void type(String value) {
            setModelValue(value, true);
        }
    }

    private final Typed reason = new Typed();

    FormErrorsTest() {
        reason.setRequired(true);
    }

    @Test
    void aServiceMessageGoesAtTheFirstKeyPressAndTheFieldGoesBackToItsMode() {
        FormErrors.mark(reason, "Give a reason.");
        assertThat(reason.isInvalid()).isTrue();
        assertThat(reason.getErrorMessage()).isEqualTo("Give a reason.");
        assertThat(reason.getValueChangeMode()).isEqualTo(ValueChangeMode.LAZY);
        assertThat(reason.getValueChangeTimeout()).isEqualTo(FormErrors.SEND_AFTER_MS);

        reason.type("C");
        assertThat(reason.isInvalid()).isFalse();
        assertThat(reason.getValueChangeMode()).isEqualTo(ValueChangeMode.ON_CHANGE);
        assertThat(reason.getValueChangeTimeout()).isEqualTo(new TextArea().getValueChangeTimeout());
    }

    @Test
    void aRequiredFieldEmptiedKeepsItsMessageUntilItHasAValue() {
        reason.type("too short, says the service");
        FormErrors.mark(reason, "Say more.");
        reason.type("");
        assertThat(reason.isInvalid()).as("the field's own check still fails").isTrue();
        assertThat(reason.getValueChangeMode()).isEqualTo(ValueChangeMode.LAZY);
        reason.type("Seen in a public repository.");
        assertThat(reason.isInvalid()).isFalse();
        assertThat(reason.getValueChangeMode()).isEqualTo(ValueChangeMode.ON_CHANGE);
    }

    @Test
    void aFieldMarkedAgainKeepsOneListenerAndItsOwnModeComesBack() {
        reason.setValueChangeMode(ValueChangeMode.TIMEOUT);
        reason.setValueChangeTimeout(900);
        FormErrors.mark(reason, "Give a reason.");
        FormErrors.mark(reason, "Give a longer reason.");
        assertThat(reason.getErrorMessage()).isEqualTo("Give a longer reason.");
        FormErrors.mark(reason, null);
        assertThat(reason.isInvalid()).isFalse();
        assertThat(reason.getValueChangeMode()).isEqualTo(ValueChangeMode.TIMEOUT);
        assertThat(reason.getValueChangeTimeout()).isEqualTo(900);
        // No listener left behind: a later key press changes nothing of the mode.
        reason.type("x");
        assertThat(reason.getValueChangeMode()).isEqualTo(ValueChangeMode.TIMEOUT);
    }

    @Test
    void aFormsOwnCheckKeepsItsMessageWhileTheValueIsWrongAndLetsItGoWhenRight() {
        DraftBinder<Object> binder = new DraftBinder<>(Object.class, null);
        binder.forField(reason).withValidator(v -> v.length() >= 10, "At least 10 characters.").bind(o -> "",
                (o, v) -> {
                });
        reason.type("short");
        assertThat(reason.isInvalid()).isTrue();
        assertThat(reason.getValueChangeMode()).as("sends as typed while the message shows")
                .isEqualTo(ValueChangeMode.LAZY);
        // The service's message on the same field, then a key press that the form's check still refuses.
        FormErrors.mark(reason, "Refused by the service.");
        reason.type("shorter");
        assertThat(reason.isInvalid()).isTrue();
        assertThat(reason.getErrorMessage()).isEqualTo("At least 10 characters.");
        assertThat(reason.getValueChangeMode()).isEqualTo(ValueChangeMode.LAZY);
        reason.type("long enough now");
        assertThat(reason.isInvalid()).isFalse();
        assertThat(reason.getValueChangeMode()).isEqualTo(ValueChangeMode.ON_CHANGE);
    }
}
