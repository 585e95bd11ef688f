package com.bedrockportal.identity.camunda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import com.bedrockportal.identity.SecurityEvents;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.camunda.bpm.webapp.impl.security.filter.util.CsrfConstants;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs inside the Camunda filter chain, after Spring Security let an ADMIN through and before Camunda's own filters.
 * <ul>
 * <li>A state-changing call to {@code /camunda/api} must carry Camunda's CSRF header matching the session's token.
 * Camunda's own filter invalidates the whole (shared) session when the header is missing, so a page on another port
 * of the same host could log an admin out of the portal; this filter refuses such calls first, with 403, and leaves
 * the session alone.</li>
 * <li>Every call the engine refuses (401/403: the read-only authorizations, closed deployments) is audited.</li>
 * </ul>
 */
public final class CamundaGuardFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final ApplicationEventPublisher events;

    public CamundaGuardFilter(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = com.bedrockportal.shared.RequestPaths.of(request);
        String target = request.getMethod() + " " + path;
        if (path.startsWith("/camunda/api/") && !SAFE_METHODS.contains(request.getMethod())
                && !csrfHeaderMatches(request)) {
            events.publishEvent(new SecurityEvents.CamundaRefused(user(), target,
                    "missing or wrong X-XSRF-TOKEN header; the session was kept"));
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        chain.doFilter(request, response);
        int status = response.getStatus();
        if (status == HttpServletResponse.SC_FORBIDDEN || status == HttpServletResponse.SC_UNAUTHORIZED) {
            events.publishEvent(new SecurityEvents.CamundaRefused(user(), target,
                    "HTTP " + status + " from Camunda (portal admins have read-only access)"));
        }
    }

    private static boolean csrfHeaderMatches(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object expected = session == null ? null : session.getAttribute(CsrfConstants.CSRF_TOKEN_SESSION_ATTR_NAME);
        String given = request.getHeader(CsrfConstants.CSRF_TOKEN_HEADER_NAME);
        return expected instanceof String token && given != null && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static String user() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null ? null : auth.getName();
    }
}
