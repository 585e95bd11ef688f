package com.bedrockportal.identity.devidp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * How the embedded provider keeps its clients' secrets: SHA-256, compared in constant time. The portal's own secret
 * is 256 random bits generated at each start and API clients' secrets are configured machine secrets; the digests
 * live only in this JVM's memory. A deliberately slow hash (BCrypt, as for people's passwords) protects nothing more
 * here and cost about 70 ms of CPU on every login's token exchange: half of the embedded provider's CPU when many
 * users log in at once (issue 16).
 */
final class ClientSecretDigest implements PasswordEncoder {

    /** The id under which {@link EmbeddedIdpConfig}'s delegating encoder knows this one. */
    static final String ID = "sha256";
    private static final String PREFIX = "{" + ID + "}";

    @Override
    public String encode(CharSequence rawSecret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rawSecret.toString()
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    @Override
    public boolean matches(CharSequence rawSecret, String encoded) {
        return rawSecret != null && encoded != null && MessageDigest.isEqual(encode(rawSecret).getBytes(
                StandardCharsets.US_ASCII), encoded.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether {@code stored} is a secret as {@link #stored} keeps it. */
    static boolean isStored(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** The secret as the delegating encoder stores it. */
    String stored(String rawSecret) {
        return PREFIX + encode(rawSecret);
    }
}
