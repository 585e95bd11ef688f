package com.bedrockportal.application.ui;

import java.util.List;
import java.util.Optional;

import com.bedrockportal.application.ApplicationOwners;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.HomeCard;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;

/**
 * Home page card for managers: the applications of their units whose owner left, each with the day its working keys
 * are (or were) disabled and a link to hand it over. Shown only when there is one.
 */
@org.springframework.stereotype.Component
class OrphanedApplicationsCard implements HomeCard {

    private final ApplicationOwners owners;
    private final BusinessUnitService units;

    OrphanedApplicationsCard(ApplicationOwners owners, BusinessUnitService units) {
        this.owners = owners;
        this.units = units;
    }

    @Override
    public int order() {
        return 5;
    }

    @Override
    public Optional<Component> render(CurrentUser.Principal user) {
        if (!user.has(PortalRole.MANAGER)) {
            return Optional.empty();
        }
        ApplicationOwners.Orphans all = owners.orphansForMe();
        List<ApplicationOwners.Orphan> orphans = all.shown();
        if (orphans.isEmpty()) {
            return Optional.empty();
        }
        Div card = new Div();
        card.addClassName("portal-card");
        card.setId("home-orphans");
        card.setWidthFull();
        card.getStyle().set("border-left", "4px solid var(--lumo-error-color)");
        card.add(new H3(card.getTranslation("home.orphans.title")),
                new Paragraph(card.getTranslation("home.orphans.text")));
        UnorderedList list = new UnorderedList();
        for (ApplicationOwners.Orphan o : orphans) {
            String unit = units.find(o.application().businessUnitId()).map(BusinessUnit::displayName).orElse("");
            String keys = o.keysDisabledAt() == null
                    ? card.getTranslation("home.orphans.disabledOn", UserTime.format(owners.disableFrom(o)))
                    : card.getTranslation("home.orphans.disabled", UserTime.format(o.keysDisabledAt()));
            Anchor handOver = new Anchor("applications/" + o.application().id(),
                    card.getTranslation("home.orphans.handover"));
            ListItem item = new ListItem(new Span(o.application().displayName() + " (" + unit + ") · "
                    + card.getTranslation("home.orphans.leftOn", o.formerOwner(), UserTime.format(o.flaggedAt()))
                    + " · " + keys + " · "), handOver);
            item.setId("home-orphan-" + o.application().id());
            list.add(item);
        }
        card.add(list);
        if (all.total() > orphans.size()) {
            Paragraph more = new Paragraph(card.getTranslation("home.orphans.more", all.total() - orphans.size(),
                    all.total()));
            more.setId("home-orphans-more");
            card.add(more);
        }
        return Optional.of(card);
    }
}
