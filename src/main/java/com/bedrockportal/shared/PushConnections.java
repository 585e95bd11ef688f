package com.bedrockportal.shared;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.atmosphere.cpr.AtmosphereFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What each open page's connections cost the server: its push connection (Vaadin's Atmosphere websocket, one per open
 * page, held for as long as the page is open) and the HTTP connections the browser keeps alive beside it. Found by
 * following every large array of heap dumps with 30 and 40 logged-in sessions back to its owner (issue 16):
 * <ul>
 * <li><b>Atmosphere's own buffers.</b> Every Atmosphere {@code WebSocket} allocates a byte and a char buffer of
 * {@code org.atmosphere.websocket.bufferSize}, which Vaadin fixes at 16 KB (48 KB of heap per connection). Over
 * JSR 356, as here, messages arrive whole and neither buffer is read: they are only cleared on close, and
 * Atmosphere grows them itself should a container ever stream a message into them. They start at
 * {@link #ATMOSPHERE_BUFFER_BYTES} instead.</li>
 * <li><b>permessage-deflate.</b> Tomcat agrees to compress every websocket the browser offers to: a zlib deflater
 * and inflater per connection, about 48 KB of heap (the inflater's 32 KB window, two 8 KB buffers) and zlib's native
 * state outside the heap (measured with 40 sessions: 56 KB of heap and 150 KB of RSS more per session), for push
 * messages of a few hundred bytes. The offer is declined unless {@code portal.push.websocket-compression} is true,
 * by removing {@code Sec-WebSocket-Extensions} from every request (the header means something only on a websocket
 * upgrade, the portal's only websocket is Vaadin's push, and the request is the only place Tomcat's negotiation can
 * be reached without replacing Atmosphere's endpoint). The ordinary HTTP responses (the page, its scripts, every
 * UIDL round trip) are not affected.</li>
 * <li><b>Tomcat's message buffers.</b> Tomcat gives every websocket a binary and a text message buffer at the
 * container's default size (8 KB and 8 K characters: 24 KB of heap) before Atmosphere sets the session's limits
 * (Vaadin's 16 KB), and makes them the session's size only when a data message arrives. Vaadin's push sends the
 * browser's messages by XHR ({@code @Push}'s default {@code WEBSOCKET_XHR}), so the websocket carries messages to the
 * browser only and these buffers stay unused for the page's life. The container's default is
 * {@link #TOMCAT_MESSAGE_BUFFER} instead; the session's limit, and with it the largest message accepted, stays
 * Vaadin's.</li>
 * <li><b>Tomcat's websocket frame buffers.</b> Every websocket also gets an input, an output and an encoding buffer
 * of {@code org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE} (8 KB each: 24 KB of heap). The page's messages to the
 * server come by XHR, so the input buffer sees only control frames; a push message larger than the output buffer is
 * sent as several frames of a message, which the browser joins. The size is a JVM-wide system property that Tomcat
 * reads once, when its websocket classes load, so {@link WebsocketBuffers} sets it to {@link #WEBSOCKET_BUFFER_BYTES}
 * while the application's environment is prepared, before any web server exists, unless it was set at launch
 * ({@code -Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=...}), which wins.</li>
 * <li><b>Tomcat's cache of closed connections.</b> Each connection has an 8 KB read and an 8 KB write buffer. When a
 * connection closes, Tomcat keeps its channel and both buffers for the next one, as many as 1/32 of the maximum heap
 * holds when that is over 2 GB (none below): with the shipped flags on a 24 GB machine, some 36,000 channels. So the
 * buffers of every connection that was ever open at the busiest moment stay in the heap for good, growing with the
 * peak number of open pages rather than the current one (in a heap dump with 30 sessions, 39 of 124 connection
 * buffers belonged to closed connections). The cache is off ({@code socket.bufferPool} 0, what Tomcat itself
 * chooses for heaps under 2 GB): a new connection allocates its 16 KB, which the young generation reclaims after it
 * closes.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class PushConnections {

    private static final Logger log = LoggerFactory.getLogger(PushConnections.class);

    static final String ATMOSPHERE_BUFFER = "org.atmosphere.websocket.bufferSize";
    static final int ATMOSPHERE_BUFFER_BYTES = 1024;
    static final String EXTENSIONS = "Sec-WebSocket-Extensions";
    static final int TOMCAT_MESSAGE_BUFFER = 1024;
    static final String WEBSOCKET_BUFFER = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";
    static final int WEBSOCKET_BUFFER_BYTES = 2048;
    static final String CHANNEL_CACHE = "socket.bufferPool";

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> noClosedChannelCache() {
        return factory -> factory.addConnectorCustomizers(connector -> connector.setProperty(CHANNEL_CACHE, "0"));
    }

    /** Read by Tomcat's websocket container when the servlet context starts (after this initializer). */
    @Bean
    ServletContextInitializer tomcatMessageBuffers() {
        return servletContext -> {
            servletContext.setInitParameter("org.apache.tomcat.websocket.binaryBufferSize",
                    Integer.toString(TOMCAT_MESSAGE_BUFFER));
            servletContext.setInitParameter("org.apache.tomcat.websocket.textBufferSize",
                    Integer.toString(TOMCAT_MESSAGE_BUFFER));
        };
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> websocketCompression(
            @Value("${portal.push.websocket-compression:false}") boolean compression) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new DeclineCompression());
        registration.setEnabled(!compression);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 6);
        return registration;
    }

    @Bean
    SmartLifecycle atmosphereBuffers(ServletContext servletContext) {
        return new AtmosphereBuffers(servletContext);
    }

    /** Runs before the web server starts (phase 0), after Vaadin has made its Atmosphere framework. */
    static final class AtmosphereBuffers implements SmartLifecycle {
        private final ServletContext servletContext;
        private volatile boolean running;

        AtmosphereBuffers(ServletContext servletContext) {
            this.servletContext = servletContext;
        }

        @Override
        public void start() {
            List<AtmosphereFramework> frameworks = frameworks(servletContext);
            if (frameworks.isEmpty() && servletContext.getClass().getName().startsWith("org.apache.catalina")) {
                log.warn("No Atmosphere framework of Vaadin's found: push websockets keep Vaadin's 16 KB buffers");
            }
            // Read by every new WebSocket from this live map, ahead of the servlet's own parameters.
            frameworks.forEach(a -> a.addInitParameter(ATMOSPHERE_BUFFER, Integer.toString(ATMOSPHERE_BUFFER_BYTES)));
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return 0;
        }
    }

    /** The Atmosphere frameworks Vaadin made for its servlets, kept as servlet context attributes. */
    static List<AtmosphereFramework> frameworks(ServletContext servletContext) {
        return Collections.list(servletContext.getAttributeNames()).stream().map(servletContext::getAttribute)
                .filter(AtmosphereFramework.class::isInstance).map(AtmosphereFramework.class::cast).toList();
    }

    static final class DeclineCompression extends OncePerRequestFilter {
        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return request.getHeader(EXTENSIONS) == null;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            chain.doFilter(new WithoutExtensions(request), response);
        }
    }

    /**
     * Sets Tomcat's websocket buffer size (see the class comment) unless the JVM was launched with one. Registered in
     * {@code META-INF/spring.factories}: it runs when the environment is prepared, before the web server and its
     * websocket classes exist.
     */
    static final class WebsocketBuffers implements EnvironmentPostProcessor {
        @Override
        public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
            if (System.getProperty(WEBSOCKET_BUFFER) == null) {
                System.setProperty(WEBSOCKET_BUFFER, Integer.toString(WEBSOCKET_BUFFER_BYTES));
            }
        }
    }

    /** The upgrade request as if the browser had offered no websocket extension. */
    static final class WithoutExtensions extends HttpServletRequestWrapper {
        WithoutExtensions(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return EXTENSIONS.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return EXTENSIONS.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(EXTENSIONS::equalsIgnoreCase);
            return Collections.enumeration(names);
        }
    }
}
