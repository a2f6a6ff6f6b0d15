package org.wgkaraf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.Hashtable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.api.wireguard.Setting;
import org.wgkaraf.engine.runtime.EngineService;

class SettingsServiceTest {
    private static final String MODULE_KEY = "kI2/adVWRseT2ZtYxn/5lTzQsPKK8F7YHWcIo3iwgHk=";
    private static final String MODULE_PUBLIC = "hi0SNx8JJVLWIOuIfeQW5Ea5SK/41g4DeXJ2eJR9R3Y=";

    @TempDir
    Path dir;
    /** What ConfigAdmin holds for network.wireguard; updates replace it. */
    private Dictionary<String, Object> stored;
    private int updates;
    private SettingsService settings;

    @BeforeEach
    void setUp() {
        Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> stored;
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                        stored = new Hashtable<>();
                        for (var e = d.keys(); e.hasMoreElements(); ) {
                            String k = e.nextElement();
                            stored.put(k, d.get(k));
                        }
                        updates++;
                        yield null;
                    }
                    case "getPid" -> "network.wireguard";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ConfigurationAdmin admin = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConfiguration") && args.length == 2 && "?".equals(args[1])) {
                        return configuration;
                    }
                    throw new UnsupportedOperationException(method.getName() + " (must be getConfiguration(pid, \"?\"))");
                });
        settings = new SettingsService(admin, new SecretStore(dir.resolve("secrets")), new EngineService()::publicKey);
    }

    @Test
    void aValidValueIsStoredAsGiven() {
        settings.set(Instance.LOCAL_PORT, " 11010 ");
        assertEquals("11010", stored.get("local_port"));
        assertEquals(new Setting(Instance.LOCAL_PORT, "11010", true), settings.get(Instance.LOCAL_PORT));
    }

    @Test
    void aRefusedValueChangesNothing() {
        settings.set(Instance.PEER_PORT, "51820");
        int before = updates;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings.set(Instance.PEER_PORT, "70000"));
        assertEquals("peer_port: 70000 is out of range: expected a UDP port from 1 to 65535", e.getMessage());
        assertEquals(before, updates);
        assertEquals("51820", stored.get("peer_port"));
    }

    @Test
    void keysGoToTheSecretStoreAndConfigAdminHoldsHidden() throws Exception {
        settings.set(Instance.LOCAL_PRIVATE_KEY, MODULE_KEY);
        assertEquals(SecretStore.HIDDEN, stored.get("local_private_key"));
        Path file = dir.resolve("secrets");
        assertTrue(Files.readString(file).contains("local_private_key"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(new Setting(Instance.LOCAL_PRIVATE_KEY, SecretStore.HIDDEN, true), settings.get(Instance.LOCAL_PRIVATE_KEY));
        assertFalse(settings.list().toString().contains(MODULE_KEY.substring(0, 10)));

        settings.set(Instance.PRESHARED_KEY, "");
        assertEquals("", stored.get("preshared_key"), "an empty pre-shared key means none");
        assertFalse(settings.get(Instance.PRESHARED_KEY).set());
    }

    @Test
    void theServersKeyCannotBeTheModulesOwn() {
        settings.set(Instance.LOCAL_PRIVATE_KEY, MODULE_KEY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings.set(Instance.PEER_PUBLIC_KEY, MODULE_PUBLIC));
        assertEquals("peer_public_key: is the module's own public key; it must be the server's", e.getMessage());
        assertNull(stored.get("peer_public_key"));

        settings.unset(Instance.LOCAL_PRIVATE_KEY);
        settings.set(Instance.PEER_PUBLIC_KEY, MODULE_PUBLIC);
        assertThrows(IllegalArgumentException.class, () -> settings.set(Instance.LOCAL_PRIVATE_KEY, MODULE_KEY),
                "the same clash, set the other way round");
    }

    @Test
    void aRefusedSecretIsNeverQuotedBack() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings.set(Instance.LOCAL_PRIVATE_KEY, "kI2/adVWRseT2ZtYxn/5lTzQ"));
        assertFalse(e.getMessage().contains("kI2/adVW"), e.getMessage());
    }
}
