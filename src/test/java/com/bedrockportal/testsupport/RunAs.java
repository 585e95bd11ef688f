package com.bedrockportal.testsupport;

import java.util.Arrays;
import java.util.function.Supplier;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/** Runs service calls as a given user with given portal roles, for service-level tests. */
public final class RunAs {

    private RunAs() {
    }

    public static <T> T user(String username, Supplier<T> action, String... roles) {
        SecurityContext previous = SecurityContextHolder.getContext();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(username, "n/a",
                Arrays.stream(roles).map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList()));
        SecurityContextHolder.setContext(context);
        try {
            return action.get();
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    /**
     * As {@link #user(String, Supplier, String...)}, in a request whose session says the user logged in again just now
     * (what the reveal and other step-up actions ask for).
     */
    public static <T> T afterFreshLogin(String username, Supplier<T> action, String... roles) {
        org.springframework.mock.web.MockHttpServletRequest request = new org.springframework.mock.web
                .MockHttpServletRequest();
        request.getSession(true).setAttribute(com.bedrockportal.identity.Reauthentication.SESSION_ATTRIBUTE,
                java.time.Instant.now());
        org.springframework.web.context.request.RequestContextHolder.setRequestAttributes(
                new org.springframework.web.context.request.ServletRequestAttributes(request));
        try {
            return user(username, action, roles);
        } finally {
            org.springframework.web.context.request.RequestContextHolder.resetRequestAttributes();
        }
    }

    public static void user(String username, Runnable action, String... roles) {
        user(username, () -> {
            action.run();
            return null;
        }, roles);
    }
}
