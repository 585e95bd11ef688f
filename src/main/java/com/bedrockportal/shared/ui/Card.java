package com.bedrockportal.shared.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;

/** A titled card of a detail page (the request page's panels, the application page). */
public class Card extends Div {

    public Card(String titleKey, String id) {
        add(new H3(getTranslation(titleKey)));
        addClassName("portal-card");
        setId(id);
        setWidthFull();
    }

    /** A "label: value" line; the value is text, never markup. */
    public Paragraph row(String labelKey, String value) {
        Span label = new Span(getTranslation(labelKey) + ": ");
        label.getStyle().set("font-weight", "600");
        Paragraph p = new Paragraph(label, new Span(value));
        p.getStyle().set("margin", "var(--lumo-space-xs) 0");
        add(p);
        return p;
    }
}
