package org.wgkaraf.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.wireguard.Instance;

/**
 * Where the private and pre-shared keys live instead of ConfigAdmin: a file readable by its owner
 * only ({@code etc/network.wireguard.secrets} in Karaf, beside {@code etc/host.key}). ConfigAdmin,
 * and so Karaf's {@code config:list} and {@code etc/network.wireguard.cfg}, hold {@value #HIDDEN}
 * in their place.
 * <p>
 * One store per file in the process: the client component creates it and hands it to the settings
 * service, and every method holds the store's lock, so a read-modify-write never loses another's
 * update. A write goes to a fresh owner-only temporary file beside the store, then replaces the
 * store in one rename: a crash leaves the old file or the new one, never half of one, and the keys
 * are never in a file that others can read, not even for a moment.
 */
public final class SecretStore {
    /** What ConfigAdmin holds for a secret kept here. */
    public static final String HIDDEN = "(hidden)";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;

    public SecretStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    public static Path defaultLocation() {
        String etc = System.getProperty("karaf.etc");
        return etc != null ? Path.of(etc, "network.wireguard.secrets")
                : Path.of(System.getProperty("user.home"), ".wgkaraf", "network.wireguard.secrets");
    }

    public Path file() {
        return file;
    }

    public synchronized Optional<String> get(Instance instance) {
        return Optional.ofNullable(load().getProperty(instance.key()));
    }

    /** Stores a key given in base64, in canonical form; the parsed copy is zeroed. */
    public synchronized void putKey(Instance instance, String base64) throws IOException {
        SecretKey k = SecretKey.fromBase64(base64);
        try {
            Properties p = load();
            p.setProperty(instance.key(), k.toBase64());
            save(p);
        } finally {
            k.destroy();
        }
    }

    public synchronized void remove(Instance instance) throws IOException {
        Properties p = load();
        if (p.remove(instance.key()) != null) {
            save(p);
        }
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return p;
    }

    private void save(Properties p) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = ownerOnlyTempFile();
        try {
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, "WireGuard keys of network.wireguard: keep this file private");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A new temporary file beside the store, created owner-only (or made so before a byte is written). */
    private Path ownerOnlyTempFile() throws IOException {
        String prefix = "." + file.getFileName() + ".";
        try {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            return Files.createTempFile(file.getParent(), prefix, ".tmp", attr);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: restrict it as far as this one allows, before writing.
            Path tmp = Files.createTempFile(file.getParent(), prefix, ".tmp");
            java.io.File f = tmp.toFile();
            boolean restricted = f.setReadable(false, false) && f.setReadable(true, true)
                    && f.setWritable(false, false) && f.setWritable(true, true);
            if (!restricted) {
                Files.deleteIfExists(tmp);
                throw new IOException("cannot make " + tmp + " readable by its owner only; keys not stored");
            }
            return tmp;
        }
    }
}
