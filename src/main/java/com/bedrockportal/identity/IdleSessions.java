package com.bedrockportal.identity;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
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
 * few minutes while a tab is open) keeps the container's session alive forever. This filter remembers the last
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
                } else if (!isHeartbeat(request)) {
                    session.setAttribute(LAST_ACTIVITY, now);
                }
            }
            chain.doFilter(request, response);
        }

        /** Vaadin's keep-alive: {@code POST /?v-r=heartbeat&v-uiId=…}. */
        static boolean isHeartbeat(HttpServletRequest request) {
            String query = request.getQueryString();
            return query != null && (query.startsWith("v-r=heartbeat") || query.contains("&v-r=heartbeat"));
        }
    }
}
