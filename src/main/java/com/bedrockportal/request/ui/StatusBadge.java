package com.bedrockportal.request.ui;

import com.bedrockportal.request.Standing;
import com.vaadin.flow.component.html.Span;

/** Where a request stands, as a coloured badge worded for people ("Key in use", "Delayed — …"). */
public final class StatusBadge {

    private StatusBadge() {
    }

    public static Span of(Standing standing) {
        Span badge = new Span();
        badge.setText(badge.getTranslation("status." + standing.code()));
        badge.getElement().getThemeList().add(switch (standing.tone()) {
            case SUCCESS -> "badge success";
            case ERROR -> "badge error";
            case CONTRAST -> "badge contrast";
            default -> "badge";
        });
        if (standing.tone() == Standing.Tone.WARNING) {
            badge.addClassName("portal-badge-warning");
        }
        badge.addClassName("portal-status");
        badge.getElement().setAttribute("data-status", standing.code());
        return badge;
    }

}
