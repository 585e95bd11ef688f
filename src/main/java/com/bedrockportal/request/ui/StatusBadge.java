package com.bedrockportal.request.ui;

import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestStatus;
import com.vaadin.flow.component.html.Span;

/** A request's status as a coloured badge, worded for people. */
public final class StatusBadge {

    private StatusBadge() {
    }

    /** A request's status; a change that issued no key is "Changed" once done, not "key ready". */
    public static Span of(AccessRequest request) {
        Span badge = of(request.status());
        if (request.status() == RequestStatus.PROVISIONED && request.isChange() && !request.newKey()) {
            badge.setText(badge.getTranslation("status.CHANGED"));
        }
        return badge;
    }

    public static Span of(RequestStatus status) {
        Span badge = new Span();
        badge.setText(badge.getTranslation("status." + status.name()));
        badge.getElement().getThemeList().add(switch (status) {
            case APPROVED, PROVISIONED -> "badge success";
            case REJECTED, EXPIRED, PROVISIONING_FAILED -> "badge error";
            case WITHDRAWN -> "badge contrast";
            default -> "badge";
        });
        badge.addClassName("portal-status");
        badge.getElement().setAttribute("data-status", status.name());
        return badge;
    }

}
