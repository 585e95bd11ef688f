package com.bedrockportal;

import com.vaadin.flow.spring.annotation.EnableVaadin;

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
@EnableVaadin({ PortalApplication.VIEWS, PortalApplication.LAYOUT })
public class PortalApplication {

    /**
     * Where Vaadin looks for views, error pages and the page shell ({@code layout.PortalShell}) when it starts. It
     * read each class of the whole portal five times, once per kind of thing it looks for (about 1 s of a start on
     * 2 cores, issue 16); views live in a feature's {@code ui} package or in {@code layout}, which
     * {@code VaadinPackagesTest} holds every view to.
     */
    static final String VIEWS = "com.bedrockportal.*.ui";
    static final String LAYOUT = "com.bedrockportal.layout";

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
}
