package com.bedrockportal.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The newest row of the audit chain this node has seen intact, kept in a file of the node's own
 * ({@code portal.audit.witness-file}), outside the database. The chain's key stops whoever writes the database from
 * altering a row, but not from cutting rows off its end together with the head; the next verification compares the
 * chain with this file, so rows removed from behind what the node saw show. It only moves forward.
 */
@org.springframework.stereotype.Component
final class ChainWitness {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChainWitness.class);
    private static final int HASH_LENGTH = 64;

    /** A row seen intact: its sequence number and hash, and when. */
    record Seen(long seq, String hash, Instant at) {
    }

    private final Path file;

    @org.springframework.beans.factory.annotation.Autowired
    ChainWitness(AuditProperties properties) {
        this(properties.witnessFile());
    }

    ChainWitness(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * The row last seen, if any. A file that cannot be read as one is reported as such (its content was not written by
     * the portal), never taken for "nothing seen yet".
     */
    synchronized Optional<Seen> read() {
        if (file == null || !Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String[] parts = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
            if (parts.length != 3 || parts[1].length() != HASH_LENGTH) {
                throw new IllegalStateException("its content is not a row the portal recorded");
            }
            return Optional.of(new Seen(Long.parseLong(parts[0]), parts[1], Instant.parse(parts[2])));
        } catch (IOException | RuntimeException e) {
            // The message reaches the audit page and evidence packs: it names the setting, not the server's path.
            LOG.error("The audit chain witness file {} cannot be read", file, e);
            throw new IllegalStateException("this node's audit chain witness (portal.audit.witness-file) cannot be "
                    + "read: " + (e instanceof IOException ? e.getClass().getSimpleName()
                            : "its content is not a row the portal recorded"), e);
        }
    }

    /**
     * Records {@code seq} as seen intact, unless a later row was already seen. Written to a new file and moved over the
     * old one, owner-only: a node stopping meanwhile leaves the old or the new witness, never half of one.
     */
    synchronized void advance(long seq, String hash, Instant at) {
        if (file == null || seq <= 0) {
            return;
        }
        try {
            Optional<Seen> seen = read();
            if (seen.isPresent() && seen.get().seq() >= seq) {
                return;
            }
            Path folder = Objects.requireNonNull(file.toAbsolutePath().getParent());
            Files.createDirectories(folder);
            Path next = Files.createTempFile(folder, ".audit-witness", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the folder's own permissions apply
                }
                Files.writeString(next, seq + " " + hash + " " + at + "\n", StandardCharsets.US_ASCII);
                try {
                    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(next);
            }
        } catch (IOException | IllegalStateException e) {
            // The chain itself is unaffected; the next verification tries again (and reports an unreadable file).
            LOG.warn("Cannot record the audit chain's head in {}: {}", file, e.getMessage());
        }
    }
}
