package org.wgkaraf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.testsupport.packet.PacketBuilder.UDP;
import static org.wgkaraf.testsupport.packet.PacketBuilder.ipv4;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.DropReason;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.engine.TunnelStatus;
import org.wgkaraf.engine.core.TimeSource;
import org.wgkaraf.testsupport.Await;

/** The engine as a plain-classpath library, two tunnels talking over loopback UDP. */
class EngineServiceTest {
    private final EngineService engine = new EngineService();

    @AfterEach
    void closeAll() {
        engine.closeAll();
    }

    @Test
    void twoTunnelsExchangePacketsOverLoopback() throws Exception {
        SecretKey ka = engine.generatePrivateKey();
        SecretKey kb = engine.generatePrivateKey();
        SecretKey psk = engine.generatePresharedKey();
        PublicKey pa = engine.publicKey(ka);
        PublicKey pb = engine.publicKey(kb);
        LinkedBlockingQueue<byte[]> toA = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<byte[]> toB = new LinkedBlockingQueue<>();

        Tunnel b = engine.open(new TunnelConfig("wgb", kb, 0,
                List.of(new PeerConfig(pa, psk, null, List.of(IpPrefix.parse("10.214.0.1/32")), 0))),
                (buf, off, len) -> toB.add(java.util.Arrays.copyOfRange(buf, off, off + len)));
        int bPort = b.status().listenPort();
        assertTrue(bPort > 0);
        Tunnel a = engine.open(new TunnelConfig("wga", ka, 0,
                List.of(new PeerConfig(pb, psk, new Endpoint("localhost", bPort), List.of(IpPrefix.parse("10.214.0.0/24")), 0))),
                (buf, off, len) -> toA.add(java.util.Arrays.copyOfRange(buf, off, off + len)));

        byte[] ping = ipv4("10.214.0.1", "10.214.0.2").raw(UDP, new byte[100]).build();
        Await.until("endpoint resolved", Duration.ofSeconds(5), () -> a.status().peers().get(0).endpoint() != null);
        assertTrue(a.send(ping, 0, ping.length));
        assertArrayEquals(ping, toB.poll(5, TimeUnit.SECONDS));
        byte[] pong = ipv4("10.214.0.2", "10.214.0.1").raw(UDP, new byte[1000]).build();
        assertTrue(b.send(pong, 0, pong.length));
        assertArrayEquals(pong, toA.poll(5, TimeUnit.SECONDS));

        TunnelStatus sa = a.status();
        assertTrue(sa.running());
        assertEquals(pa, sa.publicKey());
        assertTrue(sa.peers().get(0).up());
        assertNotNull(sa.peers().get(0).latestHandshake());
        assertTrue(sa.peers().get(0).txBytes() > 0 && sa.peers().get(0).rxBytes() > 0);
        assertEquals(1, sa.peers().get(0).rxPackets());
        assertEquals(bPort, sa.peers().get(0).endpoint().getPort());
        assertFalse(sa.toString().contains(ka.toBase64()), "status never shows the private key");
        assertFalse(sa.toString().contains(psk.toBase64()));
    }

    @Test
    void garbageDatagramsAreCountedAndTheTunnelKeepsRunning() throws Exception {
        SecretKey ka = engine.generatePrivateKey();
        Tunnel a = engine.open(new TunnelConfig("wga", ka, 0, List.of()), (buf, off, len) -> { });
        int port = a.status().listenPort();
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] junk = new byte[200];
            for (int i = 0; i < 50; i++) {
                junk[0] = (byte) i;
                s.send(new java.net.DatagramPacket(junk, junk.length, new InetSocketAddress("127.0.0.1", port)));
            }
        }
        Await.until("50 drops counted", Duration.ofSeconds(5),
                () -> a.status().drops().values().stream().mapToLong(Long::longValue).sum() == 50);
        assertTrue(a.status().dropped(DropReason.UNKNOWN_TYPE) > 0);
        assertTrue(a.status().dropped(DropReason.MALFORMED) > 0);
        assertTrue(a.status().running());
    }

    @Test
    void unresolvableEndpointIsReportedAndRetried() throws Exception {
        SecretKey ka = engine.generatePrivateKey();
        PublicKey pb = engine.publicKey(engine.generatePrivateKey());
        Tunnel a = engine.open(new TunnelConfig("wga", ka, 0, List.of(new PeerConfig(pb, null,
                new Endpoint("no-such-host.invalid", 51820), List.of(IpPrefix.parse("10.214.0.0/24")), 25))), (b, o, l) -> { });
        Await.until("resolution error reported", Duration.ofSeconds(10), () -> a.status().peers().get(0).lastError() != null);
        assertTrue(a.status().peers().get(0).lastError().contains("no-such-host.invalid"));
        assertNull(a.status().peers().get(0).endpoint());
    }

    @Test
    void aBusyPortIsRefusedWithAClearMessageAndNothingLeftBehind() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            int port = s.getLocalPort();
            int before = wgThreads();
            IOException e = assertThrows(IOException.class, () -> engine.open(
                    new TunnelConfig("wga", engine.generatePrivateKey(), port, List.of()), (b, o, l) -> { }));
            assertTrue(e.getMessage().contains("cannot listen on UDP port " + port), e.getMessage());
            assertEquals(before, wgThreads());
            assertTrue(engine.tunnels().isEmpty());
        }
    }

    private static int wgThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (t.getName().startsWith("wg-receive-")
                        || t.getName().startsWith("wg-timer-") || t.getName().startsWith("wg-resolve-"))).count();
    }

    @Test
    void startAndStopAHundredTimesLeavesNoThreadSocketOrTimer() throws Exception {
        SecretKey ka = engine.generatePrivateKey();
        PublicKey pb = engine.publicKey(engine.generatePrivateKey());
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        int before = wgThreads();
        for (int i = 0; i < 100; i++) {
            Tunnel t = engine.open(new TunnelConfig("wga", ka, port, List.of(new PeerConfig(pb, null,
                    new Endpoint("127.0.0.1", 9), List.of(IpPrefix.parse("10.214.0.0/24")), 25))), (b, o, l) -> { });
            t.close();
            assertFalse(t.status().running());
        }
        assertEquals(before, wgThreads(), "no tunnel thread left");
        assertTrue(engine.tunnels().isEmpty());
        try (DatagramSocket again = new DatagramSocket(port)) {
            assertEquals(port, again.getLocalPort(), "the UDP port is free again");
        }
    }

    @Test
    void rebindMovesToANewSocketAndKeepsTheSession() throws Exception {
        SecretKey ka = engine.generatePrivateKey();
        SecretKey kb = engine.generatePrivateKey();
        LinkedBlockingQueue<byte[]> toB = new LinkedBlockingQueue<>();
        Tunnel b = engine.open(new TunnelConfig("wgb", kb, 0, List.of(new PeerConfig(engine.publicKey(ka), null, null,
                List.of(IpPrefix.parse("10.214.0.1/32")), 0))), (buf, off, len) -> toB.add(new byte[len]));
        Tunnel a = engine.open(new TunnelConfig("wga", ka, 0, List.of(new PeerConfig(engine.publicKey(kb), null,
                new Endpoint("127.0.0.1", b.status().listenPort()), List.of(IpPrefix.parse("10.214.0.0/24")), 0))), (x, y, z) -> { });
        Await.until("endpoint", Duration.ofSeconds(5), () -> a.status().peers().get(0).endpoint() != null);
        byte[] p = ipv4("10.214.0.1", "10.214.0.2").raw(UDP, new byte[10]).build();
        a.send(p, 0, p.length);
        assertNotNull(toB.poll(5, TimeUnit.SECONDS));
        int oldPort = a.status().listenPort();
        java.time.Instant hs = a.status().peers().get(0).latestHandshake();
        a.rebind();
        int newPort = a.status().listenPort();
        assertTrue(newPort != oldPort, "listen port 0 gives a new port on rebind");
        Await.until("b sees a's new port", Duration.ofSeconds(5),
                () -> b.status().peers().get(0).endpoint().getPort() == newPort);
        a.send(p, 0, p.length);
        assertNotNull(toB.poll(5, TimeUnit.SECONDS));
        assertEquals(hs, a.status().peers().get(0).latestHandshake(), "same session, no new handshake");
    }

    /** Wall clock the test can step back; monotonic time is the real one. */
    static final class SteppableClock implements org.wgkaraf.engine.core.TimeSource {
        volatile long wallOffset;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long wallClockNanos() {
            return TimeSource.SYSTEM.wallClockNanos() + wallOffset;
        }
    }

    @Test
    void aTunnelReopenedAfterTheWallClockSteppedBackIsNotTakenForAReplayer() throws Exception {
        SteppableClock clock = new SteppableClock();
        EngineService service = new EngineService(clock);
        try {
            SecretKey ka = service.generatePrivateKey();
            SecretKey kb = service.generatePrivateKey();
            LinkedBlockingQueue<byte[]> toB = new LinkedBlockingQueue<>();
            Tunnel b = service.open(new TunnelConfig("wgb", kb, 0, List.of(new PeerConfig(service.publicKey(ka), null, null,
                    List.of(IpPrefix.parse("10.214.0.1/32")), 0))), (buf, off, len) -> toB.add(new byte[len]));
            TunnelConfig aConfig = new TunnelConfig("wga", ka, 0, List.of(new PeerConfig(service.publicKey(kb), null,
                    new Endpoint("127.0.0.1", b.status().listenPort()), List.of(IpPrefix.parse("10.214.0.0/24")), 0)));
            byte[] p = ipv4("10.214.0.1", "10.214.0.2").raw(UDP, new byte[10]).build();
            Tunnel a = service.open(aConfig, (x, y, z) -> { });
            Await.until("endpoint", Duration.ofSeconds(5), () -> a.status().peers().get(0).endpoint() != null);
            a.send(p, 0, p.length);
            assertNotNull(toB.poll(5, TimeUnit.SECONDS));
            a.close();

            // b accepts at most one initiation per HANDSHAKE_INITIATION_RATE (20 ms) from a peer:
            // let that much time pass, or the reopened tunnel's first try is refused as a flood.
            Thread.sleep(org.wgkaraf.engine.core.Constants.HANDSHAKE_INITIATION_RATE / 1_000_000L + 5);
            clock.wallOffset = -3600L * 1_000_000_000L;
            Tunnel again = service.open(aConfig, (x, y, z) -> { });
            Await.until("endpoint", Duration.ofSeconds(5), () -> again.status().peers().get(0).endpoint() != null);
            again.send(p, 0, p.length);
            byte[] got = toB.poll(5, TimeUnit.SECONDS);
            assertNotNull(got, () -> "b accepted the new handshake: " + b.status() + "\n" + again.status());
            assertEquals(0, b.status().dropped(DropReason.HANDSHAKE_REPLAYED));
        } finally {
            service.closeAll();
        }
    }

    @Test
    void afterARestartWithTheClockSetBackTheServerStillAcceptsOurHandshakes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("handshake-timestamp");
        EngineService server = new EngineService();
        SecretKey ka = server.generatePrivateKey();
        SecretKey kb = server.generatePrivateKey();
        LinkedBlockingQueue<byte[]> toB = new LinkedBlockingQueue<>();
        Tunnel b = server.open(new TunnelConfig("wgb", kb, 0, List.of(new PeerConfig(server.publicKey(ka), null, null,
                List.of(IpPrefix.parse("10.214.0.1/32")), 0))), (buf, off, len) -> toB.add(new byte[len]));
        TunnelConfig aConfig = new TunnelConfig("wga", ka, 0, List.of(new PeerConfig(server.publicKey(kb), null,
                new Endpoint("127.0.0.1", b.status().listenPort()), List.of(IpPrefix.parse("10.214.0.0/24")), 0)));
        byte[] p = ipv4("10.214.0.1", "10.214.0.2").raw(UDP, new byte[10]).build();
        try {
            SteppableClock clock = new SteppableClock();
            EngineService module = new EngineService(clock, file);
            Tunnel a = module.open(aConfig, (x, y, z) -> { });
            Await.until("endpoint", Duration.ofSeconds(5), () -> a.status().peers().get(0).endpoint() != null);
            a.send(p, 0, p.length);
            assertNotNull(toB.poll(5, TimeUnit.SECONDS));
            module.closeAll();
            assertTrue(java.nio.file.Files.exists(file), "the floor was saved before the first initiation went out");

            // The module "reboots" with its clock an hour behind: a new engine, same file.
            Thread.sleep(org.wgkaraf.engine.core.Constants.HANDSHAKE_INITIATION_RATE / 1_000_000L + 5);
            SteppableClock resetClock = new SteppableClock();
            resetClock.wallOffset = -3600L * 1_000_000_000L;
            EngineService rebooted = new EngineService(resetClock, file);
            try {
                Tunnel again = rebooted.open(aConfig, (x, y, z) -> { });
                Await.until("endpoint", Duration.ofSeconds(5), () -> again.status().peers().get(0).endpoint() != null);
                again.send(p, 0, p.length);
                assertNotNull(toB.poll(5, TimeUnit.SECONDS), () -> "the server accepted the new handshake: " + b.status().drops());
                assertEquals(0, b.status().dropped(DropReason.HANDSHAKE_REPLAYED));
            } finally {
                rebooted.closeAll();
            }

            // Control: without the file, the same reboot is refused as a replay.
            Thread.sleep(org.wgkaraf.engine.core.Constants.HANDSHAKE_INITIATION_RATE / 1_000_000L + 5);
            EngineService forgetful = new EngineService(resetClock, null);
            try {
                Tunnel again = forgetful.open(aConfig, (x, y, z) -> { });
                Await.until("endpoint", Duration.ofSeconds(5), () -> again.status().peers().get(0).endpoint() != null);
                again.send(p, 0, p.length);
                Await.until("the server refuses it", Duration.ofSeconds(5),
                        () -> b.status().dropped(DropReason.HANDSHAKE_REPLAYED) == 1);
            } finally {
                forgetful.closeAll();
            }
        } finally {
            server.closeAll();
        }
    }

    @Test
    void rebindOnAFixedPortKeepsThePortAndTheSession() throws Exception {
        SecretKey ka = engine.generatePrivateKey();
        SecretKey kb = engine.generatePrivateKey();
        int fixed;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            fixed = probe.getLocalPort();
        }
        LinkedBlockingQueue<byte[]> toB = new LinkedBlockingQueue<>();
        Tunnel b = engine.open(new TunnelConfig("wgb", kb, 0, List.of(new PeerConfig(engine.publicKey(ka), null, null,
                List.of(IpPrefix.parse("10.214.0.1/32")), 0))), (buf, off, len) -> toB.add(new byte[len]));
        Tunnel a = engine.open(new TunnelConfig("wga", ka, fixed, List.of(new PeerConfig(engine.publicKey(kb), null,
                new Endpoint("127.0.0.1", b.status().listenPort()), List.of(IpPrefix.parse("10.214.0.0/24")), 0))), (x, y, z) -> { });
        Await.until("endpoint", Duration.ofSeconds(5), () -> a.status().peers().get(0).endpoint() != null);
        byte[] p = ipv4("10.214.0.1", "10.214.0.2").raw(UDP, new byte[10]).build();
        a.send(p, 0, p.length);
        assertNotNull(toB.poll(5, TimeUnit.SECONDS));
        java.time.Instant hs = a.status().peers().get(0).latestHandshake();

        a.rebind(); // the uplink changed; the configured port stays ours
        assertEquals(fixed, a.status().listenPort());
        assertTrue(a.status().running());
        for (int i = 0; i < 3; i++) {
            a.send(p, 0, p.length);
            assertNotNull(toB.poll(5, TimeUnit.SECONDS), "traffic continues after rebind " + i);
            a.rebind();
        }
        assertEquals(hs, a.status().peers().get(0).latestHandshake(), "same session, no new handshake");
        assertNull(a.status().lastError());
    }
}
