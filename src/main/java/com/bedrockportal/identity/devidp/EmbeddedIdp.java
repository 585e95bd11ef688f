package com.bedrockportal.identity.devidp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Starts the embedded OIDC provider as a sibling application context (no parent), so none of the portal's beans,
 * security chains or settings leak into it and vice versa.
 */
public final class EmbeddedIdp {

    private EmbeddedIdp() {
    }

    /** A started provider; close it when the portal stops. */
    public record Running(ConfigurableApplicationContext context, String issuer) implements AutoCloseable {
        @Override
        public void close() {
            context.close();
        }
    }

    /**
     * Starts the provider. The issuer is fixed before it starts, {@code http://<host>:<port>}; port 0 is replaced
     * by a free port first.
     */
    public static Running start(EmbeddedIdpSettings requested) {
        EmbeddedIdpSettings settings = requested.port() == 0
                ? requested.withPort(freePort(requested.bindAddress())) : requested;
        Map<String, Object> props = new LinkedHashMap<>();
        // Its own config name, so it ignores the portal's application.yml.
        props.put("spring.config.name", "embedded-idp");
        props.put("server.port", settings.port());
        props.put("server.address", settings.bindAddress());
        // Cookies are per host, not per port: with both on JSESSIONID the two sessions overwrite each other.
        props.put("server.servlet.session.cookie.name", "IDP_SESSION");
        props.put("server.servlet.session.cookie.same-site", "lax");
        props.put("server.error.whitelabel.enabled", true);
        props.put("spring.main.banner-mode", "off");
        props.put("spring.jmx.enabled", false);
        props.put("spring.application.name", "embedded-idp");

        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("embeddedIdp", props));

        SpringApplication app = new SpringApplication(EmbeddedIdpConfig.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        app.setEnvironment(environment);
        app.setBannerMode(Banner.Mode.OFF);
        app.setRegisterShutdownHook(false);
        app.setLogStartupInfo(false);
        app.addInitializers(ctx -> ctx.getBeanFactory().registerSingleton("embeddedIdpSettings", settings));
        ConfigurableApplicationContext context = app.run();
        return new Running(context, settings.issuer());
    }

    /** A port nobody listens on now (the issuer must be known before the server starts). */
    private static int freePort(String bindAddress) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + bindAddress + " for the embedded login provider", e);
        }
    }
}
