package com.bedrockportal.identity;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;

/** The logged-in user, from Spring Security's context. */
@Component
public class CurrentUser {

    /** Who is acting. */
    public record Principal(String username, String displayName, String email, Set<PortalRole> roles) {
        public boolean has(PortalRole role) {
            return roles.contains(role);
        }
    }

    public Optional<Principal> get() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
            return Optional.empty();
        }
        return Optional.of(from(auth));
    }

    /** The username, or "anonymous". */
    public String usernameOrAnonymous() {
        return get().map(Principal::username).orElse("anonymous");
    }

    public boolean has(PortalRole role) {
        return get().map(p -> p.has(role)).orElse(false);
    }

    static Principal from(Authentication auth) {
        Set<PortalRole> roles = EnumSet.noneOf(PortalRole.class);
        for (GrantedAuthority a : auth.getAuthorities()) {
            for (PortalRole r : PortalRole.values()) {
                if (r.authority().equals(a.getAuthority())) {
                    roles.add(r);
                }
            }
        }
        if (auth.getPrincipal() instanceof OidcUser oidc) {
            return new Principal(auth.getName(), oidc.getFullName(), oidc.getEmail(), roles);
        }
        return new Principal(auth.getName(), auth.getName(), null, roles);
    }
}
