package org.wgkaraf.engine.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.Lab;
import org.wgkaraf.testsupport.interop.Leftovers;
import org.wgkaraf.testsupport.interop.Netns;
import org.wgkaraf.testsupport.interop.Prerequisites;
import org.wgkaraf.testsupport.interop.RunNames;
import org.wgkaraf.testsupport.interop.Shell;
import org.wgkaraf.testsupport.interop.Subnets;
import org.wgkaraf.testsupport.interop.WgDump;
import org.wgkaraf.testsupport.interop.WgKeys;
import org.wgkaraf.testsupport.interop.WireGuardGoPeer;

/**
 * Proves the interop harness without the Java engine: two wireguard-go peers in two namespaces
 * (joined by their own veth pair, each also joined to the root namespace) talk through their
 * tunnel; {@code wg show dump} parsing, stop/start, the initiation flood and clean-up are checked.
 */
class HarnessIT {
    private static final int PORT = 51820;
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

    private Lab lab;
    private Netns nsA;
    private Netns nsB;
    private Netns.NsLink link;
    private WgKeys.KeyPair keysA;
    private WgKeys.KeyPair keysB;
    private WireGuardGoPeer a;
    private WireGuardGoPeer b;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.check();
    }

    /** A (10.214.N.1, knows B's endpoint, keepalive 25) and B (10.214.N.2, learns A's endpoint), with a pre-shared key. */
    @BeforeEach
    void twoPeers() {
        lab = Lab.open();
        nsA = lab.netns();
        nsB = lab.netns();
        link = lab.connect(nsA, nsB);
        keysA = WgKeys.generate();
        keysB = WgKeys.generate();
        String psk = WgKeys.genpsk();
        int n = nsA.subnet();
        // B first: A initiates as soon as it is configured, and an unanswered initiation costs 5 s.
        b = lab.wireguardGo(nsB, keysB, PORT, Subnets.inner(n, 2) + "/24", List.of(
                new WireGuardGoPeer.PeerSpec(keysA.publicKey(), psk, List.of(Subnets.inner(n, 1) + "/32"), null, 0)));
        a = lab.wireguardGo(nsA, keysA, PORT, Subnets.inner(n, 1) + "/24", List.of(
                new WireGuardGoPeer.PeerSpec(keysB.publicKey(), psk, List.of(Subnets.inner(n, 2) + "/32"), link.addressB() + ":" + PORT, 25)));
    }

    @AfterEach
    void cleanUp() {
        try {
            lab.close();
        } finally {
            lab.assertNothingLeft();
        }
    }

    @AfterAll
    static void nothingOfThisRunIsLeft() {
        List<String> left = Leftovers.find(RunNames.RUN);
        assertTrue(left.isEmpty(), "left behind by this run: " + left);
    }

    private static void assertAtLeast(int expected, int actual, String what) {
        assertTrue(actual >= expected, what + ": expected at least " + expected + " but was " + actual);
    }

    private static void assertAtLeast(int expected, int actual, java.util.function.Supplier<String> what) {
        assertTrue(actual >= expected, () -> what.get() + ": expected at least " + expected + " but was " + actual);
    }

    @Test
    void twoWireguardGoPeersPingEachOtherAndWgShowDumpIsParsed() {
        long before = System.currentTimeMillis() / 1000;

        assertAtLeast(3, a.ping(b.tunnelAddress(), 3, PING_TIMEOUT), () -> "A -> B through the tunnel\n" + a.logTail(30));
        assertAtLeast(3, b.ping(a.tunnelAddress(), 3, PING_TIMEOUT), "B -> A through the tunnel");

        long after = System.currentTimeMillis() / 1000;
        WgDump dumpA = a.showDump();
        assertEquals(keysA.publicKey(), dumpA.publicKey());
        assertEquals(PORT, dumpA.listenPort());
        assertEquals(1, dumpA.peers().size());
        WgDump.Peer bSeenByA = dumpA.peer(keysB.publicKey()).orElseThrow();
        assertTrue(bSeenByA.hasPresharedKey());
        assertEquals(link.addressB() + ":" + PORT, bSeenByA.endpoint());
        assertEquals(List.of(Subnets.inner(nsA.subnet(), 2) + "/32"), bSeenByA.allowedIps());
        assertTrue(bSeenByA.latestHandshake() >= before - 1 && bSeenByA.latestHandshake() <= after + 1,
                "latest handshake " + bSeenByA.latestHandshake() + " within [" + before + ", " + after + "]");
        // Six echo packets of 84 bytes went each way, each at least 32 bytes bigger once encrypted.
        assertTrue(bSeenByA.rxBytes() >= 6 * (84 + 32), "rx " + bSeenByA.rxBytes());
        assertTrue(bSeenByA.txBytes() >= 6 * (84 + 32), "tx " + bSeenByA.txBytes());
        assertEquals(25, bSeenByA.persistentKeepalive());

        WgDump.Peer aSeenByB = b.peer(keysA.publicKey());
        assertEquals(link.addressA() + ":" + PORT, aSeenByB.endpoint(), "B learnt A's endpoint from its packets");
        assertEquals(0, aSeenByB.persistentKeepalive());
        assertEquals(aSeenByB.latestHandshake(), b.latestHandshake(keysA.publicKey()));
        assertEquals(link.addressA() + ":" + PORT, b.endpoint(keysA.publicKey()));
    }

    @Test
    void stoppedPeerIsGoneAndStartsAgainWithTheSameConfig() {
        b.setPeer(b.peerSpec(keysA.publicKey()).withEndpoint(link.addressA() + ":" + PORT));
        assertAtLeast(1, b.ping(a.tunnelAddress(), 1, PING_TIMEOUT), "B -> A before the restart");
        long pid = b.pid();

        b.stop();

        assertFalse(b.isRunning());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "wireguard-go pid " + pid + " is gone");
        assertFalse(Files.exists(b.uapiSocket()), "UAPI socket removed");
        assertFalse(nsB.hasLink(b.ifName()), "tunnel interface removed");
        assertEquals(0, a.ping(b.tunnelAddress(), 1, Duration.ofSeconds(1)), "nobody answers while B is stopped");

        b.start();

        // B lost its sessions; it knows A's endpoint (kept from setPeer) and initiates at once.
        assertAtLeast(3, b.ping(a.tunnelAddress(), 3, PING_TIMEOUT), () -> "after restart\n" + b.logTail(30));
        assertEquals(link.addressA() + ":" + PORT, b.endpoint(keysA.publicKey()));
    }

    @Test
    void cookieRepliesComeOnlyForTheTargetsMac1Key() {
        InetSocketAddress from = new InetSocketAddress(nsA.rootAddress(), 0);
        InetSocketAddress to = new InetSocketAddress(nsA.nsAddress(), PORT);
        byte[] otherKey = WgKeys.toPublicKey(WgKeys.generate().publicKey()).toBytes();

        InitiationFlood wrong = lab.own(InitiationFlood.start(from, to, otherKey, InitiationFlood.Mac2.NEVER, InitiationFlood.TEST_RATE));
        Await.until("50000 initiations with a foreign MAC1 are sent", Duration.ofSeconds(30), () -> wrong.sent() >= 50_000);
        wrong.close();
        assertEquals(0, wrong.cookieReplies(), "wireguard-go ignores a MAC1 made for another key: " + wrong);

        InitiationFlood right = lab.own(InitiationFlood.start(from, to, keysA.publicKeyObject().toBytes(), InitiationFlood.Mac2.NEVER, InitiationFlood.TEST_RATE));
        Await.until("wireguard-go under load answers with cookie replies", Duration.ofSeconds(15), () -> right.cookieReplies() > 0,
                right::toString);
    }

    @Test
    void floodDecryptsTheCookieAndItsMac2IsAcceptedWhileAPeerStillHandshakes() {
        b.stop(); // B will come back without a session, so its handshake has to happen under the flood
        InitiationFlood flood = lab.own(InitiationFlood.start(new InetSocketAddress(nsA.rootAddress(), 0),
                new InetSocketAddress(nsA.nsAddress(), PORT), keysA.publicKeyObject().toBytes(), InitiationFlood.Mac2.FROM_COOKIE, InitiationFlood.TEST_RATE));

        Await.until("the flood opened a cookie reply", Duration.ofSeconds(15), () -> flood.cookiesOpened() > 0, flood::toString);
        Await.until("wireguard-go, still under load, answers the broken-MAC2 controls", Duration.ofSeconds(15),
                () -> flood.sentWithMac2() > 5_000 && flood.cookieRepliesToBrokenMac2() > 0, flood::toString);
        long controlsBefore = flood.cookieRepliesToBrokenMac2();

        // B initiates to A during the flood: A answers with a cookie, B retries with MAC2 (after 5 s).
        b.setPeer(b.peerSpec(keysA.publicKey()).withEndpoint(link.addressA() + ":" + PORT));
        b.start();
        assertAtLeast(1, b.ping(a.tunnelAddress(), 1, Duration.ofSeconds(20)), () -> "handshake under load\n" + b.logTail(30));

        assertTrue(flood.cookieRepliesToBrokenMac2() > controlsBefore, "A stayed under load during B's handshake: " + flood);
        assertEquals(0, flood.cookieRepliesToValidMac2(), "wireguard-go accepted every valid MAC2: " + flood);
        assertNotNull(a.endpoint(keysB.publicKey()));
    }

    @Test
    void rootEndMovesToANewAddressAndKeepsItsRouteIntoTheNamespace() {
        String newAddress = nsA.outerAddress(3);

        nsA.addRootAddress(newAddress);
        nsA.removeRootAddress(nsA.rootAddress());

        assertEquals(newAddress, nsA.rootSourceAddressTo(nsA.nsAddress()));
        assertTrue(Shell.cmd("ping", "-n", "-c", "1", "-W", "2", nsA.nsAddress()).tryRun().ok(), "root reaches the namespace");
        nsA.setRootLinkUp(false);
        assertFalse(Shell.cmd("ping", "-n", "-c", "1", "-W", "1", nsA.nsAddress()).tryRun().ok(), "not while the link is down");
        nsA.setRootLinkUp(true);
        Await.until("root reaches the namespace again", Duration.ofSeconds(5),
                () -> Shell.cmd("ping", "-n", "-c", "1", "-W", "1", nsA.nsAddress()).tryRun().ok());
    }

    @Test
    void closingALabLeavesNoNamespaceLinkProcessSocketOrKeyFile() {
        Lab other = Lab.open();
        long pid;
        try {
            Netns ns = other.netns();
            WgKeys.KeyPair k = WgKeys.generate();
            WireGuardGoPeer p = other.wireguardGo(ns, k, PORT, ns.innerAddress(1) + "/24", List.of(
                    new WireGuardGoPeer.PeerSpec(keysA.publicKey(), WgKeys.genpsk(), List.of(ns.innerAddress(2) + "/32"), null, 0)));
            pid = p.pid();
            assertFalse(other.leftovers().isEmpty(), "the lab's things are visible before it closes");
        } finally {
            other.close();
        }
        other.assertNothingLeft();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "wireguard-go pid " + pid + " is gone");
    }
}
