package org.wgkaraf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.testsupport.packet.PacketBuilder.UDP;
import static org.wgkaraf.testsupport.packet.PacketBuilder.ipv4;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.testsupport.Await;

/** The packet sink: called on the receive thread, without the engine lock. */
class SinkCallbackTest extends RuntimeTestSupport {

    /**
     * A sink may wait for another thread that needs the engine (a TCP layer: an application
     * thread holding the connection's lock sends through the tunnel while the receive thread
     * wants that lock to deliver). That works only if the engine calls the sink without its lock.
     */
    @Test
    void theSinkIsCalledWithoutTheEngineLock() throws Exception {
        SecretKey ka = keys.generatePrivateKey();
        SecretKey kb = keys.generatePrivateKey();
        AtomicReference<Tunnel> bRef = new AtomicReference<>();
        AtomicReference<String> otherThread = new AtomicReference<>();
        CountDownLatch delivered = new CountDownLatch(1);
        PacketSink waitsForAnotherThread = (buf, off, len) -> {
            if (delivered.getCount() == 0) {
                return;
            }
            try {
                // Another thread uses the same tunnel while this delivery is under way.
                CompletableFuture<Boolean> f = CompletableFuture.supplyAsync(() -> bRef.get().status().running(), helper);
                otherThread.set(f.get(2, TimeUnit.SECONDS) ? "completed" : "not running");
            } catch (java.util.concurrent.TimeoutException e) {
                otherThread.set("blocked: the engine held its lock while calling the sink");
            } catch (Exception e) {
                otherThread.set(e.toString());
            }
            delivered.countDown();
        };
        TunnelRuntime b = open(new TunnelConfig("wgb", kb, 0, List.of(new PeerConfig(keys.publicKey(ka), null, null,
                List.of(IpPrefix.parse("10.214.0.1/32")), 0))), waitsForAnotherThread, HostResolver.SYSTEM,
                realResolverThread("wgb"), RuntimeHooks.NONE);
        bRef.set(b);
        TunnelRuntime a = open(new TunnelConfig("wga", ka, 0, List.of(new PeerConfig(keys.publicKey(kb), null,
                new Endpoint("127.0.0.1", b.status().listenPort()), List.of(IpPrefix.parse("10.214.0.0/24")), 0))),
                (x, y, z) -> { }, HostResolver.SYSTEM, realResolverThread("wga"), RuntimeHooks.NONE);
        Await.until("a's endpoint", DEADLINE, () -> a.status().peers().get(0).endpoint() != null);
        byte[] p = ipv4("10.214.0.1", "10.214.0.2").raw(UDP, new byte[10]).build();
        assertTrue(a.send(p, 0, p.length));
        await(delivered);
        assertEquals("completed", otherThread.get());
    }

    /** The userspace backend answers a ping from inside the sink: the reply goes out on the same thread. */
    @Test
    void aReplySentFromInsideTheSinkReachesThePeer() throws Exception {
        SecretKey ka = keys.generatePrivateKey();
        SecretKey kb = keys.generatePrivateKey();
        AtomicReference<Tunnel> bRef = new AtomicReference<>();
        byte[] reply = ipv4("10.214.0.2", "10.214.0.1").raw(UDP, new byte[30]).build();
        PacketSink echo = (buf, off, len) -> assertTrue(bRef.get().send(reply, 0, reply.length));
        LinkedBlockingQueue<byte[]> toA = new LinkedBlockingQueue<>();
        TunnelRuntime b = open(new TunnelConfig("wgb", kb, 0, List.of(new PeerConfig(keys.publicKey(ka), null, null,
                List.of(IpPrefix.parse("10.214.0.1/32")), 0))), echo, HostResolver.SYSTEM,
                realResolverThread("wgb"), RuntimeHooks.NONE);
        bRef.set(b);
        TunnelRuntime a = open(new TunnelConfig("wga", ka, 0, List.of(new PeerConfig(keys.publicKey(kb), null,
                new Endpoint("127.0.0.1", b.status().listenPort()), List.of(IpPrefix.parse("10.214.0.0/24")), 0))),
                (buf, off, len) -> toA.add(java.util.Arrays.copyOfRange(buf, off, off + len)), HostResolver.SYSTEM,
                realResolverThread("wga"), RuntimeHooks.NONE);
        Await.until("a's endpoint", DEADLINE, () -> a.status().peers().get(0).endpoint() != null);
        byte[] p = ipv4("10.214.0.1", "10.214.0.2").raw(UDP, new byte[10]).build();
        assertTrue(a.send(p, 0, p.length));
        assertArrayEquals(reply, toA.poll(DEADLINE_MS, TimeUnit.MILLISECONDS));
    }
}
