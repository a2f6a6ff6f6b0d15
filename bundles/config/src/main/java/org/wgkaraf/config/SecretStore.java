package org.wgkaraf.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;
import org.wgkaraf.api.wireguard.Instance;

/**
 * Where the private and pre-shared keys live instead of ConfigAdmin: a file readable by its owner
 * only ({@code etc/network.wireguard.secrets} in Karaf, beside {@code etc/host.key}). ConfigAdmin,
 * and so Karaf's {@code config:list} and {@code etc/network.wireguard.cfg}, hold {@value #HIDDEN}
 * in their place. Every read goes to the file, so the settings service and the client share it.
 */
public final class SecretStore {
    /** What ConfigAdmin holds for a secret kept here. */
    public static final String HIDDEN = "(hidden)";

    private final Path file;

    public SecretStore(Path file) {
        this.file = file;
    }

    public static Path defaultLocation() {
        String etc = System.getProperty("karaf.etc");
        return etc != null ? Path.of(etc, "network.wireguard.secrets")
                : Path.of(System.getProperty("user.home"), ".wgkaraf", "network.wireguard.secrets");
    }

    public synchronized Optional<String> get(Instance instance) {
        return Optional.ofNullable(load().getProperty(instance.key()));
    }

    public synchronized void put(Instance instance, String base64) throws IOException {
        Properties p = load();
        p.setProperty(instance.key(), base64);
        save(p);
    }

    /** Stores a key given in base64, in canonical form; the parsed copy is zeroed. */
    public void putKey(Instance instance, String base64) throws IOException {
        org.wgkaraf.api.engine.SecretKey k = org.wgkaraf.api.engine.SecretKey.fromBase64(base64);
        try {
            put(instance, k.toBase64());
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
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
            Files.createFile(tmp);
        }
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "WireGuard keys of network.wireguard: keep this file private");
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
