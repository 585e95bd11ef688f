package com.bedrockportal.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * The embedded default keeps its database (and the generated sealing key) in a local folder: owner-only, the
 * folder {@code rwx------} and its files {@code rw-------}, set before the database opens. On file systems without
 * POSIX permissions nothing is changed.
 */
public final class DataFolder {

    private DataFolder() {
    }

    /** The folder of an H2 file URL ({@code jdbc:h2:file:./data/portal;…}), or null for any other database. */
    static Path ofH2Url(String url) {
        if (url == null || !url.startsWith("jdbc:h2:file:")) {
            return null;
        }
        String path = url.substring("jdbc:h2:file:".length());
        int options = path.indexOf(';');
        path = options < 0 ? path : path.substring(0, options);
        Path parent = Path.of(path.replaceFirst("^~", System.getProperty("user.home"))).toAbsolutePath().getParent();
        return parent;
    }

    /** Creates the folder if needed and makes it and every file in it owner-only. */
    public static void secure(Path folder) {
        try {
            Files.createDirectories(folder);
            if (Files.getFileAttributeView(folder, PosixFileAttributeView.class) == null) {
                return;
            }
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make " + folder + " owner-only", e);
        }
    }
}
