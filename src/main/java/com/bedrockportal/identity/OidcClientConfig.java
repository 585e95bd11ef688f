package com.bedrockportal.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.bedrockportal.identity.devidp.DemoUser;
import com.bedrockportal.identity.devidp.EmbeddedIdp;
import com.bedrockportal.identity.devidp.EmbeddedIdpSettings;
import com.bedrockportal.identity.devidp.LoginThrottle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;

/**
 * The portal as an OIDC client. Against an external IdP it discovers the issuer; with no issuer configured it first
 * starts the embedded provider with the demo users, then discovers that.
 */
@Configuration(proxyBeanMethods = false)
class OidcClientConfig {

    static final String REGISTRATION_ID = "portal";
    private static final Logger log = LoggerFactory.getLogger(OidcClientConfig.class);

    /** Holds the embedded provider's context so that the portal's shutdown closes it. */
    static final class EmbeddedIdpServer implements DisposableBean {
        private final EmbeddedIdp.Running running;
        private final EmbeddedIdpSettings settings;

        EmbeddedIdpServer(EmbeddedIdp.Running running, EmbeddedIdpSettings settings) {
            this.running = running;
            this.settings = settings;
        }

        EmbeddedIdpSettings settings() {
            return settings;
        }

        String issuer() {
            return running.issuer();
        }

        @Override
        public void destroy() {
            running.close();
        }
    }

    @Bean
    EmbeddedIdpServer embeddedIdpServer(IdentityProperties props, ApiProperties api, Environment env,
            FailedLoginAudit failedLogins, Clock clock) {
        if (!props.embedded()) {
            return null;
        }
        IdentityProperties.EmbeddedIdp idp = props.embeddedIdp();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        IdentityProperties.LoginDelay delay = idp.loginDelay();
        LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Policy(delay.freeFailures(),
                delay.freeFailuresPerAddress(), delay.first(), delay.max(), delay.forgetAfter()), clock,
                LoginThrottle.Sleeper.REAL);
        EmbeddedIdpSettings settings = new EmbeddedIdpSettings(idp.host(), idp.port(),
                idp.bindAddress(), props.clientId(), Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
                portalBaseUrls(idp, env.getProperty("server.port", Integer.class, 8080)), DemoUser.defaults(),
                (username, address, success, detail) -> {
                    if (!success) {
                        failedLogins.failed(username, address, detail);
                    }
                }, throttle, api.clients().entrySet().stream()
                        .filter(c -> c.getValue().embeddedSecret() != null && !c.getValue().embeddedSecret().isBlank())
                        .map(c -> new EmbeddedIdpSettings.ApiClient(c.getKey(), c.getValue().embeddedSecret(),
                                api.tokenTtl()))
                        .toList());
        EmbeddedIdp.Running running = EmbeddedIdp.start(settings);
        log.warn("No portal.identity.issuer-uri set: the EMBEDDED demo login provider runs at {} with demo users {} "
                + "and their published passwords. Configure your own OIDC provider before real use.", running.issuer(),
                settings.users().stream().map(DemoUser::username).toList());
        return new EmbeddedIdpServer(running, settings);
    }

    /**
     * The portal's addresses the embedded provider accepts, exactly: {@code http://<host>:<server.port>} and the
     * configured extra ones.
     */
    static List<String> portalBaseUrls(IdentityProperties.EmbeddedIdp idp, int portalPort) {
        List<String> bases = new ArrayList<>(List.of("http://" + idp.host() + ":" + portalPort));
        if (idp.extraPortalBaseUrls() != null) {
            idp.extraPortalBaseUrls().stream().map(String::strip).filter(u -> !u.isEmpty())
                    .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                    .filter(u -> !bases.contains(u)).forEach(bases::add);
        }
        return List.copyOf(bases);
    }

    @Bean
    ClientRegistrationRepository clientRegistrationRepository(IdentityProperties props,
            ObjectProvider<EmbeddedIdpServer> embedded) {
        EmbeddedIdpServer server = embedded.getIfAvailable();
        String issuer = server != null ? server.issuer() : props.issuerUri();
        String secret = server != null ? server.settings().clientSecret() : props.clientSecret();
        ClientRegistration registration = ClientRegistrations.fromIssuerLocation(issuer)
                .registrationId(REGISTRATION_ID)
                .clientId(props.clientId())
                .clientSecret(secret)
                .scope(props.scopes())
                .userNameAttributeName(props.usernameClaim())
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .build();
        return new InMemoryClientRegistrationRepository(registration);
    }
}
