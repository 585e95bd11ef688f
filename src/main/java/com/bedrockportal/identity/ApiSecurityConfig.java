package com.bedrockportal.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The REST API's security ({@code /api/v1/**} but the secret-scanning path, which signs its bodies instead): an OAuth2
 * resource server taking bearer JWTs of the configured issuer (the embedded provider by default) — signature, issuer,
 * expiry and audience checked. A person's roles come from the same groups claim as at login; a machine client's from
 * {@code portal.api.clients}. Stateless: no session, so a browser's session cookie never authenticates here, and
 * CSRF (a cookie attack) does not apply. Every refusal is an RFC 9457 problem; limits per caller come after
 * authentication ({@link ApiLimitsFilter}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
class ApiSecurityConfig {

    static final String API_PREFIX = "/api/v1/";

    /** The API's paths, but the secret-scanning and Slack endpoints (portal chain, HMAC-signed). */
    static final RequestMatcher API_PATHS = request -> {
        String path = com.bedrockportal.shared.RequestPaths.of(request);
        return path.startsWith(API_PREFIX) && !path.equals(SecurityConfig.SECRET_SCANNING_PATH)
                && !path.equals(SecurityConfig.SLACK_INTERACTIONS_PATH);
    };

    private static final ObjectMapper JSON = new ObjectMapper();

    @Bean
    @Order(0)
    SecurityFilterChain apiChain(HttpSecurity http, IdentityProperties identity, ApiProperties api,
            ObjectProvider<OidcClientConfig.EmbeddedIdpServer> embedded, ApplicationEventPublisher events, Clock clock)
            throws Exception {
        OidcClientConfig.EmbeddedIdpServer idp = embedded.getIfAvailable();
        String issuer = idp != null ? idp.issuer() : identity.issuerUri();
        JwtDecoder decoder = decoder(issuer, audiences(identity, api), clock);
        http.securityMatcher(API_PATHS)
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .oauth2ResourceServer(o -> o
                        .jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(jwt -> authentication(jwt, identity,
                                api)))
                        .authenticationEntryPoint(ApiSecurityConfig::unauthorized)
                        .accessDeniedHandler((request, response, denied) -> {
                            new BearerTokenAccessDeniedHandler().handle(request, response, denied);
                            problem(response, HttpStatus.FORBIDDEN, "Your role does not allow this call.");
                        }))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(r -> r.disable())
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; "
                        + "frame-ancestors 'none'")))
                .addFilterAfter(new ApiLimitsFilter(api, clock, events), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    /** The audiences accepted: configured, else the portal's own client id and the machine clients' ids. */
    static Set<String> audiences(IdentityProperties identity, ApiProperties api) {
        if (!api.audiences().isEmpty()) {
            return new LinkedHashSet<>(api.audiences());
        }
        Set<String> accepted = new LinkedHashSet<>(List.of(identity.clientId()));
        accepted.addAll(api.clients().keySet());
        return accepted;
    }

    /** Discovers the issuer's keys; checks signature, issuer, expiry (with {@code clock}) and audience. */
    static JwtDecoder decoder(String issuer, Set<String> audiences, Clock clock) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer).build();
        decoder.setJwtValidator(validator(issuer, audiences, clock));
        return decoder;
    }

    static OAuth2TokenValidator<Jwt> validator(String issuer, Set<String> audiences, Clock clock) {
        JwtTimestampValidator time = new JwtTimestampValidator(java.time.Duration.ofSeconds(30));
        time.setClock(clock);
        OAuth2TokenValidator<Jwt> audience = jwt -> jwt.getAudience() != null
                && jwt.getAudience().stream().anyMatch(audiences::contains)
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                                "The token is not meant for this portal (audience " + jwt.getAudience() + ")", null));
        return new DelegatingOAuth2TokenValidator<>(time, new JwtIssuerValidator(issuer), audience,
                ApiSecurityConfig::accessTokenOnly);
    }

    /** Claims only an OpenID Connect ID token carries (OIDC Core 2 and 3.1.3.6). */
    private static final List<String> ID_TOKEN_CLAIMS = List.of("nonce", "at_hash", "c_hash", "auth_time");

    /**
     * Refuses ID tokens. They name the portal's client as their audience, as its access tokens do, but they prove a
     * login to the portal, not a grant to call its API, and they travel where access tokens do not: the logout
     * redirect carries one in its URL ({@code id_token_hint}), so browser history and proxy logs hold them. An ID token
     * is told by Keycloak's {@code typ: ID}, or by an ID-token claim in a token that names no scope (access tokens
     * of the embedded provider, Keycloak and most providers carry {@code scope} or {@code scp}).
     */
    static OAuth2TokenValidatorResult accessTokenOnly(Jwt jwt) {
        boolean scoped = jwt.hasClaim("scope") || jwt.hasClaim("scp");
        boolean idToken = "ID".equals(jwt.getClaimAsString("typ"))
                || !scoped && ID_TOKEN_CLAIMS.stream().anyMatch(jwt::hasClaim);
        return idToken ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                "An ID token is not an access token: call the API with an access token", null))
                : OAuth2TokenValidatorResult.success();
    }

    /**
     * The caller: a machine client listed in {@code portal.api.clients} (by its {@code client_id} claim or subject)
     * as the user and roles configured; otherwise a person, by the username claim, with the roles of the groups
     * claim (the same mapping as the login). Unknown clients and people without a portal group get no role.
     */
    static AbstractAuthenticationToken authentication(Jwt jwt, IdentityProperties identity, ApiProperties api) {
        String clientId = jwt.getClaimAsString("client_id");
        ApiProperties.Client client = clientId != null ? api.clients().get(clientId) : null;
        if (client == null && jwt.getSubject() != null && !jwt.hasClaim(identity.usernameClaim())) {
            client = api.clients().get(jwt.getSubject());
        }
        Collection<GrantedAuthority> authorities = new ArrayList<>();
        if (client != null) {
            client.roles().forEach(r -> authorities.add(new SimpleGrantedAuthority(r.authority())));
            return new JwtAuthenticationToken(jwt, authorities, client.username());
        }
        String username = jwt.hasClaim(identity.usernameClaim()) ? jwt.getClaimAsString(identity.usernameClaim())
                : jwt.getSubject();
        new GroupsAuthoritiesMapper(identity).rolesFor(GroupsAuthoritiesMapper.groups(jwt.getClaim(identity
                .groupsClaim()))).forEach(r -> authorities.add(new SimpleGrantedAuthority(r.authority())));
        return new JwtAuthenticationToken(jwt, authorities, username);
    }

    /** 401 with {@code WWW-Authenticate: Bearer …} and a problem saying what was wrong (never the token). */
    private static void unauthorized(HttpServletRequest request, HttpServletResponse response,
            org.springframework.security.core.AuthenticationException e) throws IOException {
        new BearerTokenAuthenticationEntryPoint().commence(request, response, e);
        String detail = request.getHeader("Authorization") == null ? "A bearer token is required."
                : e.getMessage() != null && e.getMessage().contains("expired") ? "The token has expired."
                        : "The token is not valid here: " + (e.getMessage() == null ? "rejected"
                                : e.getMessage().replaceAll("[^\\p{Print}]", "?"));
        problem(response, HttpStatus.UNAUTHORIZED, detail.length() > 300 ? detail.substring(0, 300) : detail);
    }

    /** Writes an RFC 9457 problem (application/problem+json). */
    static void problem(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        problem(response, status, detail, Map.of());
    }

    static void problem(HttpServletResponse response, HttpStatus status, String detail, Map<String, Object> more)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.putAll(more);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
