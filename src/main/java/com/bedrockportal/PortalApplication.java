package com.bedrockportal;

import com.bedrockportal.layout.ColourTheme;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Inline;
import com.vaadin.flow.component.page.Meta;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.component.page.TargetElement;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.Theme;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.modulith.Modulithic;

/**
 * The Bedrock Access Portal. The embedded login provider ({@code identity.devidp}) runs in a context of its own and
 * is kept out of this component scan: the {@code @ComponentScan} declared here replaces the one
 * {@code @SpringBootApplication} brings (Spring Modulith's module tests look for {@code @SpringBootApplication}).
 */
@SpringBootApplication(exclude = { OAuth2AuthorizationServerAutoConfiguration.class,
        OAuth2AuthorizationServerJwtAutoConfiguration.class })
@ComponentScan(excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.REGEX, pattern = "com\\.bedrockportal\\.identity\\.devidp\\..*") })
@ConfigurationPropertiesScan
@Modulithic(systemName = "Bedrock Access Portal", sharedModules = "shared")
@Theme("portal")
@Push
@Meta(name = "referrer", content = "same-origin")
public class PortalApplication implements AppShellConfigurator {

    static {
        // Camunda resolves timer due dates with DatatypeFactory.newInstance(), which without this property searches
        // every jar of the class path for a provider on each call (4 % of the job threads' CPU under load, issue 16).
        // No jar provides one: this names the JDK's own, which the search ends with anyway.
        if (System.getProperty(javax.xml.datatype.DatatypeFactory.DATATYPEFACTORY_PROPERTY) == null) {
            System.setProperty(javax.xml.datatype.DatatypeFactory.DATATYPEFACTORY_PROPERTY,
                    javax.xml.datatype.DatatypeFactory.DATATYPEFACTORY_IMPLEMENTATION_CLASS);
        }
    }

    public static void main(String[] args) {
        SpringApplication.run(PortalApplication.class, args);
    }

    /**
     * The colour theme is set before the first paint: the script in the page's head applies Lumo's dark theme when
     * the user chose dark, or chose nothing and the system prefers dark, and follows the system setting as it changes.
     */
    @Override
    public void configurePage(AppShellSettings settings) {
        settings.addInlineWithContents(TargetElement.HEAD, Inline.Position.PREPEND, ColourTheme.SCRIPT,
                Inline.Wrapping.JAVASCRIPT);
    }
}
