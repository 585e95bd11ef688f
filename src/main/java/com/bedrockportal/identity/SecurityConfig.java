package com.bedrockportal.identity;

import java.util.List;

import com.bedrockportal.identity.camunda.CamundaGuardFilter;
import com.vaadin.flow.server.auth.NavigationAccessChecker;
import com.vaadin.flow.server.auth.NavigationAccessControl;
import com.vaadin.flow.spring.security.NavigationAccessControlConfigurer;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategyConfiguration;
import com.vaadin.flow.spring.security.VaadinRolePrefixHolder;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import static org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher;

/**
 * Two filter chains: Camunda's webapp and REST API (ADMIN only, through the same SSO), then the portal (Vaadin) with
 * OIDC login, security headers and CSRF. Method security ({@code @RolesAllowed}, {@link ServiceMethodSecurity})
 * guards every state-changing service method as well.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
// @RolesAllowed on services: ServiceMethodSecurity, below. The portal uses no @PreAuthorize/@PostAuthorize/@PreFilter/
// @PostFilter (MethodSecurityAnnotationsTest keeps it so): their four advisors matched every method of every bean
// against those annotations at each start and each view's creation for nothing (about 0.6 s of a start, issue 16).
@EnableMethodSecurity(prePostEnabled = false)
@EnableConfigurationProperties(IdentityProperties.class)
@Import(VaadinAwareSecurityContextHolderStrategyConfiguration.class)
@EnableScheduling // FailedLoginAudit writes its summary rows on a timer
class SecurityConfig {

    static final String LOGIN_PATH = "/oauth2/authorization/" + OidcClientConfig.REGISTRATION_ID;

    /**
     * Secret-scanning alerts (lifecycle's {@code SecretScanningEndpoint}): machine-to-machine, authenticated by the
     * HMAC signature of its body, not by a session. So POST only, without login and without CSRF token — this path
     * alone; the endpoint answers 404 while no secret is configured.
     */
    static final String SECRET_SCANNING_PATH = "/api/v1/secret-scanning/alerts";

    /** Slack's interactions: signed by Slack (signature and timestamp of the raw body), not by a session. */
    static final String SLACK_INTERACTIONS_PATH = "/api/v1/chat/slack/interactions";

    /**
     * Vaadin needs inline scripts and styles and {@code eval} (its client engine); everything else is same-origin
     * only. Browsers differ on whether {@code 'self'} covers websockets, so {@code connect-src} names the portal's
     * own ws/wss origin (for Vaadin push) and nothing else; {@code %s} is that origin.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            + "connect-src 'self' %s; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /** The policy for a request: its websocket origin is the origin the browser used for the page. */
    static String contentSecurityPolicy(HttpServletRequest request) {
        String scheme = "https".equals(request.getScheme()) ? "wss" : "ws";
        int port = request.getServerPort();
        boolean defaultPort = port == 80 && "ws".equals(scheme) || port == 443 && "wss".equals(scheme);
        String host = request.getServerName().replaceAll("[^A-Za-z0-9.:\\[\\]-]", "");
        return CONTENT_SECURITY_POLICY.formatted(scheme + "://" + host + (defaultPort ? "" : ":" + port));
    }

    @Bean
    @Order(1)
    SecurityFilterChain camundaChain(HttpSecurity http, ApplicationEventPublisher events) throws Exception {
        http.securityMatcher(new OrRequestMatcher(antMatcher("/camunda/**"), antMatcher("/engine-rest/**")))
                // Read-only: /engine-rest answers GET only; the webapp's API never takes PUT, PATCH or DELETE (its
                // POSTs are mostly queries; the engine's read-only authorizations refuse the rest, audited below).
                .authorizeHttpRequests(a -> a
                        .requestMatchers(antMatcher(HttpMethod.GET, "/engine-rest/**"),
                                antMatcher(HttpMethod.HEAD, "/engine-rest/**"))
                        .hasRole(PortalRole.ADMIN_ROLE)
                        .requestMatchers(antMatcher("/engine-rest/**"), antMatcher(HttpMethod.PUT, "/camunda/**"),
                                antMatcher(HttpMethod.PATCH, "/camunda/**"),
                                antMatcher(HttpMethod.DELETE, "/camunda/**"),
                                // Task work (complete, claim, assignee, identity links, variables, create) and
                                // comments and attachments, which the engine adds without any permission check:
                                // whatever grants a node of an earlier release may have made, people work tasks in
                                // the portal.
                                antMatcher(HttpMethod.POST, "/camunda/api/engine/*/*/task/create"),
                                antMatcher(HttpMethod.POST, "/camunda/api/engine/*/*/task/*/*"),
                                antMatcher(HttpMethod.POST, "/camunda/api/engine/*/*/task/*/*/**"))
                        .denyAll()
                        .anyRequest().hasRole(PortalRole.ADMIN_ROLE))
                // The Camunda webapp has its own CSRF protection (XSRF-TOKEN cookie + X-XSRF-TOKEN header), checked
                // first by CamundaGuardFilter so a failure never ends the shared session; two CSRF schemes together
                // reject every POST. /engine-rest takes no state-changing call at all: every one is refused by the
                // rules above (and audited), with or without a token.
                .csrf(c -> c.ignoringRequestMatchers(antMatcher("/camunda/**"), antMatcher("/engine-rest/**")))
                .addFilterAfter(new CamundaGuardFilter(events), AuthorizationFilter.class)
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                                antMatcher("/engine-rest/**"))
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(LOGIN_PATH),
                                AnyRequestMatcher.INSTANCE))
                .headers(h -> h.frameOptions(f -> f.sameOrigin())
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain portalChain(HttpSecurity http, ClientRegistrationRepository clients,
            IdentityProperties props, ApplicationEventPublisher events, Reauthentication reauthentication)
            throws Exception {
        http.authorizeHttpRequests(a -> a
                .requestMatchers(antMatcher("/actuator/health"), antMatcher("/actuator/health/**"),
                        antMatcher("/actuator/info"))
                .permitAll()
                .requestMatchers(antMatcher("/actuator/**")).hasRole(PortalRole.ADMIN_ROLE)
                .requestMatchers(antMatcher("/h2-console/**")).denyAll()
                .requestMatchers(antMatcher(HttpMethod.POST, SECRET_SCANNING_PATH)).permitAll()
                .requestMatchers(antMatcher(HttpMethod.POST, SLACK_INTERACTIONS_PATH)).permitAll());
        http.csrf(c -> c.ignoringRequestMatchers(antMatcher(HttpMethod.POST, SECRET_SCANNING_PATH),
                antMatcher(HttpMethod.POST, SLACK_INTERACTIONS_PATH)));

        DefaultOAuth2AuthorizationRequestResolver resolver = new DefaultOAuth2AuthorizationRequestResolver(clients,
                "/oauth2/authorization");
        // PKCE always. With ?reauth=1 (before a reveal), or when the last session ended by the idle timeout, also
        // prompt=login and max_age=0, so the IdP asks for the credentials again instead of reusing its own session; a
        // reveal's re-login also remembers when it started (the ID token's auth_time must not be older).
        resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce().andThen(builder -> {
            boolean reveal = Reauthentication.requested();
            if (reveal || IdleSessions.endedByIdleTimeout(Reauthentication.currentRequest())) {
                builder.additionalParameters(p -> {
                    p.put("prompt", "login");
                    p.put("max_age", "0");
                });
            }
            if (reveal) {
                reauthentication.markStarted(builder);
            }
        }));
        // The resolver's customizer and the login-success listener run inside the security filters, outside Spring
        // MVC: this gives them the request (to see "?reauth=1", and to record a fresh login in its session).
        http.addFilterBefore(Reauthentication.requestExposingFilter(),
                org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter.class);

        http.with(VaadinSecurityConfigurer.vaadin(), v -> v
                .oauth2LoginPage(LOGIN_PATH, "{baseUrl}")
                .addLogoutHandler((request, response, authentication) -> {
                    if (authentication != null) {
                        events.publishEvent(new SecurityEvents.LoggedOut(authentication.getName()));
                    }
                }));
        http.oauth2Login(o -> o
                .authorizationEndpoint(ae -> ae.authorizationRequestResolver(resolver))
                .userInfoEndpoint(u -> u.userAuthoritiesMapper(new GroupsAuthoritiesMapper(props))));
        http.sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()));
        http.headers(h -> h
                .addHeaderWriter((request, response) -> response.setHeader("Content-Security-Policy",
                        contentSecurityPolicy(request)))
                .frameOptions(f -> f.deny())
                .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }

    /** Publishes failures of every kind (not only bad credentials), so each failed login is audited. */
    @Bean
    AuthenticationEventPublisher authenticationEventPublisher(ApplicationEventPublisher publisher) {
        DefaultAuthenticationEventPublisher events = new DefaultAuthenticationEventPublisher(publisher);
        events.setDefaultAuthenticationFailureEvent(AuthenticationFailureBadCredentialsEvent.class);
        return events;
    }

    /** {@code @RolesAllowed} on the services' methods (and not on Vaadin's views). */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ServiceMethodSecurity serviceMethodSecurity(ObjectProvider<SecurityContextHolderStrategy> strategy,
            ObjectProvider<AuthorizationEventPublisher> events) {
        return new ServiceMethodSecurity(strategy, events);
    }

    /**
     * Vaadin's navigation access control with its checkers and resolver, roles asked as {@link RolesFromRequest}; the
     * one Vaadin's security configurer and navigation listener take (Vaadin's own bean is not conditional).
     */
    @Bean
    @Primary
    NavigationAccessControl portalNavigationAccessControl(List<NavigationAccessChecker> checkers,
            NavigationAccessControlConfigurer configurer, VaadinRolePrefixHolder rolePrefix) {
        return configurer.build((enabled, resolver) -> new RolesFromRequest(enabled, resolver, rolePrefix), checkers);
    }

    /** Lets the URL and method authorization managers publish denials, which {@link SecurityEventRelay} audits. */
    @Bean
    AuthorizationEventPublisher authorizationEventPublisher(ApplicationEventPublisher publisher) {
        return new SpringAuthorizationEventPublisher(publisher);
    }
}
