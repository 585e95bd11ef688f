package com.bedrockportal.identity.devidp;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * The embedded OIDC provider: Spring Authorization Server in a context of its own, on its own port.
 * Lives outside the portal's component scan; {@link EmbeddedIdp#start} starts it only when no external issuer
 * is configured.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, ServletWebServerFactoryAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class })
class EmbeddedIdpConfig {

    /** The scope the REST API's machine clients are given. */
    static final String API_SCOPE = "portal.api";

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, EmbeddedIdpSettings settings) throws Exception {
        OAuth2AuthorizationServerConfigurer authorizationServer = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.addFilterBefore(new PromptLoginFilter(),
                org.springframework.security.web.context.SecurityContextHolderFilter.class);
        http.addFilterBefore(new ClientThrottleFilter(settings.loginThrottle(), settings.loginListener()),
                org.springframework.security.web.context.SecurityContextHolderFilter.class);
        http.securityMatcher(authorizationServer.getEndpointsMatcher())
                .with(authorizationServer, as -> as
                        .authorizationEndpoint(endpoint -> endpoint.authenticationProviders(providers -> providers
                                .forEach(provider -> {
                                    if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
                                        codes.setAuthenticationValidator(ExactRedirectUri.VALIDATOR);
                                    }
                                })))
                        .oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain loginChain(HttpSecurity http, EmbeddedIdpSettings settings) throws Exception {
        Clock clock = Clock.systemUTC();
        EmbeddedIdpSettings.LoginListener listener = settings.loginListener();
        http.addFilterBefore(new LoginThrottleFilter(settings.loginThrottle(), listener),
                UsernamePasswordAuthenticationFilter.class);
        http.authorizeHttpRequests(a -> a.requestMatchers("/login", "/error", "/favicon.ico").permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login")
                        // Remembers when the password was typed: the ID token's auth_time.
                        .authenticationDetailsSource(request -> new LoginDetails(request, clock.instant()))
                        .successHandler((request, response, authentication) -> {
                            settings.loginThrottle().succeeded(authentication.getName());
                            listener.attempt(authentication.getName(), request.getRemoteAddr(), true, null);
                            new SavedRequestAwareAuthenticationSuccessHandler()
                                    .onAuthenticationSuccess(request, response, authentication);
                        })
                        .failureHandler((request, response, exception) -> {
                            String username = request.getParameter("username");
                            settings.loginThrottle().failed(username, request.getRemoteAddr());
                            listener.attempt(username, request.getRemoteAddr(), false,
                                    "wrong username or password at the embedded login provider");
                            response.sendRedirect("/login?error");
                        }))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' "
                                + String.join(" ", settings.portalBaseUrls()) + "; frame-ancestors 'none'")));
        return http.build();
    }

    /**
     * Vaadin replaces the JVM-wide strategy of {@link SecurityContextHolder} when the portal starts; filters here
     * that captured the old one would lose the login. Always delegate to whatever is current.
     */
    @Bean
    SecurityContextHolderStrategy securityContextHolderStrategy() {
        return new SecurityContextHolderStrategy() {
            @Override
            public void clearContext() {
                SecurityContextHolder.getContextHolderStrategy().clearContext();
            }

            @Override
            public org.springframework.security.core.context.SecurityContext getContext() {
                return SecurityContextHolder.getContextHolderStrategy().getContext();
            }

            @Override
            public Supplier<org.springframework.security.core.context.SecurityContext> getDeferredContext() {
                return SecurityContextHolder.getContextHolderStrategy().getDeferredContext();
            }

            @Override
            public void setContext(org.springframework.security.core.context.SecurityContext context) {
                SecurityContextHolder.getContextHolderStrategy().setContext(context);
            }

            @Override
            public void setDeferredContext(Supplier<org.springframework.security.core.context.SecurityContext> deferred) {
                SecurityContextHolder.getContextHolderStrategy().setDeferredContext(deferred);
            }

            @Override
            public org.springframework.security.core.context.SecurityContext createEmptyContext() {
                return SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
            }
        };
    }

    /**
     * People's passwords with BCrypt; clients' secrets as {@link ClientSecretDigest} (see there why). A client's
     * digest is never "upgraded": the authorization server re-encodes a client secret with the default encoder after
     * it matched whenever the encoder asks for an upgrade, and a plain delegating encoder asks for every id other than
     * its default one. That turned the digest into a BCrypt hash at the first login, and every later token exchange
     * paid BCrypt again (issue 16).
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new DigestKeepingEncoder();
    }

    /** BCrypt by default, {@link ClientSecretDigest} for clients' secrets, which are never upgraded. */
    static final class DigestKeepingEncoder extends DelegatingPasswordEncoder {
        DigestKeepingEncoder() {
            super("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(), ClientSecretDigest.ID,
                    new ClientSecretDigest()));
        }

        @Override
        public boolean upgradeEncoding(String prefixEncodedPassword) {
            return !ClientSecretDigest.isStored(prefixEncodedPassword) && super.upgradeEncoding(prefixEncodedPassword);
        }
    }

    /**
     * The demo users, each one's password hashed with BCrypt the first time that user logs in: hashing them all while
     * the portal started took 0.8 s of its start-up (issue 16). Names are matched ignoring case, as Spring's
     * in-memory manager did; every call returns a copy, since a login erases the password of what it was given.
     */
    @Bean
    UserDetailsService users(EmbeddedIdpSettings settings, PasswordEncoder encoder) {
        Map<String, DemoUser> byName = new HashMap<>();
        settings.users().forEach(u -> byName.put(u.username().toLowerCase(Locale.ROOT), u));
        Map<String, UserDetails> hashed = new ConcurrentHashMap<>();
        return username -> {
            String key = username == null ? "" : username.toLowerCase(Locale.ROOT);
            DemoUser user = byName.get(key);
            if (user == null) {
                throw new UsernameNotFoundException("no such demo user");
            }
            return User.withUserDetails(hashed.computeIfAbsent(key, k -> User.withUsername(user.username())
                    .password(encoder.encode(user.password())).authorities("USER").build())).build();
        };
    }

    @Bean
    RegisteredClientRepository registeredClients(EmbeddedIdpSettings settings) {
        ClientSecretDigest digest = new ClientSecretDigest();
        RegisteredClient.Builder client = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(settings.clientId())
                .clientSecret(digest.stored(settings.clientSecret()))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE).scope(OidcScopes.EMAIL)
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(Duration.ofMinutes(10)).build());
        for (String base : settings.portalBaseUrls()) {
            client.redirectUri(base + "/login/oauth2/code/" + settings.clientId());
            client.postLogoutRedirectUri(base);
        }
        List<RegisteredClient> clients = new java.util.ArrayList<>(List.of(client.build()));
        for (EmbeddedIdpSettings.ApiClient api : settings.apiClients()) {
            // Machine clients of the REST API: client credentials only, no login, no refresh token.
            clients.add(RegisteredClient.withId(UUID.randomUUID().toString())
                    .clientId(api.clientId())
                    .clientSecret(digest.stored(api.secret()))
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .scope(API_SCOPE)
                    .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(api.tokenTtl()).build())
                    .build());
        }
        return new InMemoryRegisteredClientRepository(clients);
    }

    /** Thread-safe, unlike the default in-memory store (see {@link ConcurrentAuthorizationService}). */
    @Bean
    OAuth2AuthorizationService authorizationService() {
        return new ConcurrentAuthorizationService(Clock.systemUTC());
    }

    /**
     * Adds the user's groups, name and e-mail to the ID token, and sets {@code auth_time} to the moment the password
     * was typed. (Spring Authorization Server's own {@code auth_time} is when the provider's session was first used
     * for an authorization request, and it takes the newest session of the user across browsers.)
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> idTokenClaims(EmbeddedIdpSettings settings) {
        return context -> {
            if ("access_token".equals(context.getTokenType().getValue())) {
                // A person's access token carries the same groups as the ID token, so the REST API maps roles
                // alike; a machine client's (client credentials) has none: the portal maps its client id.
                settings.users().stream().filter(u -> u.username().equals(context.getPrincipal().getName()))
                        .findFirst().ifPresent(u -> context.getClaims().claims(claims -> {
                            claims.put("groups", List.copyOf(u.groups()));
                            claims.put("preferred_username", u.username());
                        }));
                return;
            }
            if (!"id_token".equals(context.getTokenType().getValue())) {
                return;
            }
            if (context.getPrincipal().getDetails() instanceof LoginDetails login) {
                context.getClaims().claim(IdTokenClaimNames.AUTH_TIME, Date.from(login.authenticatedAt()));
            }
            settings.users().stream().filter(u -> u.username().equals(context.getPrincipal().getName())).findFirst()
                    .ifPresent(u -> context.getClaims().claims(claims -> {
                        claims.put("groups", List.copyOf(u.groups()));
                        claims.put("name", u.displayName());
                        claims.put("email", u.email());
                        claims.put("preferred_username", u.username());
                    }));
        };
    }

    /**
     * The provider's signing key, made at every start. Making a 2,048-bit RSA key took 1.2 s of the main thread's
     * start-up (issue 16), so it is made on a thread of its own while the portal goes on starting; the first token
     * signed, or the key set served, waits for it.
     */
    @Bean
    JWKSource<SecurityContext> jwkSource() {
        CompletableFuture<JWKSet> keys = CompletableFuture.supplyAsync(EmbeddedIdpConfig::newKeySet, task -> {
            Thread thread = new Thread(task, "embedded-idp-signing-key");
            thread.setDaemon(true);
            thread.start();
        });
        return (selector, context) -> {
            try {
                return selector.select(keys.join());
            } catch (CompletionException e) {
                throw new KeySourceException("The embedded login provider has no signing key", e.getCause());
            }
        };
    }

    private static JWKSet newKeySet() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new JWKSet(new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate()).keyID(UUID.randomUUID().toString()).build());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The userinfo endpoint is protected by the access token; this decodes it. */
    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
    }

    /** A fixed issuer: without one, Spring Authorization Server takes it from each request's Host header. */
    @Bean
    AuthorizationServerSettings authorizationServerSettings(EmbeddedIdpSettings settings) {
        return AuthorizationServerSettings.builder().issuer(settings.issuer()).build();
    }

    @Bean
    LoginPageController loginPageController(EmbeddedIdpSettings settings) {
        return new LoginPageController(settings);
    }
}
