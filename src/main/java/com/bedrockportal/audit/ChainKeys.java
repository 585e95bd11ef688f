package com.bedrockportal.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.shared.KeyMaterial;

import org.springframework.stereotype.Component;

/** The audit chain's keys: the current one signs new rows; earlier ones (after a rotation) still verify theirs. */
@Component
final class ChainKeys {

    /** A key and its id (the first 12 hex digits of its SHA-256), the id stored with each row it signs. */
    record Key(String id, byte[] secret) {
    }

    static final KeyMaterial.Source CHAIN_KEY = new KeyMaterial.Source("audit chain key", "portal.audit.chain-key",
            "PORTAL_AUDIT_CHAIN_KEY");
    static final KeyMaterial.Source PREVIOUS = new KeyMaterial.Source("earlier audit chain key",
            "portal.audit.previous-chain-keys", "PORTAL_AUDIT_PREVIOUS_CHAIN_KEYS");

    private final Key current;
    private final Map<String, Key> byId = new LinkedHashMap<>();

    @org.springframework.beans.factory.annotation.Autowired
    ChainKeys(AuditProperties properties) {
        this(KeyMaterial.load(CHAIN_KEY, properties.chainKey(), properties.chainKeyFile()),
                properties.previousChainKeys() == null ? List.of() : properties.previousChainKeys());
    }

    ChainKeys(byte[] current, List<String> previous) {
        if (previous.size() > AuditProperties.MAX_PREVIOUS) {
            throw new IllegalStateException(PREVIOUS.setting() + " lists " + previous.size() + " keys; at most "
                    + AuditProperties.MAX_PREVIOUS + " are read");
        }
        this.current = key(current);
        for (String earlier : previous) {
            if (earlier != null && !earlier.isBlank()) {
                Key k = key(KeyMaterial.decode(PREVIOUS, earlier));
                byId.put(k.id(), k);
            }
        }
        byId.put(this.current.id(), this.current);
    }

    Key current() {
        return current;
    }

    Optional<Key> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    private static Key key(byte[] secret) {
        try {
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret)).substring(0, 12);
            return new Key(id, secret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
