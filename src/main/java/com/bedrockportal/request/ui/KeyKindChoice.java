package com.bedrockportal.request.ui;

import com.vaadin.flow.component.customfield.CustomField;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;

/**
 * 12-hour keys: which kind of key a new application gets, with the trade-off spelled out beside the choice. True:
 * short-term keys only (an IAM role; members get keys valid up to 12 hours from the portal); false: a long-term key.
 */
final class KeyKindChoice extends CustomField<Boolean> {

    private static final long serialVersionUID = 1L;

    private final RadioButtonGroup<Boolean> choice = new RadioButtonGroup<>();
    private final Paragraph tradeOff = new Paragraph();

    KeyKindChoice() {
        setLabel(getTranslation("shortkeys.form.label"));
        setId("request-key-kind");
        choice.setItems(false, true);
        choice.setItemLabelGenerator(s -> getTranslation(s ? "shortkeys.form.short" : "shortkeys.form.long"));
        choice.setValue(false);
        choice.setId("request-key-kind-choice");
        choice.addValueChangeListener(e -> explain());
        tradeOff.setId("request-key-kind-tradeoff");
        tradeOff.addClassName("portal-muted");
        // A custom field's line height is its input row's (Lumo), far too tall for a paragraph's lines.
        tradeOff.getStyle().set("margin", "0").set("line-height", "var(--lumo-line-height-s)");
        add(choice, tradeOff);
        explain();
    }

    private void explain() {
        tradeOff.setText(getTranslation(Boolean.TRUE.equals(choice.getValue()) ? "shortkeys.form.short.tradeoff"
                : "shortkeys.form.long.tradeoff"));
    }

    @Override
    protected Boolean generateModelValue() {
        return Boolean.TRUE.equals(choice.getValue());
    }

    @Override
    protected void setPresentationValue(Boolean value) {
        choice.setValue(Boolean.TRUE.equals(value));
        explain();
    }
}
