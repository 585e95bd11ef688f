package com.bedrockportal.identity.devidp;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Before the login form's password is checked: waits as long as the {@link LoginThrottle} demands, or refuses the
 * attempt without checking it (and says so on the login page).
 */
final class LoginThrottleFilter extends ThrottledAttempts {

    LoginThrottleFilter(LoginThrottle throttle, EmbeddedIdpSettings.LoginListener listener) {
        super(throttle, listener);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String username = request.getParameter("username");
        LoginThrottle.Admission admission = admit(username, request.getRemoteAddr(), response);
        if (admission == null) {
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
