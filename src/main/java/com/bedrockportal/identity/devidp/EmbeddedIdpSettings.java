package com.bedrockportal.identity.devidp;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * What the portal hands to the embedded provider when it starts it.
 *
 * @param host            the host name the portal and browsers use to reach it (the issuer's host)
 * @param port            the port the provider listens on; 0 picks a free one
 * @param bindAddress     the address it binds to (loopback by default)
 * @param clientId        the portal's client id
 * @param clientSecret    the portal's client secret (generated per start; never leaves the JVM)
 * @param portalBaseUrls  base URLs of the portal, for redirect and post-logout URIs
 * @param users           the demo users
 * @param loginListener   told of every login attempt at the provider: (username, success)
 */
public record EmbeddedIdpSettings(String host, int port, String bindAddress, String clientId, String clientSecret,
        List<String> portalBaseUrls, List<DemoUser> users, BiConsumer<String, Boolean> loginListener) {
}
