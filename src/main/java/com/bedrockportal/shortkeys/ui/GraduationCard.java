package com.bedrockportal.shortkeys.ui;

import java.util.Optional;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.HomeCard;
import com.bedrockportal.shortkeys.Graduation;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;

/** Home page card for security: how many active applications still use long-term keys, with the list a click away. */
@org.springframework.stereotype.Component
class GraduationCard implements HomeCard {

    private final Graduation graduation;

    GraduationCard(Graduation graduation) {
        this.graduation = graduation;
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public Optional<Component> render(CurrentUser.Principal user) {
        if (!user.has(PortalRole.SECURITY)) {
            return Optional.empty();
        }
        Graduation.Overview overview = graduation.counts();
        Div card = new Div();
        card.addClassName("portal-card");
        card.setId("home-graduation");
        card.setWidthFull();
        Paragraph counts = new Paragraph(card.getTranslation("shortkeys.graduation.summary", overview.longTerm(),
                overview.active(), overview.shortTerm()));
        counts.setId("home-graduation-summary");
        card.add(new H3(card.getTranslation("shortkeys.graduation.title")), counts,
                new Anchor("graduation", card.getTranslation("shortkeys.graduation.open")));
        return Optional.of(card);
    }
}
