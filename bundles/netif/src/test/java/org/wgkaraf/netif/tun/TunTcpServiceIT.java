package org.wgkaraf.netif.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpListener;
import org.wgkaraf.engine.runtime.EngineService;
import org.wgkaraf.netif.TcpPeer;
import org.wgkaraf.netif.tcp.TunnelTcpService;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.Lab;
import org.wgkaraf.testsupport.interop.NamespaceJvm;
import org.wgkaraf.testsupport.interop.Netns;
import org.wgkaraf.testsupport.interop.Prerequisites;
import org.wgkaraf.testsupport.interop.Shell;
import org.wgkaraf.testsupport.interop.WgKeys;
import org.wgkaraf.testsupport.interop.WireGuardGoPeer;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/**
 * The one TcpService on the TUN backend: the OS carries TCP over a TUN interface that the Java
 * engine tunnels to wireguard-go; the service listens and connects with OS sockets bound to the
 * interface's address, never the wildcard, for interfaces there before and after the listener.
 */
class TunTcpServiceIT {
    private static final int WG_PORT = 51820;
    private Lab lab;
    private Netns ns;
    private String tunName;
    private Inet4Address tunAddress;
    private EngineService engine;
    private WireGuardGoPeer peer;
    private Tunnel tunnel;
    private TunBackend backend;
    private TunnelTcpService tcp;
    private final AttachmentSink toOs = new AttachmentSink();
    private final List<NamespaceJvm> jvms = new ArrayList<>();

    @BeforeAll
    static void prerequisites() {
        Prerequisites.check();
    }

    @BeforeEach
    void setUp() throws IOException {
        lab = Lab.open();
        ns = lab.netns();
        tunName = lab.prefix() + "t";
        tunAddress = PacketBuilder.ipv4(ns.innerAddress(2));
        engine = new EngineService();
        SecretKey key = engine.generatePrivateKey();
        peer = lab.wireguardGo(ns, WgKeys.generate(), WG_PORT, ns.innerAddress(1) + "/24", List.of(new WireGuardGoPeer.PeerSpec(
                engine.publicKey(key).toBase64(), null, List.of(tunAddress.getHostAddress() + "/32"), null, 0)));
                PeerConfig wg = new PeerConfig(PublicKey.fromBase64(peer.publicKey()), null, new Endpoint(ns.nsAddress(), WG_PORT),
                List.of(IpPrefix.parse(ns.innerAddress(0) + "/24")), 0);
        tunnel = engine.open(new TunnelConfig(tunName, key, 0, List.of(wg)), toOs);
        key.destroy();
        backend = new TunBackend();
        tcp = new TunnelTcpService(List.of(backend));
    }

    /** Makes the TUN interface (the registry would, on registration) and waits for the handshake. */
    private void attach() throws IOException {
        NetifInfo info = new NetifInfo(1, tunName, NetifInfo.Kind.VIRTUAL, true, true, tunAddress,
                PacketBuilder.ipv4("255.255.255.0"), PacketBuilder.ipv4("0.0.0.0"));
        toOs.set(backend.attach(info, new TunnelInput(tunnel)));
        Await.until("a ping through " + tunName + " is answered (handshake done)", Duration.ofSeconds(30),
                () -> Shell.cmd("ping", "-n", "-q", "-I", tunName, "-c", "1", "-W", "1", peer.tunnelAddress()).tryRun().ok());
    }

    private NamespaceJvm kernelPeer(String... args) {
        NamespaceJvm j = NamespaceJvm.start(ns.name(), List.of("-Xmx96m"), TcpPeer.class, List.of(args));
        jvms.add(j);
        return j;
    }

    @AfterEach
    void tearDown() {
        jvms.forEach(NamespaceJvm::close);
        List<RuntimeException> failures = new ArrayList<>();
        for (AutoCloseable c : Arrays.asList(tcp::close, backend, toOs.get(), tunnel, lab)) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                failures.add(e instanceof RuntimeException re ? re : new IllegalStateException(e));
            }
        }
        engine.closeAll();
        RootLinks.removeQuietly(tunName);
        lab.assertNothingLeft();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** The root namespace's listening sockets on {@code port}: their local addresses. */
    private static List<String> listeningOn(int port) {
        List<String> local = new ArrayList<>();
        for (String line : Shell.cmd("ss", "-Hltn").tryRun().stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[3].endsWith(":" + port)) {
                local.add(f[3]);
            }
        }
        return local;
    }

    @Test
    void aListenerOnTheTunBackendIsBoundToTheTunnelAddressOnlyAndTheKernelReachesIt() throws Exception {
        attach();
        try (TcpListener listener = tcp.listen(6101, 4)) {
            assertEquals(List.of(tunAddress.getHostAddress() + ":6101"), listeningOn(6101), "nothing on the wildcard address");
            assertEquals(List.of(6101), tcp.status().listening());
            long seed = 42;
            kernelPeer("send", tunAddress.getHostAddress(), "6101", String.valueOf(seed), String.valueOf(8 << 20));
            TcpConnection c = listener.accept(Duration.ofSeconds(30));
            assertNotNull(c, "accepted");
            assertEquals(ns.innerAddress(1), c.remote().getAddress().getHostAddress());
            long n = receive(c, seed);
            assertEquals(8 << 20, n);
            c.close();
        }
        assertTrue(listeningOn(6101).isEmpty(), "closing the listener frees the port");
    }

    @Test
    void aListenerMadeBeforeTheInterfaceExistsIsBoundWhenItComes() throws Exception {
        try (TcpListener listener = tcp.listen(6102, 4)) {
            assertTrue(listeningOn(6102).isEmpty(), "no interface yet, so nowhere to listen (and never the wildcard)");
            attach();
            assertEquals(List.of(tunAddress.getHostAddress() + ":6102"), listeningOn(6102));
            kernelPeer("send", tunAddress.getHostAddress(), "6102", "7", "1000");
            TcpConnection c = listener.accept(Duration.ofSeconds(30));
            assertNotNull(c);
            assertEquals(1000, receive(c, 7));
            c.close();
        }
    }

    @Test
    void connectGoesThroughTheOsFromTheTunnelAddress() throws Exception {
        attach();
        long seed = 9;
        NamespaceJvm sink = kernelPeer("sink", ns.innerAddress(1), "6103", String.valueOf(seed), String.valueOf(8 << 20));
        sink.awaitLine("the kernel listens", Duration.ofSeconds(30), "ready"::equals);
        try (TcpConnection c = tcp.connect(PacketBuilder.ipv4(ns.innerAddress(1)), 6103, Duration.ofSeconds(10))) {
            assertEquals(tunAddress, c.local().getAddress(), "bound to the tunnel address");
            byte[] buf = new byte[64 * 1024];
            PseudoRandomStream stream = new PseudoRandomStream(seed);
            for (int sent = 0; sent < 8 << 20; sent += buf.length) {
                stream.next(buf, 0, buf.length);
                c.output().write(buf);
            }
            c.output().close(); // closing the output stream is shutdownOutput: we still read
            assertEquals(-1, c.input().read());
            sink.awaitLine("the kernel received every byte", Duration.ofSeconds(30), ("received " + (8 << 20))::equals);
        }
        assertFalse(tcp.status().listening().contains(6103));
    }

    private static long receive(TcpConnection c, long seed) throws IOException {
        PseudoRandomStream expected = new PseudoRandomStream(seed);
        byte[] buf = new byte[64 * 1024];
        byte[] want = new byte[buf.length];
        long total = 0;
        int n;
        while ((n = c.input().read(buf)) >= 0) {
            expected.next(want, 0, n);
            assertEquals(-1, Arrays.mismatch(buf, 0, n, want, 0, n), "bytes intact at " + total);
            total += n;
        }
        return total;
    }
}
