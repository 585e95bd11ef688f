package com.bedrockportal.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.shared.KeyFiles;
import com.bedrockportal.shared.KeyMaterial;

import org.springframework.stereotype.Component;

/** The audit chain's keys: the current one signs new rows; earlier ones (after a rotation) still verify theirs. */
@Component
final class ChainKeys {

    /**
     * A key, its id (the first 12 hex digits of its SHA-256, stored with each row it signs) and its age: 0 for the
     * oldest earlier key, rising in the order they are listed, the current key the highest. Rows are signed in that
     * order: a row signed with an older key than the row before it was not written by the portal.
     */
    record Key(String id, byte[] secret, int age) {
    }

    static final KeyMaterial.Source CHAIN_KEY = new KeyMaterial.Source("audit chain key", "portal.audit.chain-key",
            "PORTAL_AUDIT_CHAIN_KEY", "PORTAL_AUDIT_CHAINKEYFILE");
    static final KeyMaterial.Source PREVIOUS = new KeyMaterial.Source("earlier audit chain key",
            "portal.audit.previous-chain-keys", "PORTAL_AUDIT_PREVIOUS_CHAIN_KEYS", null);

    private final Key current;
    private final Map<String, Key> byId = new LinkedHashMap<>();

    @org.springframework.beans.factory.annotation.Autowired
    ChainKeys(AuditProperties properties, KeyFiles keyFiles) {
        this(KeyMaterial.load(CHAIN_KEY, properties.chainKey(), properties.chainKeyFile(), keyFiles.mayGenerate()),
                properties.previousChainKeys() == null ? List.of() : properties.previousChainKeys());
    }

    ChainKeys(byte[] current, List<String> previous) {
        if (previous.size() > AuditProperties.MAX_PREVIOUS) {
            throw new IllegalStateException(PREVIOUS.setting() + " lists " + previous.size() + " keys; at most "
                    + AuditProperties.MAX_PREVIOUS + " are read");
        }
        int age = 0;
        for (String earlier : previous) {
            if (earlier != null && !earlier.isBlank()) {
                Key k = key(KeyMaterial.decode(PREVIOUS, earlier), age++);
                byId.put(k.id(), k);
            }
        }
        this.current = key(current, age);
        byId.put(this.current.id(), this.current);
    }

    Key current() {
        return current;
    }

    Optional<Key> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    private static Key key(byte[] secret, int age) {
        try {
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret)).substring(0, 12);
            return new Key(id, secret, age);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
