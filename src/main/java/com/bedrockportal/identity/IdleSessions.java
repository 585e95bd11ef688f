package com.bedrockportal.identity;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import com.bedrockportal.shared.BodyLimit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The idle timeout counts what the user does, not what an open tab does by itself: Vaadin's heartbeat (sent every
 * few minutes while a tab is open), the poll of a page that waits for progress (every second or two, for as long as a
 * rotation's overlap or a request's retries last) and push's own connection would keep the container's session alive
 * forever. This filter remembers the last
 * request that was not a heartbeat and, once {@code server.servlet.session.timeout} has passed since then, ends the
 * session before Spring Security reads it, and marks the browser (a cookie) so that the next login asks for the
 * credentials again instead of being completed silently by the IdP's own session. The container timeout stays as a
 * backstop for closed tabs.
 */
@Configuration(proxyBeanMethods = false)
class IdleSessions {

    private static final String SECURITY_CONTEXT =
            HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY;
    static final String LAST_ACTIVITY = IdleSessions.class.getName() + ".lastActivity";
    /** Set when a session ends by the idle timeout; the next login then asks for the credentials (prompt=login). */
    static final String IDLE_LOGOUT_COOKIE = "PORTAL_IDLE_LOGOUT";
    static final int IDLE_LOGOUT_COOKIE_SECONDS = 600;

    /** Whether the browser's last portal session ended by the idle timeout (within the last 10 minutes). */
    static boolean endedByIdleTimeout(HttpServletRequest request) {
        if (request == null || request.getCookies() == null) {
            return false;
        }
        for (Cookie cookie : request.getCookies()) {
            if (IDLE_LOGOUT_COOKIE.equals(cookie.getName())) {
                return true;
            }
        }
        return false;
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> idleSessionFilter(
            @Value("${server.servlet.session.timeout:30m}") Duration timeout, Clock clock,
            ApplicationEventPublisher events) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new IdleSessionFilter(timeout, clock, events));
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 10);
        return registration;
    }

    static final class IdleSessionFilter extends OncePerRequestFilter {
        private final Duration timeout;
        private final Clock clock;
        private final ApplicationEventPublisher events;

        IdleSessionFilter(Duration timeout, Clock clock, ApplicationEventPublisher events) {
            this.timeout = timeout;
            this.clock = clock;
            this.events = events;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            HttpSession session = request.getSession(false);
            if (session != null) {
                long now = clock.millis();
                Object last = session.getAttribute(LAST_ACTIVITY);
                if (last instanceof Long at && now - at > timeout.toMillis()) {
                    // This filter runs before Spring Security: the user is read from the session's security context.
                    String user = session.getAttribute(SECURITY_CONTEXT) instanceof SecurityContext context
                            && context.getAuthentication() != null ? context.getAuthentication().getName() : null;
                    session.invalidate();
                    Cookie marker = new Cookie(IDLE_LOGOUT_COOKIE, "1");
                    marker.setPath("/");
                    marker.setHttpOnly(true);
                    marker.setSecure(request.isSecure());
                    marker.setMaxAge(IDLE_LOGOUT_COOKIE_SECONDS);
                    marker.setAttribute("SameSite", "Lax");
                    response.addCookie(marker);
                    if (user != null) {
                        events.publishEvent(new SecurityEvents.SessionExpired(user, Duration.ofMillis(now - at)));
                    }
                } else if (!BY_ITSELF.contains(vaadinRequestType(request))) {
                    java.util.Optional<byte[]> body = smallUidlBody(request);
                    if (body.isPresent()) {
                        // Read here, so it is handed on to Vaadin as it came.
                        request = new ReadBody(request, body.get());
                    }
                    if (body.isEmpty() || !pollOnly(body.get())) {
                        session.setAttribute(LAST_ACTIVITY, now);
                    }
                }
            }
            chain.doFilter(request, response);
        }

        /**
         * What an open tab sends by itself: Vaadin's keep-alive ({@code POST /?v-r=heartbeat&v-uiId=…}) and push's own
         * connection (websocket or long polling, the server talking to the page).
         */
        private static final java.util.Set<String> BY_ITSELF = java.util.Set.of("heartbeat", "push");

        /** Vaadin's request type, {@code v-r} in the query string (uidl, heartbeat, push…), or "" for none. */
        static String vaadinRequestType(HttpServletRequest request) {
            String query = request.getQueryString();
            if (query != null) {
                for (String part : query.split("&")) {
                    if (part.startsWith("v-r=")) {
                        return part.substring(4);
                    }
                }
            }
            return "";
        }

        /** The body of a UIDL request of at most {@value #MAX_INSPECTED} bytes (a poll's is about 100), read. */
        private static java.util.Optional<byte[]> smallUidlBody(HttpServletRequest request) throws IOException {
            long length = request.getContentLengthLong();
            if (!"POST".equals(request.getMethod()) || length < 0 || length > MAX_INSPECTED
                    || !"uidl".equals(vaadinRequestType(request))) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(request.getInputStream().readNBytes((int) length));
        }

        /**
         * Whether a UIDL message carries nothing but the page's own poll ({@code ui-poll}, sent while a page waits for
         * progress): such a page left alone must not keep its session alive for days. Anything else the user did
         * (a click, a field's value) travels in the same message and counts.
         */
        static boolean pollOnly(byte[] body) {
            try {
                JsonNode rpc = JSON.readTree(body).path("rpc");
                if (!rpc.isArray() || rpc.isEmpty()) {
                    return false;
                }
                for (JsonNode call : rpc) {
                    if (!"event".equals(call.path("type").asText()) || !"ui-poll".equals(call.path("event").asText())) {
                        return false;
                    }
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** Vaadin's poll body is small; a larger UIDL message is activity without being read here. */
    static final int MAX_INSPECTED = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request whose body was read by the filter, handed on as it came. */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;
        private ServletInputStream stream;
        private BufferedReader reader;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            if (stream == null) {
                stream = new BytesInputStream(new ByteArrayInputStream(body));
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() {
            if (reader == null) {
                reader = BodyLimit.reader(this, getInputStream());
            }
            return reader;
        }

    }

    /** The body read by the filter, as a servlet stream. */
    private static final class BytesInputStream extends ServletInputStream {
        private final ByteArrayInputStream in;

        BytesInputStream(ByteArrayInputStream in) {
            this.in = in;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("the body was read already");
        }
    }
}
