package com.bedrockportal.shared;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signatures of webhook bodies (secret scanning, Slack), compared in constant time. */
public final class Hmac {

    private Hmac() {
    }

    public static byte[] sha256(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code hex} (after {@code prefix}) is the HMAC of {@code data}; false for anything malformed. */
    public static boolean matches(String secret, byte[] data, String header, String prefix) {
        if (header == null || !header.startsWith(prefix)) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring(prefix.length()).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(secret, data), given);
    }
}
