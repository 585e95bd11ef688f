package com.bedrockportal.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Runs work as a known portal user with the roles of their last login, for a caller that proved who they are another
 * way (a signed chat interaction mapped by e-mail). The services' own role and rule checks apply as for the page.
 */
public final class ActingUser {

    private ActingUser() {
    }

    public static <T> T run(UserDirectory.KnownUser user, Supplier<T> work) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String role : user.roles() == null ? new String[0] : user.roles().split(",")) {
            for (PortalRole r : PortalRole.values()) {
                if (r.name().equals(role.strip())) {
                    authorities.add(new SimpleGrantedAuthority(r.authority()));
                }
            }
        }
        SecurityContext previous = SecurityContextHolder.getContext();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user.username(), null,
                authorities));
        SecurityContextHolder.setContext(context);
        try {
            return work.get();
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }
}
