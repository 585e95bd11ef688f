package com.bedrockportal.businessunit.ui;

import java.util.List;
import java.util.Optional;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.HomeCard;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;


/** Home page card: the units a requester or manager belongs to. */
@org.springframework.stereotype.Component
class YourUnitsCard implements HomeCard {

    private final BusinessUnitService service;

    YourUnitsCard(BusinessUnitService service) {
        this.service = service;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Optional<com.vaadin.flow.component.Component> render(CurrentUser.Principal user) {
        if (!user.has(PortalRole.REQUESTER) && !user.has(PortalRole.MANAGER)) {
            return Optional.empty();
        }
        List<BusinessUnit> units = service.unitsOf(user.username());
        Div card = new Div();
        card.addClassName("portal-card");
        card.setId("home-units");
        card.setWidthFull();
        card.add(new H3(card.getTranslation("home.units.title")));
        if (units.isEmpty()) {
            card.add(new Paragraph(card.getTranslation("home.units.empty")));
            return Optional.of(card);
        }
        List<String> memberOf = units.stream().filter(u -> u.members().contains(user.username()))
                .map(BusinessUnit::displayName).toList();
        List<String> managerOf = units.stream().filter(u -> u.managers().contains(user.username()))
                .map(BusinessUnit::displayName).toList();
        if (!memberOf.isEmpty()) {
            card.add(line(card.getTranslation("home.units.member"), memberOf));
        }
        if (!managerOf.isEmpty()) {
            card.add(line(card.getTranslation("home.units.manager"), managerOf));
        }
        return Optional.of(card);
    }

    private static Paragraph line(String label, List<String> names) {
        Span strong = new Span(label + ": ");
        strong.getStyle().set("font-weight", "600");
        return new Paragraph(strong, new Span(String.join(", ", names)));
    }
}
