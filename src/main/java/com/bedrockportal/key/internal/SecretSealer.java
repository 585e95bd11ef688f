package com.bedrockportal.key.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.bedrockportal.key.KeyWrapper;
import com.bedrockportal.shared.KeyMaterial;

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
    /**
     * The first byte of every ciphertext says its format, so a future change of sealing still reads old records:
     * 0 = the first format (nonce, AES-GCM ciphertext and tag; AAD the record's context): records sealed before the
     * byte existed, given it by migration V9; 1 = the same with the format byte also bound into the AAD. Wrapped data
     * keys keep their own format (with KMS they are KMS's ciphertext).
     */
    static final byte FORMAT_LEGACY = 0;
    static final byte FORMAT_V1 = 1;
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

    /** The master key as messages name it. */
    static final KeyMaterial.Source MASTER_KEY = new KeyMaterial.Source("sealing master key",
            "portal.sealing.master-key", "PORTAL_SEALING_KEY", "PORTAL_SEALING_KEYFILE");

    /**
     * Loads the master key from the settings, or from the key file, which the embedded default generates once
     * ({@code generate}).
     */
    static SecretSealer from(SealingProperties properties, boolean generate) {
        return new SecretSealer(KeyMaterial.load(MASTER_KEY, properties.masterKey(), properties.keyFile(), generate));
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
            byte[] ciphertext = encryptSecret(random, dataKey, plain, context, FORMAT_V1);
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
            plain = decryptSecret(dataKey, sealed.ciphertext(), context);
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

    /** A secret's ciphertext: the format byte, then nonce, AES-GCM ciphertext and tag. */
    private static byte[] encryptSecret(SecureRandom random, byte[] key, byte[] plain, String context, byte format) {
        byte[] raw = encrypt(random, key, plain, aad(context, format));
        return ByteBuffer.allocate(1 + raw.length).put(format).put(raw).array();
    }

    private static byte[] decryptSecret(byte[] key, byte[] sealed, String context) throws GeneralSecurityException {
        if (sealed.length < 1) {
            throw new javax.crypto.AEADBadTagException("empty");
        }
        byte format = sealed[0];
        if (format != FORMAT_LEGACY && format != FORMAT_V1) {
            throw new javax.crypto.AEADBadTagException("unknown sealed-secret format " + format);
        }
        return decrypt(key, Arrays.copyOfRange(sealed, 1, sealed.length), aad(context, format));
    }

    /** The first format bound only the context; later ones bind their format byte too. */
    private static byte[] aad(String context, byte format) {
        byte[] text = context.getBytes(StandardCharsets.UTF_8);
        if (format == FORMAT_LEGACY) {
            return text;
        }
        return ByteBuffer.allocate(1 + text.length).put(format).put(text).array();
    }

    private static byte[] encrypt(SecureRandom random, byte[] key, byte[] plain, String context) {
        return encrypt(random, key, plain, context.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] encrypt(SecureRandom random, byte[] key, byte[] plain, byte[] aad) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] ct = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every Java platform", e);
        }
    }

    private static byte[] decrypt(byte[] key, byte[] sealed, String context) throws GeneralSecurityException {
        return decrypt(key, sealed, context.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] decrypt(byte[] key, byte[] sealed, byte[] aad) throws GeneralSecurityException {
        if (sealed.length <= NONCE) {
            throw new javax.crypto.AEADBadTagException("too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
        cipher.updateAAD(aad);
        return cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
    }

    /** Seals in the first format, as records were before the format byte existed (tests of the migration only). */
    Sealed sealLegacyForTests(char[] secret, String context) {
        Sealed v1 = seal(secret, context);
        byte[] dataKey = null;
        try {
            dataKey = wrapper.unwrap(v1.wrappedKey(), "data-key:" + context);
            byte[] plain = new String(secret).getBytes(StandardCharsets.UTF_8);
            return new Sealed(encrypt(random, dataKey, plain, context), v1.wrappedKey(), v1.masterKeyId());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            if (dataKey != null) {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
    }

    private static String idOf(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
