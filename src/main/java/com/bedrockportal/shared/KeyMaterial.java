package com.bedrockportal.shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 256-bit key from a setting (base64), or from a key file, which the embedded default generates once with owner-only
 * permissions. The sealing master key and the audit chain's key are loaded so.
 */
public final class KeyMaterial {

    private static final Logger log = LoggerFactory.getLogger(KeyMaterial.class);

    /**
     * What a key is called in messages: its setting and environment variable, and the environment variable of its
     * file.
     */
    public record Source(String what, String setting, String environment, String fileEnvironment) {
    }

    private KeyMaterial() {
    }

    /**
     * The key in {@code base64} when set, else the one in {@code file}; a missing file is generated there when
     * {@code generate} (the embedded default), and stops the start otherwise.
     */
    public static byte[] load(Source source, String base64, Path file, boolean generate) {
        if (base64 != null && !base64.isBlank()) {
            return decode(source, base64);
        }
        try {
            if (!Files.exists(file)) {
                if (!generate) {
                    throw new IllegalStateException("No " + source.what() + ": set " + source.environment() + " ("
                            + source.setting() + ", base64 of 32 bytes: openssl rand -base64 32) or put it in the file "
                            + file + " (" + source.fileEnvironment() + "). No key is generated here (portal.key-files.generate; "
                            + "unset, only on an embedded H2 database): every node on the database needs the same one, "
                            + "kept apart from the database and its backups.");
                }
                generate(source, file);
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(Files.readString(file).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("The " + source.what() + " file " + file + " is not base64 of 32 "
                        + "bytes. Generate one with: openssl rand -base64 32", e);
            }
            if (key.length != 32) {
                throw new IllegalStateException("The " + source.what() + " file " + file + " must hold base64 of 32 "
                        + "bytes (256 bits); it decodes to " + key.length + ". Generate one with: openssl rand -base64 32");
            }
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the " + source.what() + " file " + file, e);
        }
    }

    /**
     * Writes a new key to {@code file}, created anew (owner-only where the file system allows): a process starting at
     * the same moment that created it first keeps its key, and this one reads that.
     */
    private static void generate(Source source, Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(Objects.requireNonNull(file.toAbsolutePath().getParent()));
        try {
            Files.write(file, Base64.getEncoder().encode(key), java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (java.nio.file.FileAlreadyExistsException createdMeanwhile) {
            return;
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            log.warn("Cannot restrict permissions of {} on this file system", file);
        }
        log.warn("Generated {} in {}. On a shared database set {} instead.", source.what(), file,
                source.environment());
    }

    /** A base64 setting's 32 bytes; a clear message naming the setting otherwise. */
    public static byte[] decode(Source source, String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source.setting() + " (" + source.environment() + ") is not valid base64. "
                    + "Generate one with: openssl rand -base64 32", e);
        }
        if (key.length != 32) {
            throw new IllegalStateException(source.setting() + " (" + source.environment() + ") must decode to 32 "
                    + "bytes (256 bits); it decodes to " + key.length + ". Generate one with: openssl rand -base64 32");
        }
        return key;
    }
}
