package org.wgkaraf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .cfg file as Karaf's file installer keeps it: written back after each change, later and
 * on another thread. A change returns only once the file holds it, so the next change never
 * overlaps the write-back of the one before.
 */
class ConfigStoreTest {
    @TempDir
    Path dir;

    private final FakeConfigAdmin configAdmin = new FakeConfigAdmin();

    /** The file installer's write-back: the configuration into its file, 150 ms after each change. */
    private void writeBackLater(Path file) {
        configAdmin.onUpdate = props -> new Thread(() -> {
            try {
                Thread.sleep(150);
                writeBack(file, props);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).start();
    }

    /** What the file installer writes: the configuration's values, without its bookkeeping. */
    private static void writeBack(Path file, Map<String, Object> props) throws Exception {
        Properties p = new Properties();
        props.forEach((k, v) -> {
            if (!k.equals(ConfigStore.FILE_PROPERTY)) {
                p.setProperty(k, v.toString());
            }
        });
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
    }

    private static String fileValue(Path file, String key) throws Exception {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p.getProperty(key);
    }

    @Test
    void aChangeReturnsOnlyOnceTheFileHoldsIt() throws Exception {
        Path file = Files.writeString(dir.resolve("network.wireguard.cfg"), "# comments\n");
        configAdmin.put(Map.of(ConfigStore.FILE_PROPERTY, file.toUri().toString()));
        writeBackLater(file);
        ConfigStore store = new ConfigStore(configAdmin.admin, file);
        for (int port = 11010; port < 11015; port++) {
            int p = port;
            store.update(props -> props.put("local_port", Integer.toString(p)));
            assertEquals(Integer.toString(p), fileValue(file, "local_port"), "the file holds the change when update returns");
        }
    }

    @Test
    void aConfigurationWithoutAFileGetsOneAndIsLoadedFromIt() throws Exception {
        Path file = dir.resolve("network.wireguard.cfg");
        // The file installer: a file appearing becomes the configuration.
        Thread loader = new Thread(() -> {
            while (!Files.exists(file)) {
                Thread.onSpinWait();
            }
            try {
                Properties p = new Properties();
                try (var r = Files.newBufferedReader(file)) {
                    p.load(r);
                }
                Map<String, Object> m = new HashMap<>();
                p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
                m.put(ConfigStore.FILE_PROPERTY, file.toUri().toString());
                configAdmin.put(m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        loader.start();
        new ConfigStore(configAdmin.admin, file).update(props -> props.put("local_ip_address", "172.16.10.20"));
        loader.join(5_000);
        assertEquals("172.16.10.20", fileValue(file, "local_ip_address"));
        assertEquals("172.16.10.20", configAdmin.get("local_ip_address"));
        assertTrue(Files.readString(file).startsWith("# network.wireguard"), "a comment says what the file is");
    }
    @Test
    void anEmptiedConfigurationGetsTheGivenValuesBackAndTheFileHoldsThem() throws Exception {
        Path file = Files.writeString(dir.resolve("network.wireguard.cfg"), "# comments\n");
        configAdmin.put(Map.of(ConfigStore.FILE_PROPERTY, file.toUri().toString()));
        writeBackLater(file);
        ConfigStore store = new ConfigStore(configAdmin.admin, file);
        assertTrue(store.restoreIfEmptied(Map.of("peer_port", "51820", "local_private_key", SecretStore.HIDDEN)));
        assertEquals("51820", configAdmin.asMap().get("peer_port"));
        assertEquals(SecretStore.HIDDEN, fileValue(file, "local_private_key"));
    }

    @Test
    void aConfigurationSetMeanwhileIsLeftAlone() throws Exception {
        Path file = Files.writeString(dir.resolve("network.wireguard.cfg"), "# comments\n");
        configAdmin.put(Map.of(ConfigStore.FILE_PROPERTY, file.toUri().toString(), "peer_port", "51999"));
        ConfigStore store = new ConfigStore(configAdmin.admin, file);
        assertFalse(store.restoreIfEmptied(Map.of("peer_port", "51820", "local_port", "11010")));
        assertEquals("51999", configAdmin.asMap().get("peer_port"));
        assertEquals(null, configAdmin.asMap().get("local_port"));
    }
    @Test
    void aKeyIsNotHiddenOverAChangeSomeoneElseMadeSinceItWasRead() throws Exception {
        configAdmin.put(Map.of("local_private_key", "K", "peer_public_key", "P"));
        ConfigStore store = new ConfigStore(configAdmin.admin);
        // config:property-set removes peer_public_key while the client is moving the key away.
        configAdmin.afterRead = () -> configAdmin.put(Map.of("local_private_key", "K"));
        assertFalse(store.hideIfUnchanged(Map.of("local_private_key", "K"), SecretStore.HIDDEN));
        assertEquals(Map.of("local_private_key", "K"), configAdmin.asMap(), "their change stands");
        assertTrue(store.hideIfUnchanged(Map.of("local_private_key", "K"), SecretStore.HIDDEN), "nothing in between now");
        assertEquals(Map.of("local_private_key", SecretStore.HIDDEN), configAdmin.asMap());
    }

    /**
     * The file installer read its own write half-way and applied that: ConfigAdmin and the file
     * lose the change just made. The store notices and writes it again.
     */
    @Test
    void aChangeRolledBackByTheFileInstallerIsWrittenAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("network.wireguard.cfg"), "peer_port = 51820\n");
        configAdmin.put(Map.of(ConfigStore.FILE_PROPERTY, file.toUri().toString(), "peer_port", "51820"));
        java.util.concurrent.atomic.AtomicInteger rollbacks = new java.util.concurrent.atomic.AtomicInteger();
        configAdmin.onUpdate = props -> new Thread(() -> {
            try {
                Thread.sleep(50);
                writeBack(file, props);
                if (props.containsKey("local_port") && rollbacks.getAndIncrement() == 0) {
                    // The partial read: the file as it was, applied to ConfigAdmin, written back.
                    Thread.sleep(50);
                    Files.writeString(file, "peer_port = 51820\n");
                    configAdmin.put(Map.of(ConfigStore.FILE_PROPERTY, file.toUri().toString(), "peer_port", "51820"));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).start();
        new ConfigStore(configAdmin.admin, file).update(props -> props.put("local_port", "11010"));
        assertEquals("11010", configAdmin.asMap().get("local_port"), "ConfigAdmin holds the change");
        assertEquals("11010", fileValue(file, "local_port"), "and so does the file");
        assertTrue(rollbacks.get() >= 2, "it was rolled back once and written again");
    }
}
