package org.wgkaraf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.api.wireguard.Setting;
import org.wgkaraf.engine.runtime.EngineService;

/** config set/get/list/unset over ConfigAdmin: checks, keys kept apart, the .cfg file named. */
class SettingsTest {
    private static final String MODULE_KEY = "kI2/adVWRseT2ZtYxn/5lTzQsPKK8F7YHWcIo3iwgHk=";
    private static final String MODULE_PUBLIC = "hi0SNx8JJVLWIOuIfeQW5Ea5SK/41g4DeXJ2eJR9R3Y=";

    @TempDir
    Path dir;
    private final FakeConfigAdmin configAdmin = new FakeConfigAdmin();
    private Judgement judgement = Judgement.NONE;
    private Settings settings;

    @BeforeEach
    void setUp() {
        settings = new Settings(new ConfigStore(configAdmin.admin),
                new SecretStore(dir.resolve("secrets")), new EngineService()::publicKey, () -> judgement);
    }

    @Test
    void aValidValueIsStoredAsGiven() {
        settings.set(Instance.LOCAL_PORT, " 11010 ");
        assertEquals("11010", configAdmin.get("local_port"));
        assertEquals(new Setting(Instance.LOCAL_PORT, "11010", true), settings.get(Instance.LOCAL_PORT));
    }

    @Test
    void aRefusedValueChangesNothing() {
        settings.set(Instance.PEER_PORT, "51820");
        int before = configAdmin.updates();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings.set(Instance.PEER_PORT, "70000"));
        assertEquals("peer_port: 70000 is out of range: expected a UDP port from 1 to 65535", e.getMessage());
        assertEquals(before, configAdmin.updates());
        assertEquals("51820", configAdmin.get("peer_port"));
    }

    @Test
    void keysGoToTheSecretStoreAndConfigAdminHoldsHidden() throws Exception {
        settings.set(Instance.LOCAL_PRIVATE_KEY, MODULE_KEY);
        assertEquals(SecretStore.HIDDEN, configAdmin.get("local_private_key"));
        Path file = dir.resolve("secrets");
        assertTrue(Files.readString(file).contains("local_private_key"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(new Setting(Instance.LOCAL_PRIVATE_KEY, SecretStore.HIDDEN, true), settings.get(Instance.LOCAL_PRIVATE_KEY));
        assertFalse(settings.list().toString().contains(MODULE_KEY.substring(0, 10)));

        settings.set(Instance.PRESHARED_KEY, "");
        assertEquals("", configAdmin.get("preshared_key"), "an empty pre-shared key means none");
        assertFalse(settings.get(Instance.PRESHARED_KEY).set());
    }

    @Test
    void theServersKeyCannotBeTheModulesOwn() {
        settings.set(Instance.LOCAL_PRIVATE_KEY, MODULE_KEY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings.set(Instance.PEER_PUBLIC_KEY, MODULE_PUBLIC));
        assertEquals("peer_public_key: is the module's own public key; it must be the server's", e.getMessage());
        assertNull(configAdmin.get("peer_public_key"));

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

    @Test
    void aRefusedValueIsShownWithWhyAndWhatTheTunnelRunsWith() {
        configAdmin.put(java.util.Map.of("peer_port", "70000"));
        judgement = new Judgement(java.util.Map.of("peer_port", "70000 is out of range: expected a UDP port from 1 to 65535"),
                java.util.Map.of("peer_port", "51820"));
        assertEquals(new Setting(Instance.PEER_PORT, "70000", true, "70000 is out of range: expected a UDP port from 1 to 65535", "51820"),
                settings.get(Instance.PEER_PORT));
        assertEquals(new Setting(Instance.LOCAL_PORT, "", false), settings.get(Instance.LOCAL_PORT), "others are not refused");
    }

    @Test
    void theExtraInstancesAreCheckedToo() {
        settings.set(Instance.SSH_PORT, "2222");
        settings.set(Instance.SOCKS_PORT, "0");
        settings.set(Instance.INTERFACE_BACKEND, "tun");
        assertEquals("2222", configAdmin.get("ssh_port"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings.set(Instance.SOCKS_PORT, "x"));
        assertEquals("socks_port: 'x' is not a number: expected a TCP port from 1 to 65535, or 0 to turn the SOCKS5 proxy off",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> settings.set(Instance.INTERFACE_BACKEND, "kernel"));
        assertEquals("interface_backend: 'kernel' is not a backend: expected userspace or tun", e.getMessage());
    }
}
