package com.bedrockportal.identity;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The idle timeout counts what the user does, not what an open tab does by itself: Vaadin's heartbeat (sent every
 * few minutes while a tab is open) keeps the container's session alive forever. This filter remembers the last
 * request that was not a heartbeat and, once {@code server.servlet.session.timeout} has passed since then, ends the
 * session before Spring Security reads it; the tab then shows Vaadin's "session expired" and the next click goes to
 * the login page. The container timeout stays as a backstop for closed tabs.
 */
@Configuration(proxyBeanMethods = false)
class IdleSessions {

    static final String LAST_ACTIVITY = IdleSessions.class.getName() + ".lastActivity";

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
                    String user = request.getUserPrincipal() == null ? null : request.getUserPrincipal().getName();
                    session.invalidate();
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
