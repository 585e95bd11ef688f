package com.bedrockportal.identity;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;

/**
 * Maps the IdP's groups claim to portal roles ({@code ROLE_REQUESTER} …), per {@code portal.identity.groups.*}.
 * Groups that map to no role grant nothing.
 */
class GroupsAuthoritiesMapper implements GrantedAuthoritiesMapper {

    private final IdentityProperties props;

    GroupsAuthoritiesMapper(IdentityProperties props) {
        this.props = props;
    }

    @Override
    public Collection<? extends GrantedAuthority> mapAuthorities(Collection<? extends GrantedAuthority> authorities) {
        Set<GrantedAuthority> mapped = new HashSet<>(authorities);
        for (GrantedAuthority authority : authorities) {
            if (authority instanceof OidcUserAuthority oidc) {
                Collection<String> groups = groups(oidc.getIdToken().getClaims().get(props.groupsClaim()));
                if (oidc.getUserInfo() != null && groups.isEmpty()) {
                    groups = groups(oidc.getUserInfo().getClaims().get(props.groupsClaim()));
                }
                for (PortalRole role : rolesFor(groups)) {
                    mapped.add(new SimpleGrantedAuthority(role.authority()));
                }
            }
        }
        return mapped;
    }

    Set<PortalRole> rolesFor(Collection<String> groups) {
        Set<PortalRole> roles = new HashSet<>();
        for (PortalRole role : PortalRole.values()) {
            if (props.groups().groupsFor(role).stream().anyMatch(groups::contains)) {
                roles.add(role);
            }
        }
        return roles;
    }

    static Collection<String> groups(Object claim) {
        if (claim instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        if (claim instanceof String s && !s.isBlank()) {
            return List.of(s.split("[,\\s]+"));
        }
        return List.of();
    }
}
