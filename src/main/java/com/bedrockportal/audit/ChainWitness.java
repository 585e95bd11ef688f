package com.bedrockportal.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The newest row of the audit chain this node has seen intact, kept in a file of the node's own
 * ({@code portal.audit.witness-file}), outside the database. The chain's key stops whoever writes the database from
 * altering a row, but not from cutting rows off its end together with the head; the next verification compares the
 * chain with this file, so rows removed from behind what the node saw show. It only moves forward; each move is
 * written to a new file, flushed to the disk and moved over the old one under a lock on a file beside it, so a crash
 * leaves the old or the new witness and two processes given the same file by mistake cannot move it back.
 */
@org.springframework.stereotype.Component
final class ChainWitness {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChainWitness.class);
    private static final int HASH_LENGTH = 64;

    /** A row seen intact: its sequence number and hash, and when. */
    record Seen(long seq, String hash, Instant at) {
    }

    /** The witness cannot be read (or not as one the portal wrote): the chain cannot be judged by it. */
    static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One monitor per witness file in this JVM (two contexts of one test JVM may name the same file). */
    private static final java.util.concurrent.ConcurrentMap<Path, Object> MOVES =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** How long a move waits for another process's lock on the file before it gives up (and logs). */
    private static final int LOCK_TRIES = 50;
    private static final long LOCK_PAUSE_MS = 100;

    private final Path file;

    /** The configured file; its folder must be writable, or the start fails (a witness never written protects nothing). */
    @org.springframework.beans.factory.annotation.Autowired
    ChainWitness(AuditProperties properties) {
        this(properties.witnessFile());
        Path folder = Objects.requireNonNull(file.toAbsolutePath().getParent());
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the folder of the audit chain witness " + file
                    + " (portal.audit.witness-file, PORTAL_AUDIT_WITNESSFILE)", e);
        }
        if (!Files.isWritable(folder)) {
            throw new IllegalStateException("The folder of the audit chain witness " + file + " is not writable "
                    + "(portal.audit.witness-file, PORTAL_AUDIT_WITNESSFILE): each node needs one of its own");
        }
    }

    /** A witness of {@code file}; null (tests of the chain alone) keeps none. */
    ChainWitness(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * The row last seen; empty only when the file does not exist. A file that cannot be read, or not as one the portal
     * wrote, is {@link Unreadable}, never taken for "nothing seen yet".
     */
    Optional<Seen> read() {
        if (file == null) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unreadable(e.getClass().getSimpleName(), e);
        }
        try {
            String[] parts = text.strip().split(" ");
            if (parts.length != 3 || parts[1].length() != HASH_LENGTH || Long.parseLong(parts[0]) <= 0) {
                throw new IllegalArgumentException("not a row number, a hash and a time");
            }
            return Optional.of(new Seen(Long.parseLong(parts[0]), parts[1], Instant.parse(parts[2])));
        } catch (RuntimeException e) {
            throw unreadable("its content is not a row the portal recorded", e);
        }
    }

    private Unreadable unreadable(String why, Exception e) {
        // The message reaches the audit page and evidence packs: it names the setting, not the server's path.
        LOG.error("The audit chain witness file {} cannot be read: {}", file, e.toString());
        return new Unreadable("this node's audit chain witness (portal.audit.witness-file) cannot be read: " + why
                + "; see README, Runbook", e);
    }

    /**
     * Records {@code seq} as seen intact, unless a later row was already seen (or the witness cannot be read: it is
     * left for people to look at). Never throws (it runs after a commit): a failure to write is logged, and the chain
     * itself is unaffected. Returns whether the witness now names {@code seq} or a later row.
     */
    boolean advance(long seq, String hash, Instant at) {
        if (file == null || seq <= 0) {
            return false;
        }
        Path absolute = file.toAbsolutePath().normalize();
        synchronized (MOVES.computeIfAbsent(absolute, p -> new Object())) {
            try {
                return move(absolute, seq, hash, at);
            } catch (IOException | RuntimeException e) {
                // The next verification tries again (and reports a witness it cannot read).
                LOG.error("Cannot record the audit chain's head in {}: {}", file, e.toString());
                return false;
            }
        }
    }

    private boolean move(Path absolute, long seq, String hash, Instant at) throws IOException {
        Path folder = Objects.requireNonNull(absolute.getParent());
        Path lockFile = folder.resolve(absolute.getFileName() + ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockOf(lockChannel)) {
            if (lock == null) {
                LOG.error("Cannot record the audit chain's head in {}: no lock on {} (another process holds it, or "
                        + "the wait was interrupted)", file, lockFile);
                return false;
            }
            Optional<Seen> seen = read();
            if (seen.isPresent() && seen.get().seq() >= seq) {
                return true;
            }
            // Created owner-only (rw-------) where the file system has POSIX permissions.
            Path next = Files.createTempFile(folder, ".audit-witness", ".tmp");
            try {
                try (FileChannel out = FileChannel.open(next, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    out.write(ByteBuffer.wrap((seq + " " + hash + " " + at + "\n").getBytes(StandardCharsets.US_ASCII)));
                    out.force(true);
                }
                try {
                    Files.move(next, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(next, absolute, StandardCopyOption.REPLACE_EXISTING);
                }
                syncFolder(folder);
            } finally {
                Files.deleteIfExists(next);
            }
            return true;
        }
    }

    /** The file's lock, waiting a few seconds at most for another process that holds it; null if it still does. */
    private static FileLock lockOf(FileChannel channel) throws IOException {
        for (int i = 0; i < LOCK_TRIES; i++) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            try {
                Thread.sleep(LOCK_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** The move itself on the disk too (Linux; elsewhere a folder may not open as a channel). */
    private static void syncFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // the file's own flush stands
        }
    }
}
