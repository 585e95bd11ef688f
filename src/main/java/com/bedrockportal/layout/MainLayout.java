package com.bedrockportal.layout;

import java.util.Comparator;
import java.util.stream.Collectors;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.shared.PortalProperties;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.HasElement;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.RouteConfiguration;
import com.vaadin.flow.server.auth.AccessAnnotationChecker;
import com.vaadin.flow.spring.security.AuthenticationContext;

/**
 * The portal's frame: navigation filtered by the user's roles (each view declares its {@code @Menu} entry and its
 * access annotation; the menu shows only what the user may open), the user's name and roles, logout, and the
 * SANDBOX badge while AWS is simulated.
 */
public class MainLayout extends AppLayout {

    private final transient AuthenticationContext authentication;

    public MainLayout(CurrentUser currentUser, AuthenticationContext authentication, PortalProperties properties,
            AccessAnnotationChecker accessChecker, java.util.List<NavbarWidget> widgets) {
        this.authentication = authentication;
        setPrimarySection(Section.DRAWER);

        // On a phone the short name leaves room for the SANDBOX badge and the bell (styles.css switches them).
        Span longName = new Span(getTranslation("app.name"));
        longName.addClassName("portal-brand-long");
        Span shortName = new Span(getTranslation("app.name.short"));
        shortName.addClassName("portal-brand-short");
        H1 brand = new H1(longName, shortName);
        brand.addClassName("portal-brand");
        HorizontalLayout navbar = new HorizontalLayout(new DrawerToggle(), brand);
        navbar.setAlignItems(FlexComponent.Alignment.CENTER);
        navbar.addClassName("portal-navbar");
        navbar.setWidthFull();
        navbar.setPadding(false);
        navbar.getStyle().set("padding-right", "var(--lumo-space-m)");
        Div spacer = new Div();
        navbar.add(spacer);
        navbar.setFlexGrow(1, spacer);
        if (properties.sandbox()) {
            Span badge = new Span(getTranslation("layout.sandbox"));
            badge.getElement().getThemeList().add("badge pill");
            badge.addClassName("portal-sandbox-badge");
            badge.setId("sandbox-badge");
            badge.getElement().setAttribute("title", getTranslation("layout.sandbox.tooltip"));
            navbar.add(badge);
        }
        navbar.add(new ColourTheme());
        currentUser.get().ifPresent(p -> widgets.forEach(w -> w.create(p).ifPresent(navbar::add)));
        addToNavbar(navbar);

        SideNav nav = new SideNav();
        nav.setId("main-nav");
        // Each view declares its own @Menu entry and access annotation; list those this user may open.
        RouteConfiguration.forApplicationScope().getAvailableRoutes().stream()
                .filter(route -> route.getNavigationTarget().isAnnotationPresent(Menu.class))
                .filter(route -> accessChecker.hasAccess(route.getNavigationTarget()))
                .sorted(Comparator.comparingDouble(route -> route.getNavigationTarget().getAnnotation(Menu.class).order()))
                .forEach(route -> {
                    Menu menu = route.getNavigationTarget().getAnnotation(Menu.class);
                    SideNavItem item = new SideNavItem(getTranslation(menu.title()), "/" + route.getTemplate());
                    item.setPrefixComponent(new Icon(menu.icon()));
                    item.getElement().setAttribute("data-label", getTranslation(menu.title()));
                    nav.addItem(item);
                });

        Div user = new Div();
        user.addClassName("portal-user");
        currentUser.get().ifPresent(p -> {
            Span name = new Span(p.displayName() == null ? p.username() : p.displayName());
            name.addClassName("portal-user-name");
            name.setId("current-user-name");
            Span roles = new Span(p.roles().isEmpty() ? getTranslation("layout.roles.none")
                    : p.roles().stream().map(r -> getTranslation("role." + r.name())).sorted()
                            .collect(Collectors.joining(", ")));
            roles.addClassName("portal-user-roles");
            roles.setId("current-user-roles");
            user.add(name, roles);
        });
        // The REST API's documentation (Swagger UI, served by Spring MVC: a plain link, not a route).
        com.vaadin.flow.component.html.Anchor api = new com.vaadin.flow.component.html.Anchor("/api-docs/ui",
                getTranslation("layout.api"));
        api.setRouterIgnore(true);
        api.setId("api-docs-link");
        api.addClassName("portal-user-api");
        user.add(api);
        Button logout = new Button(getTranslation("layout.logout"), new Icon(VaadinIcon.SIGN_OUT),
                e -> this.authentication.logout());
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        logout.setId("logout");
        user.add(logout);

        Scroller scroller = new Scroller(nav);
        addToDrawer(scroller, user);
    }

    /** The view is the page's main landmark (screen readers jump to it; the drawer is the navigation). */
    @Override
    public void showRouterLayoutContent(HasElement content) {
        super.showRouterLayoutContent(content);
        if (content != null) {
            content.getElement().setAttribute("role", "main");
        }
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        UserTime.captureBrowserZone(attachEvent.getUI());
    }
}
