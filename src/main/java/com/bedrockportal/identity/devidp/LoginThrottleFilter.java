package com.bedrockportal.identity.devidp;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Before the login form's password is checked: waits as long as the {@link LoginThrottle} demands, or refuses the
 * attempt without checking it (and says so on the login page).
 */
final class LoginThrottleFilter extends OncePerRequestFilter {

    private final LoginThrottle throttle;
    private final EmbeddedIdpSettings.LoginListener listener;

    LoginThrottleFilter(LoginThrottle throttle, EmbeddedIdpSettings.LoginListener listener) {
        this.throttle = throttle;
        this.listener = listener;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String username = request.getParameter("username");
        LoginThrottle.Admission admission;
        try {
            admission = throttle.admit(username, request.getRemoteAddr());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        if (admission.refused()) {
            listener.attempt(username, request.getRemoteAddr(), false,
                    "refused without checking the password: too many failed logins for this user or address");
            response.sendRedirect("/login?error=wait");
            return;
        }
        chain.doFilter(request, response);
    }
}
