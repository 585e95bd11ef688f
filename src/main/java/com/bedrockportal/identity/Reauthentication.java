package com.bedrockportal.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.web.savedrequest.SimpleSavedRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * "Log in again" before sensitive actions (revealing a key). A fresh login is one that went through the IdP with
 * {@code prompt=login} / {@code max_age=0}, recorded in the HTTP session when it completes; silent SSO logins do
 * not count.
 */
@Component
public class Reauthentication {

    /** The HTTP session attribute holding the time of the last login with prompt=login. */
    public static final String SESSION_ATTRIBUTE = Reauthentication.class.getName() + ".at";
    static final String REQUEST_PARAMETER = "reauth";
    private static final String SAVED_REQUEST = "SPRING_SECURITY_SAVED_REQUEST";

    private final Clock clock;

    Reauthentication(Clock clock) {
        this.clock = clock;
    }

    /** Whether the user logged in again within {@code maxAge}. */
    public boolean isFresh(Duration maxAge) {
        HttpSession session = session(false);
        Object at = session == null ? null : session.getAttribute(SESSION_ATTRIBUTE);
        return at instanceof Instant instant && instant.plus(maxAge).isAfter(clock.instant());
    }

    /**
     * The URL that sends the user through the IdP's login again and then back to {@code returnPath}.
     */
    public String start(String returnPath) {
        HttpServletRequest request = request();
        String base = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
        session(true).setAttribute(SAVED_REQUEST, new SimpleSavedRequest(base + "/" + returnPath));
        return "/oauth2/authorization/" + OidcClientConfig.REGISTRATION_ID + "?" + REQUEST_PARAMETER + "=1";
    }

    /** Called when a login requested with prompt=login completes. */
    void recordFreshLogin() {
        session(true).setAttribute(SESSION_ATTRIBUTE, clock.instant());
    }

    private static HttpSession session(boolean create) {
        HttpServletRequest request = request();
        return request == null ? null : request.getSession(create);
    }

    /** The current request while the security filters handle it (they run outside Spring MVC). */
    private static final ThreadLocal<HttpServletRequest> SECURITY_REQUEST = new ThreadLocal<>();

    static jakarta.servlet.Filter requestExposingFilter() {
        return new org.springframework.web.filter.OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
                    jakarta.servlet.FilterChain chain) throws jakarta.servlet.ServletException, java.io.IOException {
                SECURITY_REQUEST.set(request);
                try {
                    chain.doFilter(request, response);
                } finally {
                    SECURITY_REQUEST.remove();
                }
            }
        };
    }

    /** Whether the login being started was asked for with {@code ?reauth=1}. */
    static boolean requested() {
        HttpServletRequest request = request();
        return request != null && request.getParameter(REQUEST_PARAMETER) != null;
    }

    private static HttpServletRequest request() {
        if (SECURITY_REQUEST.get() != null) {
            return SECURITY_REQUEST.get();
        }
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

}
