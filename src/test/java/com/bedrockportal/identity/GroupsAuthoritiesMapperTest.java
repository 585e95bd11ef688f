package com.bedrockportal.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;

import static org.assertj.core.api.Assertions.assertThat;

class GroupsAuthoritiesMapperTest {

    private static IdentityProperties props(IdentityProperties.Groups groups) {
        return new IdentityProperties(null, "portal", null, List.of("openid"), "preferred_username", "groups", groups,
                new IdentityProperties.EmbeddedIdp(0, "127.0.0.1", "localhost", List.of(), null), null);
    }

    private static final IdentityProperties.Groups DEFAULT_GROUPS = new IdentityProperties.Groups(
            List.of("portal-requesters"), List.of("portal-managers"), List.of("portal-security"),
            List.of("portal-admins"));

    @Test
    void mapsEachConfiguredGroupToItsRole() {
        assertThat(roles(props(DEFAULT_GROUPS), List.of("portal-managers", "portal-requesters", "unrelated")))
                .containsExactlyInAnyOrder("ROLE_MANAGER", "ROLE_REQUESTER");
    }

    @Test
    void unknownGroupsGrantNothing() {
        assertThat(roles(props(DEFAULT_GROUPS), List.of("everyone", "portal-admins-not"))).isEmpty();
    }

    @Test
    void mappingIsConfigurable() {
        IdentityProperties.Groups entra = new IdentityProperties.Groups(List.of("sg-bedrock-users"),
                List.of("sg-bedrock-approvers"), List.of("sg-secops"), List.of("sg-platform", "sg-platform-oncall"));
        assertThat(roles(props(entra), List.of("sg-platform-oncall"))).containsExactly("ROLE_ADMIN");
        assertThat(roles(props(entra), List.of("portal-admins"))).isEmpty();
    }

    @Test
    void acceptsACommaSeparatedGroupsClaim() {
        assertThat(roles(props(DEFAULT_GROUPS), "portal-security, portal-admins"))
                .containsExactlyInAnyOrder("ROLE_SECURITY", "ROLE_ADMIN");
    }

    private static Set<String> roles(IdentityProperties props, Object groupsClaim) {
        OidcIdToken token = new OidcIdToken("t", Instant.now(), Instant.now().plusSeconds(60),
                Map.of("sub", "u", "groups", groupsClaim));
        GroupsAuthoritiesMapper mapper = new GroupsAuthoritiesMapper(props);
        return mapper.mapAuthorities(List.of(new OidcUserAuthority(token))).stream()
                .map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("ROLE_")).collect(Collectors.toSet());
    }
}
