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
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What each open page's push connection (Vaadin's Atmosphere websocket, one per open page, held for as long as the
 * page is open) costs the server, found by following every large array of a heap dump with 40 logged-in sessions
 * back to its owner (issue 16):
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
