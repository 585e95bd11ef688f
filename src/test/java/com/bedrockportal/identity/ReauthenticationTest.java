package com.bedrockportal.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.bedrockportal.testsupport.MutableClock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class ReauthenticationTest {

    private static final Instant STARTED = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    // ----- the decision -----

    @Test
    void aLoginAfterTheStartIsFreshAndCountsFromItsAuthTime() {
        Instant authTime = STARTED.plusSeconds(20);
        Reauthentication.Verdict v = Reauthentication.judge(authTime, STARTED, FIVE_MINUTES, STARTED.plusSeconds(21));
        assertThat(v.fresh()).isTrue();
        assertThat(v.authenticatedAt()).isEqualTo(authTime);
    }

    @Test
    void aLoginOlderThanTheStartIsRefused() {
        Reauthentication.Verdict v = Reauthentication.judge(STARTED.minusSeconds(60), STARTED, FIVE_MINUTES,
                STARTED.plusSeconds(2));
        assertThat(v.fresh()).isFalse();
        assertThat(v.reason()).contains("older than the re-login started").contains("reused an earlier login");
    }

    @Test
    void aMissingAuthTimeIsRefused() {
        Reauthentication.Verdict v = Reauthentication.judge(null, STARTED, FIVE_MINUTES, STARTED.plusSeconds(2));
        assertThat(v.fresh()).isFalse();
        assertThat(v.reason()).contains("no auth_time");
    }

    @Test
    void anAuthTimeInTheFutureIsRefused() {
        Instant now = STARTED.plusSeconds(10);
        Reauthentication.Verdict v = Reauthentication.judge(now.plusSeconds(60), STARTED, FIVE_MINUTES, now);
        assertThat(v.fresh()).isFalse();
        assertThat(v.reason()).contains("in the future");
    }

    @Test
    void aLoginAfterTheStartButOlderThanTheMaximumAgeIsRefused() {
        // The user sat on the provider's login page; by the time the code came back the login was too old.
        Instant authTime = STARTED.plusSeconds(10);
        Reauthentication.Verdict v = Reauthentication.judge(authTime, STARTED, FIVE_MINUTES,
                authTime.plus(FIVE_MINUTES).plusSeconds(30));
        assertThat(v.fresh()).isFalse();
        assertThat(v.reason()).contains("more than PT5M old");
    }

    @Test
    void clocksMayDifferByTheAllowedSkewInEitherDirection() {
        Duration skew = Reauthentication.CLOCK_SKEW;
        Instant now = STARTED.plusSeconds(3);
        // The provider's clock runs behind: auth_time a little before the start.
        assertThat(Reauthentication.judge(STARTED.minus(skew), STARTED, FIVE_MINUTES, now).fresh()).isTrue();
        assertThat(Reauthentication.judge(STARTED.minus(skew).minusSeconds(1), STARTED, FIVE_MINUTES, now).fresh())
                .isFalse();
        // It runs ahead: auth_time a little after now, recorded as now (a fresh login never lasts longer).
        Reauthentication.Verdict ahead = Reauthentication.judge(now.plus(skew), STARTED, FIVE_MINUTES, now);
        assertThat(ahead.fresh()).isTrue();
        assertThat(ahead.authenticatedAt()).isEqualTo(now);
        assertThat(Reauthentication.judge(now.plus(skew).plusSeconds(1), STARTED, FIVE_MINUTES, now).fresh())
                .isFalse();
    }

    // ----- the completed login, through the relay, with crafted ID tokens -----

    private MockHttpServletRequest request;
    private final List<Object> published = new ArrayList<>();
    private final MutableClock clock = new MutableClock(STARTED);
    private Reauthentication reauthentication;
    private SecurityEventRelay relay;

    @BeforeEach
    void portalRequest() {
        request = new MockHttpServletRequest("GET", "/keys/reveal/7");
        request.setServerName("localhost");
        request.setServerPort(8080);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        reauthentication = new Reauthentication(clock);
        ApplicationEventPublisher events = published::add;
        FailedLoginAudit failedLogins = mock(FailedLoginAudit.class);
        relay = new SecurityEventRelay(events, mock(UserDirectory.class), reauthentication, failedLogins);
    }

    @AfterEach
    void clear() {
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void aReLoginWhoseAuthTimeIsNewCountsAsFresh() {
        OAuth2AuthorizationRequest authorization = startReLogin();
        clock.set(STARTED.plusSeconds(15));
        relay.onSuccess(new AuthenticationSuccessEvent(login(authorization, STARTED.plusSeconds(12))));

        assertThat(reauthentication.isFresh(FIVE_MINUTES)).isTrue();
        assertThat(request.getSession().getAttribute(Reauthentication.SESSION_ATTRIBUTE))
                .isEqualTo(STARTED.plusSeconds(12));
        assertThat(published).noneMatch(e -> e instanceof SecurityEvents.ReauthenticationRefused);
        assertThat(reauthentication.takeRefusal()).isEmpty();
    }

    @Test
    void aReLoginThatTheProviderAnsweredFromAnOldLoginIsRefusedRecordedAndReportedOnce() {
        OAuth2AuthorizationRequest authorization = startReLogin();
        clock.set(STARTED.plusSeconds(2));
        // The provider ignored prompt=login: the token carries the login of an hour ago.
        relay.onSuccess(new AuthenticationSuccessEvent(login(authorization, STARTED.minusSeconds(3600))));

        assertThat(reauthentication.isFresh(FIVE_MINUTES)).isFalse();
        assertThat(request.getSession().getAttribute(Reauthentication.SESSION_ATTRIBUTE)).isNull();
        assertThat(published).filteredOn(e -> e instanceof SecurityEvents.ReauthenticationRefused)
                .singleElement()
                .satisfies(e -> {
                    SecurityEvents.ReauthenticationRefused refused = (SecurityEvents.ReauthenticationRefused) e;
                    assertThat(refused.username()).isEqualTo("alice");
                    assertThat(refused.reason()).contains("older than the re-login started");
                });
        assertThat(published).anyMatch(e -> e instanceof SecurityEvents.LoggedIn);
        assertThat(reauthentication.takeRefusal()).get().asString().contains("reused an earlier login");
        assertThat(reauthentication.takeRefusal()).isEmpty();
    }

    @Test
    void aReLoginWithoutAuthTimeIsRefused() {
        OAuth2AuthorizationRequest authorization = startReLogin();
        clock.set(STARTED.plusSeconds(2));
        relay.onSuccess(new AuthenticationSuccessEvent(login(authorization, null)));

        assertThat(reauthentication.isFresh(FIVE_MINUTES)).isFalse();
        assertThat(published).anyMatch(e -> e instanceof SecurityEvents.ReauthenticationRefused r
                && r.reason().contains("no auth_time"));
    }

    @Test
    void anOrdinaryLoginIsNeitherFreshNorRefused() {
        OAuth2AuthorizationRequest.Builder builder = authorizationRequest();
        relay.onSuccess(new AuthenticationSuccessEvent(login(builder.build(), STARTED)));

        assertThat(reauthentication.isFresh(FIVE_MINUTES)).isFalse();
        assertThat(reauthentication.takeRefusal()).isEmpty();
        assertThat(published).noneMatch(e -> e instanceof SecurityEvents.ReauthenticationRefused);
    }

    /** What KeyReveal and the authorization request customizer do when a re-login starts. */
    private OAuth2AuthorizationRequest startReLogin() {
        reauthentication.start("keys/reveal/7", FIVE_MINUTES);
        OAuth2AuthorizationRequest.Builder builder = authorizationRequest();
        reauthentication.markStarted(builder);
        return builder.build();
    }

    private static OAuth2AuthorizationRequest.Builder authorizationRequest() {
        return OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri("http://localhost:9000/oauth2/authorize").clientId("portal")
                .redirectUri("http://localhost:8080/login/oauth2/code/portal").state("state-1")
                .scopes(Set.of("openid"));
    }

    private static OAuth2LoginAuthenticationToken login(OAuth2AuthorizationRequest authorization, Instant authTime) {
        OidcIdToken.Builder token = OidcIdToken.withTokenValue("id-token").subject("alice")
                .claim("preferred_username", "alice").issuedAt(STARTED).expiresAt(STARTED.plusSeconds(600));
        if (authTime != null) {
            token.authTime(authTime);
        }
        DefaultOidcUser user = new DefaultOidcUser(AuthorityUtils.NO_AUTHORITIES, token.build(), "preferred_username");
        ClientRegistration registration = ClientRegistration.withRegistrationId("portal").clientId("portal")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .authorizationUri("http://localhost:9000/oauth2/authorize")
                .tokenUri("http://localhost:9000/oauth2/token").build();
        OAuth2AuthorizationResponse response = OAuth2AuthorizationResponse.success("code-1").state("state-1")
                .redirectUri(authorization.getRedirectUri()).build();
        OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "access", STARTED,
                STARTED.plusSeconds(600));
        return new OAuth2LoginAuthenticationToken(registration,
                new OAuth2AuthorizationExchange(authorization, response), user, AuthorityUtils.NO_AUTHORITIES, access);
    }
}
