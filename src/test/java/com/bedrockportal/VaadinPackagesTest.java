package com.bedrockportal;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.bedrockportal.layout.PortalShell;
import com.bedrockportal.testsupport.PortalClasses;
import com.vaadin.flow.component.WebComponentExporter;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.spring.annotation.EnableVaadin;
import com.vaadin.flow.theme.Theme;

import org.junit.jupiter.api.Test;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.util.AntPathMatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vaadin looks for views, error pages and the page shell only in the packages {@link PortalApplication}'s
 * {@code @EnableVaadin} names. A view outside them would not be found: no route, a "not found" page instead. Every
 * class of those kinds in the portal must lie in one of them.
 */
class VaadinPackagesTest {

    @Test
    void everyViewErrorPageAndThePageShellLieWhereVaadinLooks() {
        List<String> scanned = Arrays.asList(PortalApplication.class.getAnnotation(EnableVaadin.class).value());
        AntPathMatcher paths = new AntPathMatcher(".");
        Set<String> vaadinTypes = vaadinTypes();
        assertThat(vaadinTypes).as("the scan finds the portal's views and its shell").contains(
                "com.bedrockportal.layout.HomeView", "com.bedrockportal.request.ui.RequestFormView",
                PortalShell.class.getName()).hasSizeGreaterThan(20);
        assertThat(vaadinTypes).allSatisfy(type -> assertThat(scanned).as(type).anyMatch(pattern -> {
            String typePackage = type.substring(0, type.lastIndexOf('.'));
            return paths.match(pattern, typePackage) || paths.match(pattern + ".**", typePackage);
        }));
    }

    /** What Vaadin's start-up scan looks for, found in the whole portal. */
    private static Set<String> vaadinTypes() {
        return PortalClasses.matching(new AnnotationTypeFilter(Route.class), new AnnotationTypeFilter(RouteAlias.class),
                new AnnotationTypeFilter(Theme.class), new AnnotationTypeFilter(Push.class),
                new AssignableTypeFilter(HasErrorParameter.class), new AssignableTypeFilter(AppShellConfigurator.class),
                new AssignableTypeFilter(WebComponentExporter.class));
    }
}
