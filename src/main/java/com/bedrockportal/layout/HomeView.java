package com.bedrockportal.layout;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/** The start page: for each of the user's roles, what to do next; plus cards contributed by the modules. */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Home · Bedrock Access Portal")
@Menu(title = "nav.home", order = 0, icon = "vaadin:home")
@PermitAll
public class HomeView extends VerticalLayout {

    public HomeView(CurrentUser currentUser, List<HomeCard> cards) {
        addClassName("portal-page");
        setId("home");
        CurrentUser.Principal user = currentUser.get().orElseThrow();
        add(new H2(getTranslation("home.welcome", user.displayName() == null ? user.username() : user.displayName())));

        if (user.roles().isEmpty()) {
            add(section("home.none", "none"));
        }
        for (PortalRole role : PortalRole.values()) {
            if (user.has(role)) {
                String name = role.name().toLowerCase(Locale.ROOT);
                Div card = section("home." + name, name);
                if (role == PortalRole.ADMIN) {
                    // Not a Vaadin route: a full page load into Camunda's web app, same login.
                    Anchor cockpit = new Anchor("/camunda/app/cockpit/default/", getTranslation("home.admin.cockpit"));
                    cockpit.setId("open-cockpit");
                    cockpit.setRouterIgnore(true);
                    card.add(cockpit);
                }
                add(card);
            }
        }
        cards.stream().sorted(Comparator.comparingInt(HomeCard::order))
                .forEach(card -> card.render(user).ifPresent(this::add));
    }

    private Div section(String key, String id) {
        Div card = new Div(new H3(getTranslation(key + ".title")), new Paragraph(getTranslation(key + ".text")));
        card.addClassName("portal-card");
        card.setId("home-" + id);
        card.setWidthFull();
        return card;
    }
}
