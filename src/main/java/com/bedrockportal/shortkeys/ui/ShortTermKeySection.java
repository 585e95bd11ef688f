package com.bedrockportal.shortkeys.ui;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationPageSection;
import com.bedrockportal.shared.ui.Durations;
import com.bedrockportal.shortkeys.ShortTermKeys;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;

/**
 * The application page's "12-hour keys" card, for applications with short-term keys only: what they are, and for the
 * application's owner the button that gets one (after a fresh login, on its own page).
 */
@org.springframework.stereotype.Component
class ShortTermKeySection implements ApplicationPageSection {

    private final ShortTermKeys keys;

    ShortTermKeySection(ShortTermKeys keys) {
        this.keys = keys;
    }

    @Override
    public Component section(Application application, Runnable pageChanged) {
        if (!application.shortTermOnly()) {
            return null;
        }
        com.bedrockportal.shared.ui.Card card = new com.bedrockportal.shared.ui.Card("shortkeys.card.title",
                "short-term-keys-card");
        card.add(new Paragraph(card.getTranslation("shortkeys.card.text", application.names().iamUser(),
                Durations.words(keys.lifetime()))));
        if (keys.mayGet(application)) {
            Button get = new Button(card.getTranslation("shortkeys.card.get"), VaadinIcon.KEY.create(),
                    e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(ShortTermKeys.path(application.id()))));
            get.setId("get-short-term-key");
            get.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            card.add(get);
        } else {
            Paragraph who = new Paragraph(card.getTranslation("shortkeys.card.ownerOnly", application.owner()));
            who.setId("short-term-keys-owner-only");
            who.addClassName("portal-muted");
            card.add(who);
        }
        return card;
    }

    @Override
    public int order() {
        return -10;
    }
}
