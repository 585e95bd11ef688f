package com.bedrockportal.identity;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The REST API's settings ({@code portal.api.*}).
 *
 * @param enabled           whether {@code /api/v1} answers at all (off: 404 for every API path but secret scanning)
 * @param clients           machine clients (client-credentials tokens) by client id: the portal user they act as and
 *                          their roles. Their business units are the units whose member lists name that user, like
 *                          everyone's. A token whose subject is neither a listed client nor a person is refused
 * @param audiences         the {@code aud} values a token must carry one of; empty: the portal's client id and the
 *                          listed clients' ids
 * @param requestsPerMinute calls one user or client may make per minute (then 429 with Retry-After)
 * @param maxBody           the largest request body (larger: 413, nothing read)
 * @param idempotencyTtl    how long an {@code Idempotency-Key} is remembered
 * @param maxPageSize       the most rows one list call returns
 * @param tokenTtl          how long the embedded provider's client-credentials tokens live
 */
@ConfigurationProperties("portal.api")
public record ApiProperties(
        @DefaultValue("true") boolean enabled,
        Map<String, Client> clients,
        List<String> audiences,
        @DefaultValue("120") int requestsPerMinute,
        @DefaultValue("64KB") DataSize maxBody,
        @DefaultValue("P1D") Duration idempotencyTtl,
        @DefaultValue("200") int maxPageSize,
        @DefaultValue("PT10M") Duration tokenTtl) {

    public ApiProperties {
        clients = clients == null ? Map.of() : Map.copyOf(clients);
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
    }

    /**
     * A machine client: the portal user it acts as, its roles, and (embedded provider only) its secret there.
     */
    public record Client(String username, List<PortalRole> roles, String embeddedSecret) {

        public Client {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        @Override
        public String toString() {
            return "Client[" + username + ", " + roles + "]";
        }
    }
}
