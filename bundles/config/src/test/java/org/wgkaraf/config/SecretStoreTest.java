package org.wgkaraf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.engine.runtime.EngineService;

class SecretStoreTest {
    @TempDir
    Path dir;

    private final EngineService engine = new EngineService();

    @Test
    void keysAreKeptOwnerOnlyInCanonicalFormAndNothingIsLeftBeside() throws Exception {
        SecretStore store = new SecretStore(dir.resolve("network.wireguard.secrets"));
        String key = engine.generatePrivateKey().toBase64();
        store.putKey(Instance.LOCAL_PRIVATE_KEY, " " + key + " ");
        assertEquals(key, store.get(Instance.LOCAL_PRIVATE_KEY).orElseThrow());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(store.file()), files.toList(), "no temporary file left");
        }
        store.remove(Instance.LOCAL_PRIVATE_KEY);
        assertFalse(store.get(Instance.LOCAL_PRIVATE_KEY).isPresent());
    }

    @Test
    void concurrentWritersLoseNoUpdate() throws Exception {
        SecretStore store = new SecretStore(dir.resolve("network.wireguard.secrets"));
        String a = engine.generatePrivateKey().toBase64();
        String b = engine.generatePrivateKey().toBase64();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                CountDownLatch go = new CountDownLatch(1);
                Future<?> f1 = pool.submit(() -> {
                    go.await();
                    store.putKey(Instance.LOCAL_PRIVATE_KEY, a);
                    return null;
                });
                Future<?> f2 = pool.submit(() -> {
                    go.await();
                    store.putKey(Instance.PRESHARED_KEY, b);
                    return null;
                });
                go.countDown();
                f1.get();
                f2.get();
                assertEquals(a, store.get(Instance.LOCAL_PRIVATE_KEY).orElse(null), "round " + round);
                assertEquals(b, store.get(Instance.PRESHARED_KEY).orElse(null), "round " + round);
                store.remove(Instance.LOCAL_PRIVATE_KEY);
                store.remove(Instance.PRESHARED_KEY);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBadKeyIsRefusedWithoutQuotingIt() {
        SecretStore store = new SecretStore(dir.resolve("s"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.putKey(Instance.LOCAL_PRIVATE_KEY, "kI2/adVWRseT2ZtYxn/5lTzQ"));
        assertFalse(e.getMessage().contains("kI2/adVW"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("s")));
    }
}
