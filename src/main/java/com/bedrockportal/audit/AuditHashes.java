package com.bedrockportal.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A row's hash over a length-prefixed encoding of it, so no two different rows encode alike: HMAC-SHA256 under the
 * chain key, or plain SHA-256 for rows written before the chain was keyed ({@code key} null).
 */
final class AuditHashes {

    /**
     * Each thread's initialised HMACs, by key id (a handful of keys at most): getting and initialising one per row took
     * as long as the hash itself (AuditHashBenchmark: 1,628 ns a row against SHA-256's 868 ns).
     */
    private static final ThreadLocal<java.util.Map<String, Mac>> MACS = ThreadLocal.withInitial(java.util.HashMap::new);

    private AuditHashes() {
    }

    static String hash(long seq, Instant occurredAt, String actor, String action, String target, String details,
            String prevHash) {
        return hash(seq, occurredAt, actor, action, target, details, prevHash, null);
    }

    static String hash(long seq, Instant occurredAt, String actor, String action, String target, String details,
            String prevHash, ChainKeys.Key key) {
        StringBuilder sb = new StringBuilder();
        for (String part : new String[] { Long.toString(seq), occurredAt.toString(), actor, action, target, details,
                prevHash }) {
            if (part == null) {
                sb.append("-1:");
            } else {
                sb.append(part.length()).append(':').append(part);
            }
            sb.append('|');
        }
        byte[] encoded = sb.toString().getBytes(StandardCharsets.UTF_8);
        try {
            if (key == null) {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
            }
            Mac mac = MACS.get().get(key.id());
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
                MACS.get().put(key.id(), mac);
            }
            return HexFormat.of().formatHex(mac.doFinal(encoded)); // doFinal leaves it ready for the next row
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 and HmacSHA256 are required by every Java platform", e);
        }
    }
}
