package com.bedrockportal.key;

/**
 * Wraps the per-secret data keys: the local master key (default), or AWS KMS in {@code aws} mode
 * ({@code portal.sealing.kms-key-id}). Implementations fail loudly rather than return wrong bytes.
 */
public interface KeyWrapper {

    /** A short id stored with each sealed secret (at most 16 characters). */
    String id();

    byte[] wrap(byte[] dataKey, String context);

    byte[] unwrap(byte[] wrapped, String context) throws java.security.GeneralSecurityException;
}
