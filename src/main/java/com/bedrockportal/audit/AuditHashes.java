package com.bedrockportal.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** SHA-256 over a length-prefixed encoding of a row, so no two different rows encode alike. */
final class AuditHashes {

    private AuditHashes() {
    }

    static String hash(long seq, Instant occurredAt, String actor, String action, String target, String details,
            String prevHash) {
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
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
