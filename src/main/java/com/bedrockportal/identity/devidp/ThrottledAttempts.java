package com.bedrockportal.identity.devidp;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/** What the login form's and the clients' throttle filters share: the throttle, the listener, the admission. */
abstract class ThrottledAttempts extends OncePerRequestFilter {

    protected final LoginThrottle throttle;
    protected final EmbeddedIdpSettings.LoginListener listener;

    ThrottledAttempts(LoginThrottle throttle, EmbeddedIdpSettings.LoginListener listener) {
        this.throttle = throttle;
        this.listener = listener;
    }

    /**
     * Waits as long as the throttle demands; null when the wait was interrupted (503 sent, the request ends).
     * {@code address} null: counted per name only.
     */
    protected LoginThrottle.Admission admit(String name, String address, HttpServletResponse response)
            throws IOException {
        try {
            return throttle.admit(name, address);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return null;
        }
    }
}
