package com.bedrockportal.metrics;

import com.bedrockportal.identity.PortalRole;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher;

/**
 * Who may read {@code /actuator/prometheus}: a Prometheus server as the scrape user ({@code portal.metrics.scrape-user}
 * / {@code scrape-password}, HTTP Basic on every scrape, no session created), or an admin with a session, as before.
 * GET only; everyone else gets 401. The metrics hold counts and AWS operation names, never a key, a user or a name.
 */
@Configuration(proxyBeanMethods = false)
class MetricsSecurity {

    static final String SCRAPER_ROLE = "METRICS_SCRAPER";

    @Bean
    @Order(0)
    SecurityFilterChain prometheusChain(HttpSecurity http, MetricsProperties properties) throws Exception {
        http.securityMatcher(antMatcher("/actuator/prometheus"))
                .authorizeHttpRequests(a -> a.requestMatchers(antMatcher(HttpMethod.GET, "/actuator/prometheus"))
                        .hasAnyRole(SCRAPER_ROLE, PortalRole.ADMIN_ROLE).anyRequest().denyAll())
                .httpBasic(b -> b.realmName("bedrock-portal-metrics"))
                // A scrape never creates a session; an admin's existing one is read.
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                // CSRF stays on: it concerns no GET, and anything else is refused anyway.
                .userDetailsService(scrapeUsers(properties));
        return http.build();
    }

    /** The one scrape user, when a password is set (plain, or encoded as {@code {bcrypt}...}); else nobody. */
    static InMemoryUserDetailsManager scrapeUsers(MetricsProperties properties) {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        String password = properties.scrapePassword();
        if (password != null && !password.isBlank()) {
            PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
            String stored = password.startsWith("{") ? password : encoder.encode(password);
            UserDetails scraper = User.withUsername(properties.scrapeUser()).password(stored).roles(SCRAPER_ROLE)
                    .build();
            users.createUser(scraper);
        }
        return users;
    }
}
