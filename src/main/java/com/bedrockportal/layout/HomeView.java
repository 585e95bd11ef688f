package com.bedrockportal.layout;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/**
 * The start page: for each of the user's roles, the counts of what waits for them (contributed by the modules as
 * {@link HomeFigures}, each linking to the filtered page) and the next thing to do; plus cards contributed by the
 * modules.
 */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Home · Bedrock Access Portal")
@Menu(title = "nav.home", order = 0, icon = "vaadin:home")
@PermitAll
public class HomeView extends VerticalLayout {

    /** What to offer when nothing waits: a message key and where it links. */
    private static final Map<PortalRole, String[]> IDLE = Map.of(
            PortalRole.REQUESTER, new String[] { "home.next.idle.requester", "requests/new" },
            PortalRole.MANAGER, new String[] { "home.next.idle.manager", "dashboard" },
            PortalRole.SECURITY, new String[] { "home.next.idle.security", "dashboard" },
            PortalRole.ADMIN, new String[] { "home.next.idle.admin", "admin/business-units" });

    private final transient Clock clock;

    public HomeView(CurrentUser currentUser, List<HomeCard> cards, List<HomeFigures> figureSources, Clock clock) {
        this.clock = clock;
        addClassName("portal-page");
        setId("home");
        CurrentUser.Principal user = currentUser.get().orElseThrow();
        add(new H2(getTranslation("home.welcome", user.displayName() == null ? user.username() : user.displayName())));

        if (user.roles().isEmpty()) {
            add(section("home.none", "none"));
        }
        List<HomeFigure> figures = figureSources.stream().flatMap(s -> s.figures(user).stream())
                .sorted(Comparator.comparingInt(HomeFigure::order)).toList();
        // The role with the most to decide first: a manager's approvals above his own requests.
        List<PortalRole> roles = new java.util.ArrayList<>(List.of(PortalRole.values()));
        java.util.Collections.reverse(roles);
        for (PortalRole role : roles) {
            if (user.has(role)) {
                String name = role.name().toLowerCase(Locale.ROOT);
                Div card = section("home." + name, name);
                List<HomeFigure> mine = figures.stream().filter(f -> f.role() == role).toList();
                card.add(next(role, name, mine));
                if (!mine.isEmpty()) {
                    Div tiles = new Div();
                    tiles.addClassName("portal-tiles");
                    mine.forEach(f -> tiles.add(tile(f)));
                    card.add(tiles);
                }
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

    /** The first thing that waits (lowest order), or the role's usual starting point when nothing does. */
    private Paragraph next(PortalRole role, String name, List<HomeFigure> figures) {
        Optional<HomeFigure> first = figures.stream().filter(f -> f.nextKey() != null && f.waiting()).findFirst();
        Anchor link;
        if (first.isPresent()) {
            HomeFigure f = first.get();
            String age = f.oldest() == null ? "" : Ages.of(this, f.oldest(), clock.instant());
            link = new Anchor(f.href(), getTranslation(f.nextKey(), orZero(f.count()), age));
        } else {
            String[] idle = IDLE.get(role);
            link = new Anchor(idle[1], getTranslation(idle[0]));
        }
        link.setId("home-" + name + "-next-link");
        Span label = new Span(getTranslation("home.next") + " ");
        label.getStyle().set("font-weight", "600");
        Paragraph p = new Paragraph(label, link);
        p.setId("home-" + name + "-next");
        p.getElement().setAttribute("data-waiting", String.valueOf(first.isPresent()));
        return p;
    }

    private Anchor tile(HomeFigure f) {
        Span number = new Span(f.count() == null ? "–" : String.format(Locale.ENGLISH, "%,d", f.count()));
        number.addClassName("portal-tile-value");
        number.getElement().setAttribute("data-value", f.count() == null ? "" : Long.toString(f.count()));
        Span label = new Span(getTranslation(f.labelKey(), orZero(f.count())));
        label.addClassName("portal-tile-label");
        Anchor a = new Anchor(f.href(), number, label);
        if (f.oldest() != null && f.waiting()) {
            Span note = new Span(getTranslation("home.oldest", Ages.of(this, f.oldest(), clock.instant())));
            note.addClassName("portal-tile-note");
            a.add(note);
        }
        a.addClassName("portal-tile");
        if (f.waiting()) {
            a.addClassName("portal-tile-waiting");
        }
        a.setId("home-fig-" + f.id());
        return a;
    }

    private static Long orZero(Long count) {
        return count == null ? Long.valueOf(0L) : count;
    }

    private Div section(String key, String id) {
        Paragraph text = new Paragraph(getTranslation(key + ".text"));
        text.addClassName("portal-muted");
        Div card = new Div(new H3(getTranslation(key + ".title")), text);
        card.addClassName("portal-card");
        card.setId("home-" + id);
        card.setWidthFull();
        return card;
    }
}
