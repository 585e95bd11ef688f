package com.bedrockportal.identity.devidp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.bedrockportal.testsupport.MutableClock;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentAuthorizationServiceTest {

    private static final RegisteredClient CLIENT = RegisteredClient.withId("c1").clientId("portal")
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("http://localhost:8080/login/oauth2/code/portal").scope("openid").build();
    private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);

    private final MutableClock clock = new MutableClock();

    /** An authorization as the authorization endpoint saves it: a code, not yet redeemed. */
    private OAuth2Authorization issued(String code, Clock at) {
        Instant now = at.instant();
        return OAuth2Authorization.withRegisteredClient(CLIENT).id(UUID.randomUUID().toString())
                .principalName("alice").authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .attribute(OAuth2ParameterNames.STATE, "state-" + code)
                .token(new OAuth2AuthorizationCode(code, now, now.plus(Duration.ofMinutes(5)))).build();
    }

    /** The same after the token endpoint redeemed the code: code invalidated, access token added. */
    private static OAuth2Authorization redeemed(OAuth2Authorization issued, String access, Instant now) {
        return OAuth2Authorization.from(issued)
                .invalidate(issued.getToken(OAuth2AuthorizationCode.class).getToken())
                .accessToken(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, access, now,
                        now.plus(Duration.ofMinutes(10))))
                .build();
    }

    @Test
    void findsEachAuthorizationByEachOfItsTokensAndForgetsReplacedOnes() {
        ConcurrentAuthorizationService service = new ConcurrentAuthorizationService(clock);
        OAuth2Authorization issued = issued("code-1", clock);
        service.save(issued);
        assertThat(service.findByToken("code-1", CODE)).isEqualTo(issued);
        assertThat(service.findByToken("code-1", null)).isEqualTo(issued);
        assertThat(service.findByToken("state-code-1", new OAuth2TokenType(OAuth2ParameterNames.STATE)))
                .isEqualTo(issued);
        assertThat(service.findByToken("code-1", OAuth2TokenType.ACCESS_TOKEN)).isNull();
        assertThat(service.findById(issued.getId())).isEqualTo(issued);

        OAuth2Authorization done = redeemed(issued, "access-1", clock.instant());
        service.save(done);
        assertThat(service.findByToken("access-1", OAuth2TokenType.ACCESS_TOKEN)).isEqualTo(done);
        assertThat(service.findByToken("code-1", CODE)).isEqualTo(done);
        assertThat(service.size()).isEqualTo(1);

        service.remove(done);
        assertThat(service.findByToken("access-1", null)).isNull();
        assertThat(service.findById(done.getId())).isNull();
    }

    @Test
    void manyConcurrentLoginsNeitherFailNorLoseCodes() throws Exception {
        ConcurrentAuthorizationService service = new ConcurrentAuthorizationService(Clock.systemUTC());
        int threads = 8;
        int loginsEach = 3000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                go.await();
                int lost = 0;
                for (int i = 0; i < loginsEach; i++) {
                    // One login: the code is issued, looked up and redeemed, the access token used, the login ends.
                    String code = "code-" + thread + "-" + i;
                    OAuth2Authorization issued = issued(code, Clock.systemUTC());
                    service.save(issued);
                    OAuth2Authorization found = service.findByToken(code, CODE);
                    if (found == null) {
                        lost++;
                        continue;
                    }
                    OAuth2Authorization done = redeemed(found, "access-" + thread + "-" + i, Instant.now());
                    service.save(done);
                    if (service.findByToken("access-" + thread + "-" + i, null) != done) {
                        lost++;
                    }
                    service.remove(done);
                }
                return lost;
            }));
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        for (Future<Integer> result : results) {
            assertThat(result.get()).as("codes or tokens not found").isZero();
        }
        assertThat(service.size()).isZero();
    }

    @Test
    void expiredAuthorizationsAreDroppedButThoseWithAnIdTokenAreKeptForLogout() {
        ConcurrentAuthorizationService service = new ConcurrentAuthorizationService(clock);
        OAuth2Authorization neverRedeemed = issued("old-code", clock);
        service.save(neverRedeemed);
        OAuth2Authorization withIdToken = OAuth2Authorization.from(issued("c2", clock))
                .token(new org.springframework.security.oauth2.core.oidc.OidcIdToken("id-2", clock.instant(),
                        clock.instant().plus(Duration.ofMinutes(30)), java.util.Map.of("sub", "alice")))
                .build();
        service.save(withIdToken);

        clock.advance(Duration.ofHours(1));
        service.save(issued("new-code", clock));
        assertThat(service.findByToken("old-code", CODE)).isNull();
        assertThat(service.findByToken("id-2", new OAuth2TokenType("id_token"))).isEqualTo(withIdToken);
        assertThat(service.findByToken("new-code", CODE)).isNotNull();

        clock.advance(ConcurrentAuthorizationService.KEEP_FOR_LOGOUT);
        service.save(issued("newer-code", clock));
        assertThat(service.findByToken("id-2", null)).isNull();
        assertThat(service.size()).isEqualTo(1);
    }
}
