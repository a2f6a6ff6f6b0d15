package org.wgkaraf.engine.runtime;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.engine.core.Tai64n;
import org.wgkaraf.engine.core.TimeSource;

/**
 * What the runtime's race tests share: tunnels opened with test hooks and a resolver executor of
 * the test's choosing, closed after each test, and waits that end at a deadline. The races are
 * forced by holding one thread where another could overtake it ({@link RuntimeHooks}), or driven
 * by a scheduler whose time the test moves ({@link ManualScheduler}): nothing waits on chance.
 */
abstract class RuntimeTestSupport {
    static final long DEADLINE_MS = 5000;
    static final Duration DEADLINE = Duration.ofMillis(DEADLINE_MS);

    final EngineService keys = new EngineService();
    final List<Tunnel> opened = new ArrayList<>();
    final ExecutorService helper = Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() {
        for (Tunnel t : opened) {
            t.close();
        }
        keys.closeAll();
        helper.shutdownNow();
    }

    TunnelRuntime open(TunnelConfig config, PacketSink sink, HostResolver hosts, ScheduledExecutorService resolver,
                               RuntimeHooks hooks) throws IOException {
        TunnelRuntime t = new TunnelRuntime(config, sink, TimeSource.SYSTEM, new SecureRandom(),
                new Tai64n(TimeSource.SYSTEM::wallClockNanos), hosts, () -> { }, resolver, hooks);
        opened.add(t);
        return t;
    }

    static ScheduledExecutorService realResolverThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wg-resolve-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    static int freePort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0)) {
            return probe.getLocalPort();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(DEADLINE_MS, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the other thread never reached its point");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static long totalDrops(Tunnel t) {
        return t.status().drops().values().stream().mapToLong(Long::longValue).sum();
    }

    static void sendJunk(int port) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] junk = {9, 9, 9, 9, 9, 9, 9, 9};
            s.send(new DatagramPacket(junk, junk.length, new InetSocketAddress("127.0.0.1", port)));
        }
    }
}
