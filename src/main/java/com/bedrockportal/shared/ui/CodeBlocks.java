package com.bedrockportal.shared.ui;

import com.vaadin.flow.component.html.Pre;

/** Blocks of code or JSON that may be wider or taller than their box. */
public final class CodeBlocks {

    private CodeBlocks() {
    }

    /**
     * The block scrolls inside itself and can be scrolled with the keyboard: it takes focus (Tab) and is a named
     * region, so a screen reader says what it is.
     */
    public static Pre scrollable(Pre block, String label) {
        block.addClassName("portal-policy");
        block.getElement().setAttribute("tabindex", "0");
        block.getElement().setAttribute("role", "region");
        block.getElement().setAttribute("aria-label", label);
        return block;
    }
}
