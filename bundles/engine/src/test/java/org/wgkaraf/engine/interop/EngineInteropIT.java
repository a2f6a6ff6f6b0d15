package org.wgkaraf.engine.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wgkaraf.api.engine.DropReason;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PeerStatus;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.engine.TunnelStatus;
import org.wgkaraf.engine.runtime.EngineService;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.Lab;
import org.wgkaraf.testsupport.interop.Netns;
import org.wgkaraf.testsupport.interop.Prerequisites;
import org.wgkaraf.testsupport.interop.WgDump;
import org.wgkaraf.testsupport.interop.WgKeys;
import org.wgkaraf.testsupport.interop.WireGuardGoPeer;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/**
 * The Java engine (in the root namespace, socket on the wildcard address) against wireguard-go in a
 * namespace, over the veth 10.213.N.1 (Java) - 10.213.N.2 (wireguard-go). Tunnel addresses:
 * wireguard-go 10.214.N.1/24, Java 10.214.N.2, answered by {@link EngineEnd}. The engine runs on an
 * {@link OffsetTimeSource} so rekey and session death are reached by moving its clock.
 */
class EngineInteropIT {
    private static final int WG_PORT = 51820;
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);
    /** A handshake that first draws a cookie reply is retried after REKEY_TIMEOUT (5 s). */
    private static final Duration HANDSHAKE_UNDER_LOAD = Duration.ofSeconds(20);
    /**
     * A loaded wireguard-go drops part of what reaches its full handshake queue, our retries
     * included; each retry comes REKEY_TIMEOUT after the last, so allow several.
     */
    private static final Duration HANDSHAKE_WITH_LOADED_PEER = Duration.ofSeconds(45);

    private Lab lab;
    private OffsetTimeSource clock;
    private EngineService engine;

    private enum Initiator { JAVA, WIREGUARD_GO }

    /** One Java tunnel with wireguard-go as its single peer. */
    private record Pair(Netns ns, WireGuardGoPeer wg, WgKeys.KeyPair javaKeys, TunnelConfig config, Tunnel tunnel, EngineEnd javaEnd) {
        Inet4Address wgAddress() {
            return PacketBuilder.ipv4(wg.tunnelAddress());
        }

        String javaAddress() {
            return javaEnd.address().getHostAddress();
        }

        String javaPublicKey() {
            return javaKeys.publicKey();
        }

        int javaPort() {
            return tunnel.status().listenPort();
        }

        /** The Java engine's view of wireguard-go. */
        PeerStatus wgSeenByJava() {
            TunnelStatus s = tunnel.status();
            return s.peers().stream().filter(p -> p.publicKey().toBase64().equals(wg.publicKey())).findFirst()
                    .orElseThrow(() -> new AssertionError("the tunnel's status lists no peer " + wg.publicKey() + ": " + s));
        }

        /** What both sides say, for failure messages (no key material: status and dump print public keys only). */
        String diagnostics() {
            StringBuilder b = new StringBuilder();
            b.append("Java: ").append(safely(() -> String.valueOf(tunnel.status()))).append('\n');
            b.append("Java end: ").append(javaEnd).append('\n');
            b.append("wireguard-go: ").append(safely(() -> String.valueOf(wg.showDump()))).append('\n');
            b.append("wireguard-go log:\n").append(wg.logTail(25));
            return b.toString();
        }
    }

    @BeforeAll
    static void prerequisites() {
        Prerequisites.check();
    }

    @BeforeEach
    void setUp() {
        lab = Lab.open();
        clock = new OffsetTimeSource();
        engine = new EngineService(clock);
    }

    @AfterEach
    void tearDown() {
        try {
            lab.close(); // the tunnel first, then wireguard-go, then the namespace
        } finally {
            lab.assertNothingLeft();
        }
    }

    /**
     * wireguard-go on 10.213.N.2:51820 with the Java peer allowed 10.214.N.2/32; the Java tunnel on
     * any port with wireguard-go allowed 10.214.N.0/24. Only the initiator knows the other's endpoint.
     */
    private Pair pair(Initiator initiator, boolean presharedKey, int javaKeepaliveSeconds) throws IOException {
        Netns ns = lab.netns();
        WgKeys.KeyPair javaKeys = WgKeys.generate();
        WgKeys.KeyPair wgKeys = WgKeys.generate();
        String psk = presharedKey ? WgKeys.genpsk() : null;
        String javaAddress = ns.innerAddress(2);
        WireGuardGoPeer wg = lab.wireguardGo(ns, wgKeys, WG_PORT, ns.innerAddress(1) + "/24", List.of(
                new WireGuardGoPeer.PeerSpec(javaKeys.publicKey(), psk, List.of(javaAddress + "/32"), null, 0)));

        EngineEnd end = lab.own(new EngineEnd(PacketBuilder.ipv4(javaAddress)));
        PeerConfig peer = new PeerConfig(wgKeys.publicKeyObject(), psk == null ? null : WgKeys.toSecretKey(psk),
                initiator == Initiator.JAVA ? new Endpoint(ns.nsAddress(), WG_PORT) : null,
                List.of(IpPrefix.parse(ns.innerAddress(0) + "/24")), javaKeepaliveSeconds);
        TunnelConfig config = new TunnelConfig("wg0", javaKeys.secret(), 0, List.of(peer));
        Tunnel tunnel = lab.own(engine.open(config, end));
        end.attach(tunnel);

        if (initiator == Initiator.WIREGUARD_GO) {
            wg.setPeer(wg.peerSpec(javaKeys.publicKey()).withEndpoint(ns.rootAddress() + ":" + tunnel.status().listenPort()));
        }
        return new Pair(ns, wg, javaKeys, config, tunnel, end);
    }

    @ParameterizedTest(name = "pre-shared key: {0}")
    @ValueSource(booleans = {false, true})
    void javaInitiatesAndGetsEchoRepliesFromWireguardGo(boolean presharedKey) throws IOException {
        Pair p = pair(Initiator.JAVA, presharedKey, 0);

        assertTrue(p.javaEnd().ping(p.wgAddress(), HANDSHAKE), () -> "no echo reply through the tunnel\n" + p.diagnostics());

        WgDump.Peer javaSeenByWg = p.wg().peer(p.javaPublicKey());
        assertTrue(javaSeenByWg.latestHandshake() > 0, "wireguard-go shows a handshake");
        assertEquals(p.ns().rootAddress() + ":" + p.javaPort(), javaSeenByWg.endpoint(), "wireguard-go learnt the Java endpoint");
        assertEquals(presharedKey, javaSeenByWg.hasPresharedKey());
        PeerStatus wgSeenByJava = p.wgSeenByJava();
        assertTrue(wgSeenByJava.up(), () -> "Java shows the peer up: " + wgSeenByJava);
        assertNotNull(wgSeenByJava.latestHandshake());
        assertEquals(p.ns().nsAddress() + ":" + WG_PORT, hostPort(wgSeenByJava.endpoint()));
        assertTrue(wgSeenByJava.rxPackets() > 0 && wgSeenByJava.txPackets() > 0, () -> "Java counts packets: " + wgSeenByJava);
    }

    @ParameterizedTest(name = "pre-shared key: {0}")
    @ValueSource(booleans = {false, true})
    void wireguardGoInitiatesAndJavaAnswersItsPings(boolean presharedKey) throws IOException {
        Pair p = pair(Initiator.WIREGUARD_GO, presharedKey, 0);

        int received = p.wg().ping(p.javaAddress(), 3, HANDSHAKE);

        assertTrue(received >= 3, () -> "ping from the namespace got " + received + " of 3 replies\n" + p.diagnostics());
        assertTrue(p.javaEnd().answered() >= 3, () -> "the Java end answered the requests: " + p.javaEnd());
        PeerStatus wgSeenByJava = p.wgSeenByJava();
        assertTrue(wgSeenByJava.up(), () -> "Java shows the peer up: " + wgSeenByJava);
        assertEquals(p.ns().nsAddress() + ":" + WG_PORT, hostPort(wgSeenByJava.endpoint()), "Java learnt wireguard-go's endpoint");
        assertEquals(p.ns().rootAddress() + ":" + p.javaPort(), p.wg().endpoint(p.javaPublicKey()));
    }

    @Test
    void javaRekeysAfterRekeyAfterTimeAndTrafficContinues() throws IOException {
        Pair p = pair(Initiator.JAVA, false, 0);
        assertTrue(p.javaEnd().ping(p.wgAddress(), HANDSHAKE), () -> "first handshake\n" + p.diagnostics());
        Instant javaFirst = p.wgSeenByJava().latestHandshake();
        long wgFirst = p.wg().latestHandshake(p.javaPublicKey());
        assertNotNull(javaFirst);
        // wg show counts whole seconds: let the second turn so that a new handshake shows as a new value.
        Await.until("the wall clock leaves the second of the first handshake", Duration.ofSeconds(3),
                () -> System.currentTimeMillis() / 1000 > wgFirst);

        clock.advance(Duration.ofSeconds(125)); // past REKEY_AFTER_TIME (120 s), short of REJECT_AFTER_TIME (180 s)

        Await.until("sending makes Java start a new handshake that both sides complete", Duration.ofSeconds(15), () -> {
            p.javaEnd().ping(p.wgAddress(), Duration.ofMillis(500));
            Instant now = p.wgSeenByJava().latestHandshake();
            return now != null && now.isAfter(javaFirst) && p.wg().latestHandshake(p.javaPublicKey()) > wgFirst;
        }, p::diagnostics);
        assertTrue(p.wg().ping(p.javaAddress(), 3, HANDSHAKE) >= 3, () -> "ping from the namespace after the rekey\n" + p.diagnostics());
        assertTrue(p.javaEnd().ping(p.wgAddress(), HANDSHAKE), () -> "Java ping after the rekey\n" + p.diagnostics());
        assertTrue(p.wgSeenByJava().up());
    }

    @Test
    void javaRoamsToANewSourceAddressAndWireguardGoFollows() throws IOException {
        Pair p = pair(Initiator.JAVA, false, 0);
        assertTrue(p.javaEnd().ping(p.wgAddress(), HANDSHAKE), () -> "first handshake\n" + p.diagnostics());
        assertEquals(p.ns().rootAddress() + ":" + p.javaPort(), p.wg().endpoint(p.javaPublicKey()));
        String newAddress = p.ns().outerAddress(3);

        p.ns().addRootAddress(newAddress);
        p.ns().removeRootAddress(p.ns().rootAddress());
        assertEquals(newAddress, p.ns().rootSourceAddressTo(p.ns().nsAddress()), "the uplink now has only the new address");
        p.tunnel().rebind();

        assertTrue(p.javaEnd().ping(p.wgAddress(), HANDSHAKE), () -> "Java ping after roaming\n" + p.diagnostics());
        String expected = newAddress + ":" + p.javaPort();
        Await.until("wireguard-go sends to the new endpoint " + expected, Duration.ofSeconds(5),
                () -> expected.equals(p.wg().endpoint(p.javaPublicKey())), p::diagnostics);
        assertTrue(p.wg().ping(p.javaAddress(), 3, HANDSHAKE) >= 3, () -> "ping from the namespace after roaming\n" + p.diagnostics());
    }

    @Test
    void javaMovesToAnotherPortAndWireguardGoFollows() throws IOException {
        Pair p = pair(Initiator.JAVA, false, 0);
        assertTrue(p.javaEnd().ping(p.wgAddress(), HANDSHAKE), () -> "first handshake\n" + p.diagnostics());
        int oldPort = p.javaPort();
        int newPort = freeUdpPort(oldPort);

        p.tunnel().reconfigure(new TunnelConfig(p.config().name(), p.javaKeys().secret(), newPort, p.config().peers()));

        assertEquals(newPort, p.javaPort());
        assertTrue(p.javaEnd().ping(p.wgAddress(), HANDSHAKE), () -> "Java ping after the port change\n" + p.diagnostics());
        String expected = p.ns().rootAddress() + ":" + newPort;
        Await.until("wireguard-go sends to the new endpoint " + expected, Duration.ofSeconds(5),
                () -> expected.equals(p.wg().endpoint(p.javaPublicKey())), p::diagnostics);
        assertTrue(p.wg().ping(p.javaAddress(), 3, HANDSHAKE) >= 3, () -> "ping from the namespace after the port change\n" + p.diagnostics());
    }

    @Test
    void deadPeerGoesDownJavaKeepsTryingAndTheTunnelComesBackByItself() throws IOException {
        Pair p = pair(Initiator.JAVA, false, 2);
        assertTrue(p.javaEnd().ping(p.wgAddress(), HANDSHAKE), () -> "first handshake\n" + p.diagnostics());
        Instant first = p.wgSeenByJava().latestHandshake();
        assertTrue(p.wgSeenByJava().up());

        p.wg().stop();
        clock.advance(Duration.ofSeconds(181)); // past REJECT_AFTER_TIME (180 s): the session is dead

        Await.until("Java shows the peer down", Duration.ofSeconds(10), () -> !p.wgSeenByJava().up(), p::diagnostics);
        long unanswered = p.ns().udpNoPorts();
        // Nothing listens on the port now, so each datagram Java sends is counted as NoPorts there;
        // with the session expired they can only be handshake initiations (retried every 5 s).
        Await.until("Java sends two more handshake initiations to the stopped peer", Duration.ofSeconds(15),
                () -> p.ns().udpNoPorts() >= unanswered + 2, p::diagnostics);

        p.wg().start(); // same key, port, address and peer

        Await.until("the tunnel comes back by itself", HANDSHAKE_UNDER_LOAD, () -> {
            PeerStatus s = p.wgSeenByJava();
            return s.up() && s.latestHandshake() != null && s.latestHandshake().isAfter(first);
        }, p::diagnostics);
        assertTrue(p.javaEnd().ping(p.wgAddress(), HANDSHAKE), () -> "Java ping after the peer came back\n" + p.diagnostics());
        assertTrue(p.wg().latestHandshake(p.javaPublicKey()) > 0);
    }

    @Test
    void wireguardGoHandshakesWithJavaWhileJavaIsFloodedWithInitiations() throws IOException {
        Pair p = pair(Initiator.WIREGUARD_GO, false, 0);
        InitiationFlood flood = lab.own(InitiationFlood.start(new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("127.0.0.1", p.javaPort()), p.javaKeys().publicKeyObject().toBytes(),
                InitiationFlood.Mac2.FROM_COOKIE, InitiationFlood.TEST_RATE));

        Await.until("Java, under load, answers the flood with cookie replies that open with its cookie key", Duration.ofSeconds(10),
                () -> flood.cookiesOpened() > 0, () -> flood + "\n" + p.diagnostics());
        Await.until("Java rate-limits the flood's initiations that carry a valid MAC2", Duration.ofSeconds(10),
                () -> p.tunnel().status().dropped(DropReason.RATE_LIMITED) > 0, () -> flood + "\n" + p.diagnostics());
        long controlsBefore = flood.cookieRepliesToBrokenMac2();

        int received = p.wg().ping(p.javaAddress(), 1, HANDSHAKE_UNDER_LOAD);

        assertTrue(received >= 1, () -> "wireguard-go's handshake with the flooded Java side failed\n" + flood + "\n" + p.diagnostics());
        assertTrue(flood.cookieRepliesToBrokenMac2() > controlsBefore, () -> "Java stayed under load meanwhile: " + flood);
        TunnelStatus s = p.tunnel().status();
        assertTrue(s.dropped(DropReason.COOKIE_REQUIRED) > 0, () -> "COOKIE_REQUIRED drops are counted: " + s.drops());
        assertTrue(s.dropped(DropReason.RATE_LIMITED) > 0, () -> "RATE_LIMITED drops are counted: " + s.drops());
        assertTrue(p.wgSeenByJava().up());
    }

    @Test
    void javaHandshakesWithAWireguardGoUnderLoad() throws IOException {
        Pair p = pair(Initiator.JAVA, false, 0);
        // The flood comes from its own address: wireguard-go rate-limits per source address.
        String floodSource = p.ns().outerAddress(4);
        p.ns().addRootAddress(floodSource);
        InitiationFlood flood = lab.own(InitiationFlood.start(new InetSocketAddress(floodSource, 0),
                new InetSocketAddress(p.ns().nsAddress(), WG_PORT), WgKeys.toPublicKey(p.wg().publicKey()).toBytes(),
                InitiationFlood.Mac2.NEVER, InitiationFlood.TEST_RATE));
        Await.until("wireguard-go is under load (it answers the flood with cookie replies)", Duration.ofSeconds(10),
                () -> flood.cookieReplies() > 0, flood::toString);
        long repliesBefore = flood.cookieReplies();

        assertTrue(p.javaEnd().ping(p.wgAddress(), HANDSHAKE_WITH_LOADED_PEER), () -> "Java's handshake with the loaded wireguard-go failed\n"
                + flood + "\n" + p.diagnostics());

        assertTrue(flood.cookieReplies() > repliesBefore, () -> "wireguard-go stayed under load meanwhile: " + flood);
        assertTrue(p.wg().latestHandshake(p.javaPublicKey()) > 0);
        assertEquals(p.ns().rootAddress() + ":" + p.javaPort(), p.wg().endpoint(p.javaPublicKey()));
    }

    private static String hostPort(InetSocketAddress a) {
        return a == null ? null : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** A UDP port that is free now and differs from {@code not}. */
    private static int freeUdpPort(int not) throws IOException {
        while (true) {
            try (DatagramSocket s = new DatagramSocket(0)) {
                if (s.getLocalPort() != not) {
                    return s.getLocalPort();
                }
            }
        }
    }

    private static String safely(Supplier<String> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

    /**
     * Dynamic DNS: the endpoint's name first points at an address of the test link that nobody
     * holds (its ARP goes unanswered; nothing leaves the veth), then, as a record does after the
     * server moved, at wireguard-go. The unanswered handshakes make the engine look the name up
     * again, and the tunnel comes up at the new address.
     */
    @Test
    void anEndpointNameWhoseHandshakesGoUnansweredIsLookedUpAgain() throws IOException {
        Netns ns = lab.netns();
        WgKeys.KeyPair javaKeys = WgKeys.generate();
        WgKeys.KeyPair wgKeys = WgKeys.generate();
        String javaAddress = ns.innerAddress(2);
        WireGuardGoPeer wg = lab.wireguardGo(ns, wgKeys, WG_PORT, ns.innerAddress(1) + "/24", List.of(
                new WireGuardGoPeer.PeerSpec(javaKeys.publicKey(), null, List.of(javaAddress + "/32"), null, 0)));
        java.util.concurrent.atomic.AtomicReference<String> record = new java.util.concurrent.atomic.AtomicReference<>(ns.outerAddress(77));
        List<String> lookups = new java.util.concurrent.CopyOnWriteArrayList<>();
        EngineService dynamic = new EngineService(clock, null, host -> {
            lookups.add(host);
            return java.net.InetAddress.getByName(record.get());
        });
        EngineEnd end = lab.own(new EngineEnd(PacketBuilder.ipv4(javaAddress)));
        Tunnel tunnel = lab.own(dynamic.open(new TunnelConfig("wg0", javaKeys.secret(), 0, List.of(new PeerConfig(
                wgKeys.publicKeyObject(), null, new Endpoint("wg.dyn.test", WG_PORT),
                List.of(IpPrefix.parse(ns.innerAddress(0) + "/24")), 25))), end));
        end.attach(tunnel);
        Await.until("the first lookup", Duration.ofSeconds(10), () -> tunnel.status().peers().get(0).endpoint() != null);
        assertEquals(ns.outerAddress(77), tunnel.status().peers().get(0).endpoint().getAddress().getHostAddress());

        record.set(ns.nsAddress());
        long[] lastAdvance = {0};
        Await.until("a new lookup moves the endpoint and the handshake completes", Duration.ofSeconds(60), () -> {
            // Move the engine's clock past each handshake retry (REKEY_TIMEOUT + jitter), at most
            // every 600 ms of real time so that its timer thread sees each step.
            if (System.nanoTime() - lastAdvance[0] > 600_000_000L) {
                clock.advance(Duration.ofMillis(5500));
                lastAdvance[0] = System.nanoTime();
            }
            PeerStatus s = tunnel.status().peers().get(0);
            return s.up() && s.endpoint() != null && s.endpoint().getAddress().getHostAddress().equals(ns.nsAddress());
        }, () -> "lookups " + lookups + "; " + tunnel.status());
        assertTrue(lookups.size() >= 2, "looked up again: " + lookups);
        assertTrue(end.ping(PacketBuilder.ipv4(wg.tunnelAddress()), HANDSHAKE), "traffic flows at the new address");
        dynamic.closeAll();
    }
}
