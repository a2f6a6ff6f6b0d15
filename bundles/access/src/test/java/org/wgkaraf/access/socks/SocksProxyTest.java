package org.wgkaraf.access.socks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.access.LoopbackTcpService.ip;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.wgkaraf.access.LogFile;
import org.wgkaraf.access.LoopbackTcpService;
import org.wgkaraf.access.Threads;
import org.wgkaraf.access.Tools;
import org.wgkaraf.api.access.ListenerState;
import org.wgkaraf.api.access.SocksRefusal;
import org.wgkaraf.api.access.SocksStatus;
import org.wgkaraf.testsupport.Await;

/**
 * The SOCKS5 proxy with curl, the JDK's SOCKS client and raw bytes on one side, and hosts of the
 * "private network" on the other, through a TCP service over loopback. Tunnel wg0 covers
 * 172.16.0.0/12 and is up; wg1 covers 10.99.0.0/16 and is down.
 */
@Timeout(120)
class SocksProxyTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final int LIMIT = 4;
    private static final Duration HANDSHAKE = Duration.ofSeconds(2);
    private static final Duration CONNECT = Duration.ofSeconds(1);

    @TempDir
    Path dir;
    private Targets targets;
    private LoopbackTcpService tcp;
    private SocksProxyComponent component;
    private final TwoTunnelRegistry registry = new TwoTunnelRegistry();
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        targets = new Targets(3 * 1024 * 1024 + 5, 96L * 1024 * 1024);
        tcp = new LoopbackTcpService(ip("172.16.10.20"), ip("172.16.1.10"));
        tcp.forward(ip("172.16.1.10"), 80, targets.httpPort());
        tcp.forward(ip("172.16.1.20"), 7, targets.echoPort());
        tcp.forward(ip("172.16.1.30"), 9, targets.sourcePort());
        tcp.forward(ip("172.16.1.11"), 80, Targets.closedPort());
        tcp.silent(ip("172.16.1.12"), 80);
        tcp.noRoute(ip("172.16.1.13"), 80);
        port = freePort();
        component = new SocksProxyComponent(Map.of("socks_port", String.valueOf(port)),
                new SocksServer.Settings(LIMIT, HANDSHAKE, CONNECT), SocksProxyTest::resolve);
        component.bindTcpService(tcp);
        component.bindNetifRegistry(registry);
        awaitListening(port);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (component != null) {
            component.deactivate();
        }
        Threads.awaitNoneOfTheBundle();
        tcp.close();
        targets.close();
    }

    /** The module's resolver, as the tests need it. */
    private static InetAddress[] resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "files.example.net" -> new InetAddress[] {ip("172.16.1.10")};
            case "mixed.example.net" -> new InetAddress[] {ip("93.184.216.34"), InetAddress.getByName("::1"), ip("172.16.1.10")};
            case "public.example.net" -> new InetAddress[] {ip("93.184.216.34")};
            case "down.example.net" -> new InetAddress[] {ip("10.99.0.5")};
            case "v6only.example.net" -> new InetAddress[] {InetAddress.getByName("::1")};
            default -> throw new UnknownHostException(host);
        };
    }

    @Test
    void curlFetchesAFileThroughTheTunnelByteIdentical() throws Exception {
        Tools.require("curl");
        Path out = dir.resolve("file");
        Tools.Result r = Tools.run(List.of("curl", "-sS", "--fail", "--max-time", "60", "--socks5", "127.0.0.1:" + port,
                "-o", out.toString(), "http://172.16.1.10/file"), dir, Duration.ofSeconds(90));

        assertEquals(0, r.exit(), r.toString());
        assertArrayEquals(targets.file, Files.readAllBytes(out));
        assertEquals(1, component.status().proxied());
    }

    @Test
    void curlWithSocks5HostnameHasTheNameResolvedOnTheModule() throws Exception {
        Tools.require("curl");
        Path out = dir.resolve("file");
        Tools.Result r = Tools.run(List.of("curl", "-sS", "--fail", "--max-time", "60", "--socks5-hostname",
                "127.0.0.1:" + port, "-o", out.toString(), "http://files.example.net/file"), dir, Duration.ofSeconds(90));

        assertEquals(0, r.exit(), r.toString());
        assertArrayEquals(targets.file, Files.readAllBytes(out));
    }

    @Test
    void javaCodeFetchesThroughTheProxy() throws Exception {
        Proxy proxy = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(LoopbackTcpService.LOOPBACK, port));
        HttpURLConnection c = (HttpURLConnection) new URL("http://172.16.1.10/file").openConnection(proxy);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(30_000);
        byte[] body;
        try (InputStream in = c.getInputStream()) {
            body = in.readAllBytes();
        }

        assertEquals(200, c.getResponseCode());
        assertArrayEquals(targets.file, body);
    }

    @Test
    void curlIsRefusedOutsideTheSubnetAndSaysSo() throws Exception {
        Tools.require("curl");
        Tools.Result r = Tools.run(List.of("curl", "-sS", "--max-time", "30", "--socks5", "127.0.0.1:" + port,
                "http://93.184.216.34/"), dir, Duration.ofSeconds(60));

        assertEquals(97, r.exit(), "curl's exit code for a proxy that refused: " + r);
        assertTrue(r.err().contains("(2)") || r.err().contains("not allowed"), r.err());
        assertEquals(1, component.status().refused(SocksRefusal.NOT_ALLOWED));
        assertEquals(0, tcp.connects(), "the proxy tried to connect outside the subnet");
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("IPv4 outside every tunnel", ipv4("93.184.216.34", 80), SocksRefusal.NOT_ALLOWED),
                Arguments.of("a name outside every tunnel", name("public.example.net", 80), SocksRefusal.NOT_ALLOWED),
                Arguments.of("IPv4 behind a tunnel that is down", ipv4("10.99.0.5", 80), SocksRefusal.NETWORK_UNREACHABLE),
                Arguments.of("a name behind a tunnel that is down", name("down.example.net", 80), SocksRefusal.NETWORK_UNREACHABLE),
                Arguments.of("a name that does not resolve", name("nowhere.example.net", 80), SocksRefusal.HOST_UNREACHABLE),
                Arguments.of("a name with IPv6 addresses only", name("v6only.example.net", 80), SocksRefusal.HOST_UNREACHABLE),
                Arguments.of("a host without a route", ipv4("172.16.1.13", 80), SocksRefusal.HOST_UNREACHABLE),
                Arguments.of("a port where nothing listens", ipv4("172.16.1.11", 80), SocksRefusal.CONNECTION_REFUSED),
                Arguments.of("a host that does not answer", ipv4("172.16.1.12", 80), SocksRefusal.TIMEOUT),
                Arguments.of("BIND", new byte[] {5, 2, 0, 1, (byte) 172, 16, 1, 10, 0, 80}, SocksRefusal.COMMAND_NOT_SUPPORTED),
                Arguments.of("UDP ASSOCIATE", new byte[] {5, 3, 0, 1, 0, 0, 0, 0, 0, 0}, SocksRefusal.COMMAND_NOT_SUPPORTED),
                Arguments.of("an IPv6 address", ipv6(), SocksRefusal.ADDRESS_TYPE_NOT_SUPPORTED),
                Arguments.of("an unknown address type", new byte[] {5, 1, 0, 9, 1, 2, 3, 4, 0, 80}, SocksRefusal.ADDRESS_TYPE_NOT_SUPPORTED),
                Arguments.of("a request of version 4", new byte[] {4, 1, 0, 1, (byte) 172, 16, 1, 10, 0, 80}, SocksRefusal.MALFORMED),
                Arguments.of("a reserved byte not zero", new byte[] {5, 1, 7, 1, (byte) 172, 16, 1, 10, 0, 80}, SocksRefusal.MALFORMED),
                Arguments.of("an empty name", new byte[] {5, 1, 0, 3, 0, 0, 80}, SocksRefusal.MALFORMED),
                Arguments.of("port 0", ipv4("172.16.1.10", 0), SocksRefusal.MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void eachRefusalHasItsReplyCodeAndIsCounted(String what, byte[] request, SocksRefusal expected) throws Exception {
        try (SocksClient c = new SocksClient(port)) {
            c.greet();
            c.send(request);
            assertEquals(expected.reply(), c.reply(), what);
            assertTrue(c.closedByServer(), "the proxy kept the connection after refusing");
        }
        Await.until(expected + " counted", SOON, () -> component.status().refused(expected) == 1,
                () -> component.status().refusals().toString());
        assertEquals(Map.of(expected, 1L), component.status().refusals());
        assertEquals(0, component.status().proxied());
    }

    @Test
    void aNameWithSeveralAddressesIsReachedAtTheOneInTheTunnelsSubnet() throws Exception {
        try (SocksClient c = new SocksClient(port)) {
            c.greet();
            assertEquals(0, c.connect("mixed.example.net", 80));
        }
        assertEquals(1, component.status().proxied());
        assertEquals(Map.of(), component.status().refusals());
    }

    @Test
    void aGreetingWithoutNoAuthenticationGetsNoAcceptableMethod() throws Exception {
        try (SocksClient c = new SocksClient(port)) {
            c.send(5, 2, 1, 2);
            assertArrayEquals(new byte[] {5, (byte) 0xFF}, c.read(2));
            assertTrue(c.closedByServer());
        }
        Await.until("counted", SOON, () -> component.status().refused(SocksRefusal.NO_ACCEPTABLE_METHOD) == 1);
    }

    @Test
    void aSocks4ClientIsClosedWithoutAReply() throws Exception {
        try (SocksClient c = new SocksClient(port)) {
            c.send(4, 1, 0, 80, (byte) 172, 16, 1, 10, 0);
            assertEquals(0, c.readToEnd().length);
        }
        Await.until("counted", SOON, () -> component.status().refused(SocksRefusal.MALFORMED) == 1);
    }

    @Test
    void aClientThatSaysNothingIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (SocksClient c = new SocksClient(port)) {
            long start = System.nanoTime();
            assertTrue(c.closedByServer());
            assertTrue(System.nanoTime() - start >= HANDSHAKE.toNanos() - 100_000_000L, "closed before the timeout");
        }
        Await.until("counted", SOON, () -> component.status().refused(SocksRefusal.HANDSHAKE_TIMEOUT) == 1);
    }

    @Test
    void garbageNeverBreaksTheProxyAndEveryConnectionIsAccountedFor() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[1 + random.nextInt(40)];
            random.nextBytes(junk);
            if (i % 3 == 0) {
                junk[0] = 5;
            }
            try (SocksClient c = new SocksClient(port)) {
                c.send(junk);
                c.socket.shutdownOutput();
                c.readToEnd();
            } catch (IOException e) {
                // A reset is an answer too.
            }
        }
        Await.until("all 200 closed and counted", Duration.ofSeconds(30), () -> {
            SocksStatus s = component.status();
            long refused = s.refusals().values().stream().mapToLong(Long::longValue).sum();
            return s.open() == 0 && s.accepted() == 200 && refused + s.proxied() == 200;
        }, () -> component.status().toString());
        assertTrue(LogFile.linesWith("SOCKS5 proxy: connection").stream().noneMatch(l -> l.contains("WARN")),
                "a connection failed with an exception");
        try (SocksClient c = new SocksClient(port)) {
            c.greet();
            assertEquals(0, c.connect(ip("172.16.1.20"), 7), "the proxy no longer works after the garbage");
        }
    }

    @Test
    void withoutTheTunnelsTcpLayerRequestsAreAnsweredNetworkUnreachable() throws Exception {
        component.unbindTcpService(tcp);

        try (SocksClient c = new SocksClient(port)) {
            c.greet();
            assertEquals(0x03, c.connect(ip("172.16.1.10"), 80));
        }
        try (SocksClient c = new SocksClient(port)) {
            c.greet();
            assertEquals(0x02, c.connect(ip("93.184.216.34"), 80), "outside the subnet is refused as such, tunnel or not");
        }
        component.unbindNetifRegistry(registry);
        try (SocksClient c = new SocksClient(port)) {
            c.greet();
            assertEquals(0x03, c.connect(ip("93.184.216.34"), 80), "without routes nothing can be judged");
        }
        component.bindNetifRegistry(registry);
        SocksStatus s = component.status();
        assertEquals(ListenerState.LISTENING, s.state());
        assertTrue(s.detail().contains("network unreachable"), s.detail());

        component.bindTcpService(tcp);
        try (SocksClient c = new SocksClient(port)) {
            c.greet();
            assertEquals(0, c.connect(ip("172.16.1.20"), 7));
        }
        assertNull(component.status().detail());
    }

    @Test
    void endOfStreamPassesBothWays() throws Exception {
        try (SocksClient c = new SocksClient(port)) {
            c.greet();
            assertEquals(0, c.connect(ip("172.16.1.20"), 7));
            c.send("half close".getBytes(StandardCharsets.US_ASCII));
            c.socket.shutdownOutput();
            assertEquals("half close", new String(c.readToEnd(), StandardCharsets.US_ASCII));
        }
        Await.until("the connection closed", SOON, () -> component.status().open() == 0 && tcp.openConnections() == 0);
    }

    @Test
    void aClientThatDoesNotReadHoldsTheTargetBack() throws Exception {
        long total = 96L * 1024 * 1024;
        try (SocksClient c = new SocksClient(port)) {
            c.greet();
            assertEquals(0, c.connect(ip("172.16.1.30"), 9));

            long[] seen = {-1, 0};
            Await.until("the source stalled", Duration.ofSeconds(60), () -> {
                long now = targets.sourced();
                if (now != seen[0]) {
                    seen[0] = now;
                    seen[1] = System.nanoTime();
                    return false;
                }
                return now > 0 && System.nanoTime() - seen[1] > 500_000_000L;
            }, () -> "sourced " + targets.sourced());
            long sourced = targets.sourced();
            assertTrue(sourced < 40L * 1024 * 1024, "the target wrote " + sourced + " bytes to a client that reads nothing");

            InputStream in = c.socket.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long received = 0;
            long wrong = -1;
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n && wrong < 0; i++) {
                    if (buf[i] != Targets.pattern(received + i)) {
                        wrong = received + i;
                    }
                }
                received += n;
            }
            assertEquals(total, received);
            assertEquals(-1, wrong, "first wrong byte");
        }
    }

    @Test
    void theLimitHoldsAndAFreedPlaceIsUsedAgain() throws Exception {
        List<SocksClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < LIMIT; i++) {
                SocksClient c = new SocksClient(port);
                held.add(c);
                c.greet();
                assertEquals(0, c.connect(ip("172.16.1.20"), 7));
            }
            try (SocksClient extra = new SocksClient(port)) {
                extra.greet();
                assertEquals(0x01, extra.connect(ip("172.16.1.20"), 7));
                assertTrue(extra.closedByServer());
            }
            assertEquals(1, component.status().refused(SocksRefusal.LIMIT));
            assertEquals(LIMIT, component.status().open());

            held.remove(0).close();
            Await.until("a place freed", SOON, () -> component.status().open() == LIMIT - 1);
            try (SocksClient again = new SocksClient(port)) {
                again.greet();
                assertEquals(0, again.connect(ip("172.16.1.20"), 7));
            }
        } finally {
            for (SocksClient c : held) {
                c.close();
            }
        }
    }

    @Test
    void itListensOn127001Only() throws Exception {
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getByName("127.0.0.2"), port).close(),
                "the proxy accepted a connection to 127.0.0.2");
        try (SocksClient c = new SocksClient(port)) {
            assertEquals(ip("127.0.0.1"), c.socket.getInetAddress());
        }
    }

    @Test
    void thePortMovesTurnsOffAndAnInvalidValueKeepsItWithOneWarning() throws Exception {
        int other = freePort();
        component.modified(Map.of("socks_port", other, "local_port", "11010"));
        awaitListening(other);
        assertThrows(ConnectException.class, () -> new Socket(LoopbackTcpService.LOOPBACK, port).close());

        String bad = "70000" + System.nanoTime() % 10;
        component.modified(Map.of("socks_port", bad));
        component.modified(Map.of("socks_port", bad, "persistent_keepalive", "25"));
        assertEquals(other, component.status().port());
        try (SocksClient c = new SocksClient(other)) {
            c.greet();
        }
        List<String> warnings = LogFile.linesWith("socks_port '" + bad + "'");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("WARN") && warnings.get(0).contains("outside 0-65535")
                && warnings.get(0).contains("stays on port " + other), warnings.get(0));

        component.modified(Map.of("socks_port", "0"));
        Await.until("off", SOON, () -> component.status().state() == ListenerState.OFF);
        assertThrows(ConnectException.class, () -> new Socket(LoopbackTcpService.LOOPBACK, other).close());
        Await.until("no accept thread", SOON, () -> Threads.named("wgkaraf-socks").isEmpty());
    }

    @Test
    void deactivatingClosesProxiedConnectionsAndLeavesNoThread() throws Exception {
        try (SocksClient c = new SocksClient(port)) {
            c.greet();
            assertEquals(0, c.connect(ip("172.16.1.20"), 7));
            Await.until("the accept thread and the connection's two", SOON,
                    () -> Threads.named("wgkaraf-socks-").size() == 3, () -> Threads.named("wgkaraf-socks-").toString());

            component.deactivate();
            component = null;

            assertTrue(c.closedByServer());
        }
        Threads.awaitNoneOfTheBundle();
        Await.until("the tunnel side closed", SOON, () -> tcp.openConnections() == 0);
    }

    private void awaitListening(int p) {
        Await.until("listening on 127.0.0.1:" + p, SOON,
                () -> component.status().state() == ListenerState.LISTENING && component.status().port() == p,
                () -> component.status().toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LoopbackTcpService.LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    private static byte[] ipv4(String address, int port) {
        byte[] a = ip(address).getAddress();
        return new byte[] {5, 1, 0, 1, a[0], a[1], a[2], a[3], (byte) (port >> 8), (byte) port};
    }

    private static byte[] name(String host, int port) {
        byte[] n = host.getBytes(StandardCharsets.US_ASCII);
        byte[] r = new byte[7 + n.length];
        r[0] = 5;
        r[1] = 1;
        r[3] = 3;
        r[4] = (byte) n.length;
        System.arraycopy(n, 0, r, 5, n.length);
        r[5 + n.length] = (byte) (port >> 8);
        r[6 + n.length] = (byte) port;
        return r;
    }

    private static byte[] ipv6() {
        byte[] r = new byte[4 + 16 + 2];
        r[0] = 5;
        r[1] = 1;
        r[3] = 4;
        r[19] = 1;
        r[21] = 80;
        return r;
    }
}
