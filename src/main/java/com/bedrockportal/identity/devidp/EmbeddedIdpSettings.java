package com.bedrockportal.identity.devidp;

import java.util.List;

/**
 * What the portal hands to the embedded provider when it starts it.
 *
 * @param host            the host name the portal and browsers use to reach it (the issuer's host)
 * @param port            the port the provider listens on; 0 picks a free one when it starts
 * @param bindAddress     the address it binds to (loopback by default)
 * @param clientId        the portal's client id
 * @param clientSecret    the portal's client secret (generated per start; never leaves the JVM)
 * @param portalBaseUrls  base URLs of the portal: exactly these (plus {@code /login/oauth2/code/<client>}) are
 *                        accepted as redirect URIs, and exactly these as post-logout redirect URIs
 * @param users           the demo users
 * @param loginListener   told of every login attempt at the provider
 * @param loginThrottle   the progressive delay after failed logins
 * @param apiClients      machine clients that get access tokens for the portal's REST API by the client-credentials
 *                        grant (the demo {@code ci-bot})
 */
public record EmbeddedIdpSettings(String host, int port, String bindAddress, String clientId, String clientSecret,
        List<String> portalBaseUrls, List<DemoUser> users, LoginListener loginListener, LoginThrottle loginThrottle,
        List<ApiClient> apiClients) {

    /** A client-credentials client: its id, its secret, and how long its access tokens live. */
    public record ApiClient(String clientId, String secret, java.time.Duration tokenTtl) {
        @Override
        public String toString() {
            return "ApiClient[" + clientId + ", ttl " + tokenTtl + "]";
        }
    }

    /** Without API clients (as before the REST API). */
    public EmbeddedIdpSettings(String host, int port, String bindAddress, String clientId, String clientSecret,
            List<String> portalBaseUrls, List<DemoUser> users, LoginListener loginListener,
            LoginThrottle loginThrottle) {
        this(host, port, bindAddress, clientId, clientSecret, portalBaseUrls, users, loginListener, loginThrottle,
                List.of());
    }

    /** Told of each login attempt at the provider's form. */
    @FunctionalInterface
    public interface LoginListener {
        /**
         * @param username       as typed
         * @param clientAddress  the client's IP address as the provider saw it
         * @param success        whether the password was right
         * @param detail         why it failed (null on success)
         */
        void attempt(String username, String clientAddress, boolean success, String detail);
    }

    /** The fixed issuer: {@code http://<host>:<port>}, whatever Host header a request carries. */
    public String issuer() {
        return "http://" + host + ":" + port;
    }

    EmbeddedIdpSettings withPort(int port) {
        return new EmbeddedIdpSettings(host, port, bindAddress, clientId, clientSecret, portalBaseUrls, users,
                loginListener, loginThrottle, apiClients);
    }
}
