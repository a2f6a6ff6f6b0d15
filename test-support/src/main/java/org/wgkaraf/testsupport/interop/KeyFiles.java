package org.wgkaraf.testsupport.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Key files for {@code wg set ... private-key <file>}: created 0600 inside a 0700 directory (so
 * the key is never readable, not even for an instant), overwritten with zeros before deletion.
 */
public final class KeyFiles {
    private KeyFiles() {
    }

    public static Path createDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private temp directory: " + e.getMessage(), e);
        }
    }

    public static void write(Path file, String base64Key) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(file, (base64Key + "\n").getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Zeroes then deletes one file; nothing happens when it is gone already. */
    public static void wipe(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                long size = Files.size(file);
                Files.write(file, new byte[(int) Math.min(size, 1 << 20)], StandardOpenOption.WRITE);
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Wipes the key files of the directory, deletes the rest (logs), then removes it. */
    public static void wipeDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                if (f.getFileName().toString().endsWith(".log")) {
                    deleteQuietly(f);
                } else {
                    wipe(f);
                }
            });
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
