package org.wgkaraf.netif.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.wgkaraf.engine.runtime.EngineService;
import org.wgkaraf.netif.TcpPeer;
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
 * The whole path with the OS at both ends: programs in the root namespace use a TUN interface
 * (10.214.N.2/24) carried by the TUN backend and the Java WireGuard engine; wireguard-go serves
 * 10.214.N.1 in a namespace, reached over a veth (10.213.N.0/24). Ping both ways, then TCP both
 * ways, with the TUN offloads on (the backend's default): the kernel's TCP hands super-segments
 * to the TUN device, and takes joined segments from it. {@link TunEnginePlainInteropIT} runs the
 * same with them off.
 */
class TunEngineInteropIT {
    private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final long TRANSFER_BYTES = 100L * 1024 * 1024;
    private static final int PORT = 51820;

    private Lab lab;
    private Netns ns;
    private String tunName;
    private Inet4Address tunAddress;
    private EngineService engine;
    private WireGuardGoPeer peer;
    private Tunnel tunnel;
    private TunAttachment attachment;
    /** What the TUN device's reader hands the tunnel. */
    private TunnelInput input;

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
        peer = lab.wireguardGo(ns, WgKeys.generate(), PORT, ns.innerAddress(1) + "/24", List.of(new WireGuardGoPeer.PeerSpec(
                engine.publicKey(key).toBase64(), null, List.of(tunAddress.getHostAddress() + "/32"), null, 0)));

        // The engine delivers on its receive thread into the TUN device, which exists only after the tunnel.
        AttachmentSink toOs = new AttachmentSink();
                PeerConfig wg = new PeerConfig(PublicKey.fromBase64(peer.publicKey()), null,
                new Endpoint(ns.nsAddress(), PORT), List.of(IpPrefix.parse(ns.innerAddress(0) + "/24")), 0);
        tunnel = engine.open(new TunnelConfig(tunName, key, 0, List.of(wg)), toOs);
        key.destroy();
        NetifInfo info = new NetifInfo(1, tunName, NetifInfo.Kind.VIRTUAL, true, true, tunAddress,
                PacketBuilder.ipv4("255.255.255.0"), PacketBuilder.ipv4("0.0.0.0"));
        input = new TunnelInput(tunnel);
        attachment = (TunAttachment) new TunBackend(offloads()).attach(info, input);
        toOs.set(attachment);
    }

    @AfterEach
    void tearDown() {
        List<RuntimeException> failures = new ArrayList<>();
        for (AutoCloseable c : Arrays.asList(attachment, tunnel, lab)) {
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

    /** Whether the TUN device is opened with offloads. */
    boolean offloads() {
        return true;
    }

    private String diagnostics() {
        return "tunnel: " + tunnel.status() + "\nTUN: " + attachment + "\nwireguard-go: " + ns.cmd("wg", "show", peer.ifName()).tryRun().stdout()
                + "\nlog: " + peer.logTail(50);
    }

    /** The Java side initiates (only it knows the other's endpoint): the first ping through the TUN triggers the handshake. */
    private void handshake() {
        Await.until("a ping through " + tunName + " is answered (handshake done)", Duration.ofSeconds(30),
                () -> ping(Shell.cmd("ping", "-n", "-q", "-I", tunName, "-c", "1", "-W", "1", peer.tunnelAddress())).received() == 1,
                this::diagnostics);
    }

    private record PingSummary(int transmitted, int received, String output) {
    }

    private static PingSummary ping(Shell.Command command) {
        Shell.Result r = command.timeout(Duration.ofSeconds(60)).tryRun();
        Matcher m = PING_SUMMARY.matcher(r.stdout());
        if (!m.find()) {
            throw new IllegalStateException("`" + command + "` printed no summary: " + r.stdout() + r.stderr());
        }
        return new PingSummary(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), r.stdout());
    }

    @Test
    void pingsBothWaysThroughTheTunInterfaceLoseNothing() {
        handshake();

        PingSummary fromNamespace = ping(ns.cmd("ping", "-n", "-q", "-c", "20", "-i", "0.2", "-W", "2", tunAddress.getHostAddress()));
        PingSummary fromRoot = ping(Shell.cmd("ping", "-n", "-q", "-I", tunName, "-c", "20", "-i", "0.2", "-W", "2", peer.tunnelAddress()));

        assertEquals(20, fromNamespace.received(), "0% loss from wireguard-go's namespace to the TUN address:\n" + fromNamespace.output() + diagnostics());
        assertEquals(20, fromRoot.received(), "0% loss from the root namespace through " + tunName + ":\n" + fromRoot.output() + diagnostics());
        assertTrue(attachment.sent() >= 40 && attachment.received() >= 40, attachment.toString());
        assertEquals(0, attachment.droppedLinkDown() + attachment.writeFailures(), attachment.toString());
    }

    @Test
    void tcpFromTheNamespaceToAJavaServerOnTheTunAddressCarriesEveryByte() throws Exception {
        handshake();
        long seed = System.nanoTime();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(tunAddress, 0));
            server.setSoTimeout(30_000);
            try (NamespaceJvm sender = NamespaceJvm.start(ns.name(), List.of("-Xmx64m"), StreamSender.class, List.of(
                    tunAddress.getHostAddress(), String.valueOf(server.getLocalPort()), String.valueOf(seed), String.valueOf(TRANSFER_BYTES)))) {
                long received;
                long nanos;
                try (Socket s = server.accept()) {
                    s.setSoTimeout(30_000);
                    long start = System.nanoTime();
                    received = receiveAndCheck(s.getInputStream(), new PseudoRandomStream(seed));
                    nanos = System.nanoTime() - start;
                }
                assertTrue(sender.waitFor(Duration.ofSeconds(30)), "the sender ended");
                assertEquals(0, sender.exitCode(), "the sender's exit code; output: " + sender.diagnostics());
                assertEquals(TRANSFER_BYTES, received, "bytes received");
                double mbPerSecond = received / (1024.0 * 1024.0) / (nanos / 1e9);
                System.out.printf("TCP through wireguard-go -> Java engine -> TUN %s: %d MiB in %.2f s = %.1f MiB/s%n",
                        tunName, received >> 20, nanos / 1e9, mbPerSecond);
            }
        }
        assertEquals(0, attachment.droppedLinkDown() + attachment.writeFailures(), attachment.toString());
        assertEquals(offloads(), attachment.offloads(), "the kernel took the offload settings: " + attachment);
        if (offloads()) {
            assertTrue(attachment.segmentsJoined() > TRANSFER_BYTES / 1420 / 2, "most segments were joined: " + attachment);
        }
    }

    @Test
    void tcpFromTheTunAddressToTheNamespaceCarriesEveryByte() throws Exception {
        handshake();
        long seed = System.nanoTime();
        int port = 7300;
        try (NamespaceJvm sink = NamespaceJvm.start(ns.name(), List.of("-Xmx64m"), TcpPeer.class, List.of(
                "sink", peer.tunnelAddress(), String.valueOf(port), String.valueOf(seed), String.valueOf(TRANSFER_BYTES)))) {
            sink.awaitLine("the kernel listens", Duration.ofSeconds(30), "ready"::equals);
            long start = System.nanoTime();
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(tunAddress, 0));
                s.connect(new InetSocketAddress(peer.tunnelAddress(), port), 10_000);
                PseudoRandomStream stream = new PseudoRandomStream(seed);
                byte[] buf = new byte[64 * 1024];
                for (long sent = 0; sent < TRANSFER_BYTES; sent += buf.length) {
                    int n = (int) Math.min(buf.length, TRANSFER_BYTES - sent);
                    stream.next(buf, 0, n);
                    s.getOutputStream().write(buf, 0, n);
                }
                s.shutdownOutput();
                sink.awaitLine("the kernel in the namespace received every byte", Duration.ofSeconds(60),
                        l -> l.startsWith("received ") || l.startsWith("mismatch"));
            }
            long nanos = System.nanoTime() - start;
            assertTrue(sink.lines().contains("received " + TRANSFER_BYTES), "the sink's report: " + sink.lines() + "\n" + diagnostics());
            System.out.printf("TCP through TUN %s -> Java engine -> wireguard-go: %d MiB in %.2f s = %.1f MiB/s%n",
                    tunName, TRANSFER_BYTES >> 20, nanos / 1e9, TRANSFER_BYTES / (1024.0 * 1024.0) / (nanos / 1e9));
        }
        assertEquals(offloads(), attachment.offloads(), "the kernel took the offload settings: " + attachment);
        if (offloads()) {
            assertTrue(attachment.superSegmentsSplit() > 0, "the kernel handed over super-segments: " + attachment);
            assertTrue(input.held() > attachment.superSegmentsSplit() && input.flushes() >= attachment.superSegmentsSplit(),
                    "each super-segment's packets went to the tunnel as a burst, ended by a flush: " + input + ", " + attachment);
        }
        assertEquals(0, attachment.splitDrops() + attachment.droppedLinkDown(), attachment.toString());
    }

    /** Reads to the end, checking each byte against the stream; returns the count. */
    private long receiveAndCheck(InputStream in, PseudoRandomStream expected) throws IOException {
        byte[] buf = new byte[64 * 1024];
        byte[] want = new byte[buf.length];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            expected.next(want, 0, n);
            int at = Arrays.mismatch(buf, 0, n, want, 0, n);
            if (at >= 0) {
                fail("byte " + (total + at) + " differs from the sender's stream\n" + diagnostics());
            }
            total += n;
        }
        return total;
    }
}
