package com.bedrockportal.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who a bearer token is to the REST API, and which tokens it takes: a person by the username claim with the roles of
 * the groups claim; a listed machine client by its client id with the configured roles; an unknown client nothing.
 * Expired, foreign-issuer and foreign-audience tokens are refused.
 */
class ApiSecurityConfigTest {

    static final String ISSUER = "http://localhost:9000";
    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private static IdentityProperties identity() {
        return new IdentityProperties(null, "portal", null, List.of("openid"), "preferred_username", "groups",
                new IdentityProperties.Groups(List.of("portal-requesters"), List.of("portal-managers"),
                        List.of("portal-security"), List.of("portal-admins")),
                new IdentityProperties.EmbeddedIdp(0, "127.0.0.1", "localhost", List.of(), null), null);
    }

    private static ApiProperties api() {
        return new ApiProperties(true, Map.of("ci-bot", new ApiProperties.Client("ci-bot",
                List.of(PortalRole.REQUESTER), "ci-bot-demo")), List.of(), 120, DataSize.ofKilobytes(64),
                Duration.ofDays(1), 200, Duration.ofMinutes(10));
    }

    private static Jwt.Builder token(String subject) {
        return Jwt.withTokenValue("t").header("alg", "RS256").subject(subject).issuer(ISSUER)
                .issuedAt(NOW.minusSeconds(60)).expiresAt(NOW.plusSeconds(540));
    }

    private static List<String> roles(Jwt jwt) {
        return ApiSecurityConfig.authentication(jwt, identity(), api()).getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).sorted().toList();
    }

    @Test
    void aPersonIsTheirUsernameWithTheRolesOfTheirGroups() {
        Jwt sara = token("c0ffee-subject").claim("preferred_username", "sara")
                .claim("groups", List.of("portal-security", "unrelated")).audience(List.of("portal")).build();
        assertThat(ApiSecurityConfig.authentication(sara, identity(), api()).getName()).isEqualTo("sara");
        assertThat(roles(sara)).containsExactly("ROLE_SECURITY");
    }

    @Test
    void aListedClientActsAsItsConfiguredUserAndRolesAnUnknownOneGetsNoRole() {
        Jwt bot = token("ci-bot").audience(List.of("ci-bot")).claim("scope", List.of("portal.api")).build();
        assertThat(ApiSecurityConfig.authentication(bot, identity(), api()).getName()).isEqualTo("ci-bot");
        assertThat(roles(bot)).containsExactly("ROLE_REQUESTER");
        // groups in a client's token grant nothing it was not configured with; an unknown client gets no role.
        Jwt stranger = token("other-bot").audience(List.of("other-bot"))
                .claim("groups", List.of("not-a-portal-group")).build();
        assertThat(roles(stranger)).isEmpty();
    }

    /** An ID token (from a logout URL's id_token_hint, say) names the portal as audience too, but is refused. */
    @Test
    void idTokensAreRefusedAccessTokensOfTheSameUserPass() {
        Set<String> audiences = ApiSecurityConfig.audiences(identity(), api());
        Clock now = Clock.fixed(NOW, ZoneOffset.UTC);
        // As the embedded provider (Spring Authorization Server) issues them to the portal's login.
        Jwt idToken = token("sara").audience(List.of("portal")).claim("azp", "portal").claim("nonce", "n-0S6_WzA2Mj")
                .claim("auth_time", NOW.minusSeconds(30)).claim("sid", "s1").claim("preferred_username", "sara")
                .claim("groups", List.of("portal-security")).build();
        Jwt accessToken = token("sara").audience(List.of("portal")).claim("scope", List.of("openid", "profile"))
                .claim("preferred_username", "sara").claim("groups", List.of("portal-security")).build();
        assertThat(ApiSecurityConfig.validator(ISSUER, audiences, now).validate(idToken).getErrors())
                .anyMatch(e -> e.getDescription().contains("An ID token is not an access token"));
        assertThat(ApiSecurityConfig.validator(ISSUER, audiences, now).validate(accessToken).hasErrors()).isFalse();
        // Keycloak marks its tokens: typ ID is refused, typ Bearer (with the nonce Keycloak copies) passes.
        Jwt keycloakId = token("sara").audience(List.of("portal")).claim("typ", "ID").build();
        Jwt keycloakAccess = token("sara").audience(List.of("portal")).claim("typ", "Bearer")
                .claim("nonce", "n-1").claim("scope", "openid profile email").build();
        assertThat(ApiSecurityConfig.validator(ISSUER, audiences, now).validate(keycloakId).hasErrors()).isTrue();
        assertThat(ApiSecurityConfig.validator(ISSUER, audiences, now).validate(keycloakAccess).hasErrors())
                .isFalse();
    }

    @Test
    void expiredForeignIssuerAndForeignAudienceTokensAreRefused() {
        Set<String> audiences = ApiSecurityConfig.audiences(identity(), api());
        assertThat(audiences).containsExactlyInAnyOrder("portal", "ci-bot");
        Clock now = Clock.fixed(NOW, ZoneOffset.UTC);
        Jwt good = token("ci-bot").audience(List.of("ci-bot")).build();
        assertThat(ApiSecurityConfig.validator(ISSUER, audiences, now).validate(good).hasErrors()).isFalse();

        Clock later = Clock.fixed(NOW.plus(Duration.ofMinutes(11)), ZoneOffset.UTC);
        OAuth2TokenValidatorResult expired = ApiSecurityConfig.validator(ISSUER, audiences, later).validate(good);
        assertThat(expired.hasErrors()).isTrue();
        assertThat(expired.getErrors().iterator().next().getDescription()).contains("expired");

        Jwt foreignIssuer = Jwt.withTokenValue("t").header("alg", "RS256").subject("ci-bot")
                .issuer("https://idp.example.org").issuedAt(NOW).expiresAt(NOW.plusSeconds(60))
                .audience(List.of("ci-bot")).build();
        assertThat(ApiSecurityConfig.validator(ISSUER, audiences, now).validate(foreignIssuer).hasErrors()).isTrue();

        Jwt otherAudience = token("ci-bot").audience(List.of("some-other-api")).build();
        assertThat(ApiSecurityConfig.validator(ISSUER, audiences, now).validate(otherAudience).getErrors())
                .anyMatch(e -> e.getDescription().contains("not meant for this portal"));
    }
}
