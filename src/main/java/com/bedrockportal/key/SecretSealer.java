package com.bedrockportal.key;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals API keys the moment they arrive: AES-256-GCM under a fresh data key, the data key wrapped (AES-256-GCM) by
 * the master key. Only sealed bytes are ever stored. Plaintext byte arrays are overwritten as soon as they are used.
 */
public class SecretSealer {

    /** A sealed secret: ciphertext and wrapped data key (each nonce + ciphertext + tag), and which master key. */
    public record Sealed(byte[] ciphertext, byte[] wrappedKey, String masterKeyId) {
    }

    /** Refused to open: wrong master key, or the bytes were changed. Never shows garbage. */
    public static class SealingException extends RuntimeException {
        public SealingException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SecretSealer.class);
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final KeyWrapper wrapper;
    private final SecureRandom random = new SecureRandom();

    public SecretSealer(byte[] masterKey) {
        this(new LocalMasterKey(masterKey));
    }

    /** Seals with data keys wrapped by this wrapper (e.g. AWS KMS). */
    public SecretSealer(KeyWrapper wrapper) {
        this.wrapper = wrapper;
    }

    /** The default wrapper: AES-256-GCM under a 256-bit master key held by the portal. */
    static final class LocalMasterKey implements KeyWrapper {
        private final byte[] key;
        private final String id;
        private final SecureRandom random = new SecureRandom();

        LocalMasterKey(byte[] key) {
            if (key.length != 32) {
                throw new IllegalArgumentException("The sealing master key must be 32 bytes (256 bits); it has "
                        + key.length);
            }
            this.key = key.clone();
            this.id = idOf(key);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public byte[] wrap(byte[] dataKey, String context) {
            return encrypt(random, key, dataKey, context);
        }

        @Override
        public byte[] unwrap(byte[] wrapped, String context) throws GeneralSecurityException {
            return decrypt(key, wrapped, context);
        }
    }

    /** Loads the master key from the settings, or (embedded default) from the key file, generating it once. */
    public static SecretSealer from(SealingProperties properties) {
        if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(properties.masterKey().strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("portal.sealing.master-key (PORTAL_SEALING_KEY) is not valid base64. "
                        + "Generate one with: openssl rand -base64 32", e);
            }
            if (key.length != 32) {
                throw new IllegalStateException("portal.sealing.master-key (PORTAL_SEALING_KEY) must decode to 32 "
                        + "bytes (256 bits); it decodes to " + key.length + ". Generate one with: openssl rand -base64 32");
            }
            return new SecretSealer(key);
        }
        try {
            if (!Files.exists(properties.keyFile())) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.createDirectories(Objects.requireNonNull(properties.keyFile().toAbsolutePath().getParent()));
                Files.write(properties.keyFile(), Base64.getEncoder().encode(key));
                try {
                    Files.setPosixFilePermissions(properties.keyFile(), PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    log.warn("Cannot restrict permissions of {} on this file system", properties.keyFile());
                }
                log.warn("Generated a sealing master key in {} (embedded default). In production set "
                        + "PORTAL_SEALING_KEY instead.", properties.keyFile());
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(properties.keyFile()).strip());
            return new SecretSealer(key);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot read the sealing key file " + properties.keyFile(), e);
        }
    }

    public String masterKeyId() {
        return wrapper.id();
    }

    /** Seals the secret. The caller still owns {@code secret} and should overwrite it. */
    public Sealed seal(char[] secret, String context) {
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
        byte[] plain = new byte[encoded.remaining()];
        encoded.get(plain);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        try {
            byte[] ciphertext = encrypt(random, dataKey, plain, context);
            byte[] wrapped = wrapper.wrap(dataKey, "data-key:" + context);
            return new Sealed(ciphertext, wrapped, wrapper.id());
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Opens a sealed secret; overwrite the result after use. */
    public char[] open(Sealed sealed, String context) {
        if (!wrapper.id().equals(sealed.masterKeyId())) {
            throw new SealingException("This secret was sealed with another master key (" + sealed.masterKeyId()
                    + "); the configured one is " + wrapper.id() + ".", null);
        }
        byte[] dataKey = null;
        byte[] plain = null;
        try {
            dataKey = wrapper.unwrap(sealed.wrappedKey(), "data-key:" + context);
            plain = decrypt(dataKey, sealed.ciphertext(), context);
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(plain));
            char[] result = new char[chars.remaining()];
            chars.get(result);
            if (chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new SealingException("The sealed secret could not be opened: it was altered, or belongs to "
                    + "another record.", e);
        } finally {
            if (dataKey != null) {
                Arrays.fill(dataKey, (byte) 0);
            }
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** Re-wraps the data key under a new master key (master key rotation); the ciphertext stays as it is. */
    public Sealed rewrap(Sealed sealed, String context, SecretSealer target) {
        byte[] dataKey = null;
        try {
            dataKey = wrapper.unwrap(sealed.wrappedKey(), "data-key:" + context);
            return new Sealed(sealed.ciphertext(), target.wrapper.wrap(dataKey, "data-key:" + context),
                    target.wrapper.id());
        } catch (GeneralSecurityException e) {
            throw new SealingException("Cannot re-wrap: the data key was altered or sealed under another key.", e);
        } finally {
            if (dataKey != null) {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
    }

    private static byte[] encrypt(SecureRandom random, byte[] key, byte[] plain, String context) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every Java platform", e);
        }
    }

    private static byte[] decrypt(byte[] key, byte[] sealed, String context) throws GeneralSecurityException {
        if (sealed.length <= NONCE) {
            throw new javax.crypto.AEADBadTagException("too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
    }

    private static String idOf(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
