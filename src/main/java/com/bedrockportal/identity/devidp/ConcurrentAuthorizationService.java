package com.bedrockportal.identity.devidp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.lang.Nullable;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * The embedded provider's authorization store, safe for concurrent logins.
 * <p>
 * Spring Authorization Server's {@code InMemoryOAuth2AuthorizationService} keeps authorizations that have no access
 * token yet (an issued, not yet redeemed code) in a {@code Collections.synchronizedMap} and iterates its
 * {@code values()} in {@code findByToken} without holding the map's lock: a code redeemed while another login saves
 * or removes one throws {@code ConcurrentModificationException}. It also drops the oldest of those after 100, so
 * codes fail under load, and never drops finished ones. Here every token value is indexed in a
 * {@link ConcurrentHashMap} (lookups take no lock and never iterate), writes are serialised, and expired
 * authorizations are dropped.
 */
final class ConcurrentAuthorizationService implements OAuth2AuthorizationService {

    /**
     * How long an authorization with an ID token is kept after all its tokens expired: RP-initiated logout accepts
     * an expired ID token as {@code id_token_hint}, so the portal's logout must still find it.
     */
    static final Duration KEEP_FOR_LOGOUT = Duration.ofHours(24);
    /** An authorization without any token (waiting for consent, which the portal's client skips) is dropped after. */
    static final Duration KEEP_WITHOUT_TOKENS = Duration.ofMinutes(10);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    /** The token kinds that can be looked up, by the value of their {@link OAuth2TokenType}. */
    private static final Map<String, Class<? extends OAuth2Token>> KINDS = Map.of(
            OAuth2ParameterNames.CODE, OAuth2AuthorizationCode.class,
            OAuth2TokenType.ACCESS_TOKEN.getValue(), OAuth2AccessToken.class,
            OAuth2TokenType.REFRESH_TOKEN.getValue(), OAuth2RefreshToken.class,
            OidcParameterNames.ID_TOKEN, OidcIdToken.class,
            OAuth2ParameterNames.DEVICE_CODE, OAuth2DeviceCode.class,
            OAuth2ParameterNames.USER_CODE, OAuth2UserCode.class);

    private record Stored(OAuth2Authorization authorization, Instant savedAt, List<String> indexKeys) {
    }

    private final Map<String, Stored> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByToken = new ConcurrentHashMap<>();
    private final Clock clock;
    private Instant lastSweep = Instant.EPOCH;

    ConcurrentAuthorizationService(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void save(OAuth2Authorization authorization) {
        Instant now = clock.instant();
        unindex(byId.get(authorization.getId()));
        List<String> keys = indexKeys(authorization);
        byId.put(authorization.getId(), new Stored(authorization, now, keys));
        keys.forEach(k -> idByToken.put(k, authorization.getId()));
        if (!lastSweep.plus(SWEEP_EVERY).isAfter(now)) {
            lastSweep = now;
            sweep(now);
        }
    }

    @Override
    public synchronized void remove(OAuth2Authorization authorization) {
        Stored stored = byId.remove(authorization.getId());
        unindex(stored);
    }

    @Nullable
    @Override
    public OAuth2Authorization findById(String id) {
        Stored stored = byId.get(id);
        return stored == null ? null : stored.authorization();
    }

    @Nullable
    @Override
    public OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        if (tokenType != null) {
            return find(tokenType.getValue(), token);
        }
        OAuth2Authorization found = find(OAuth2ParameterNames.STATE, token);
        for (String kind : KINDS.keySet()) {
            if (found == null) {
                found = find(kind, token);
            }
        }
        return found;
    }

    /** How many authorizations are kept (for tests). */
    int size() {
        return byId.size();
    }

    private OAuth2Authorization find(String kind, String token) {
        String id = idByToken.get(kind + ":" + token);
        Stored stored = id == null ? null : byId.get(id);
        // A concurrent save may have replaced the authorization since the index was read: check it still matches.
        return stored != null && stored.indexKeys().contains(kind + ":" + token) ? stored.authorization() : null;
    }

    private static List<String> indexKeys(OAuth2Authorization authorization) {
        List<String> keys = new ArrayList<>();
        String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
        if (state != null) {
            keys.add(OAuth2ParameterNames.STATE + ":" + state);
        }
        KINDS.forEach((kind, type) -> {
            OAuth2Authorization.Token<? extends OAuth2Token> token = authorization.getToken(type);
            if (token != null) {
                keys.add(kind + ":" + token.getToken().getTokenValue());
            }
        });
        return keys;
    }

    private void unindex(@Nullable Stored stored) {
        if (stored != null) {
            stored.indexKeys().forEach(k -> idByToken.remove(k, stored.authorization().getId()));
        }
    }

    private void sweep(Instant now) {
        for (Stored stored : List.copyOf(byId.values())) {
            if (expired(stored, now)) {
                byId.remove(stored.authorization().getId(), stored);
                unindex(stored);
            }
        }
    }

    /** Whether nothing in it can be used any more (allowing for logout, see {@link #KEEP_FOR_LOGOUT}). */
    private static boolean expired(Stored stored, Instant now) {
        OAuth2Authorization a = stored.authorization();
        Instant lastUse = null;
        for (Class<? extends OAuth2Token> type : KINDS.values()) {
            OAuth2Authorization.Token<? extends OAuth2Token> token = a.getToken(type);
            if (token != null && !token.isInvalidated()) {
                Instant expires = token.getToken().getExpiresAt();
                if (expires == null) {
                    return false;
                }
                if (lastUse == null || expires.isAfter(lastUse)) {
                    lastUse = expires;
                }
            }
        }
        if (lastUse == null) {
            boolean hasTokens = KINDS.values().stream().anyMatch(type -> a.getToken(type) != null);
            return hasTokens || stored.savedAt().plus(KEEP_WITHOUT_TOKENS).isBefore(now);
        }
        Duration keep = a.getToken(OidcIdToken.class) != null ? KEEP_FOR_LOGOUT : Duration.ZERO;
        return lastUse.plus(keep).isBefore(now);
    }
}
