package org.wgkaraf.engine.runtime;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HexFormat;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.engine.core.Tai64n;

/** The handshake timestamp floor on disk: one line of 24 hex digits, replaced atomically. */
final class TimestampFile {
    private static final Logger LOG = LoggerFactory.getLogger(TimestampFile.class);
    /** At most one write this often (and one at shutdown): see {@link Tai64n#persistTo}. */
    static final Duration EVERY = Duration.ofMinutes(1);

    private TimestampFile() {
    }

    static Path defaultLocation(BundleContext context) {
        String data = System.getProperty("karaf.data");
        if (data != null) {
            return Path.of(data, "wgkaraf", "handshake-timestamp");
        }
        java.io.File f = context.getDataFile("handshake-timestamp");
        return f == null ? null : f.toPath();
    }

    static void restoreAndPersist(Tai64n tai64n, Path file, java.util.function.LongSupplier monotonicNanos) {
        try {
            if (Files.exists(file)) {
                byte[] floor = HexFormat.of().parseHex(Files.readString(file).strip());
                if (floor.length == Tai64n.LENGTH) {
                    tai64n.advanceTo(floor, 0);
                } else {
                    LOG.warn("ignoring {}: not a TAI64N timestamp", file);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("ignoring {}: {}", file, e.toString());
        }
        tai64n.persistTo(floor -> write(file, floor), EVERY, monotonicNanos);
    }

    private static void write(Path file, byte[] floor) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, HexFormat.of().formatHex(floor) + "\n");
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
