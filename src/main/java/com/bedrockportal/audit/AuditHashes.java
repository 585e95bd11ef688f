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
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 and HmacSHA256 are required by every Java platform", e);
        }
    }
}
