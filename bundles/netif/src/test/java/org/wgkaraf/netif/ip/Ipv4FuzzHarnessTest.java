package org.wgkaraf.netif.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IPv4 fuzz harness reaches what its seeds are named for: without this, a harness whose
 * packets all stopped at the first check (a wrong checksum, an address not ours) would fuzz
 * nothing and still pass.
 */
class Ipv4FuzzHarnessTest {

    private static byte[] seed(String name) throws IOException {
        try (InputStream in = Ipv4FuzzHarnessTest.class.getResourceAsStream("Ipv4InputFuzzTestInputs/input/" + name)) {
            if (in == null) {
                throw new AssertionError("seed " + name + " is missing");
            }
            return in.readAllBytes();
        }
    }

    private static Ipv4FuzzHarness run(String name) throws IOException {
        return Ipv4FuzzHarness.run(seed(name));
    }

    @Test
    void anEchoRequestGetsAReply() throws IOException {
        assertEquals(1, run("echo-request").echoReplies);
        assertEquals(1, run("raw").echoReplies, "the same as raw bytes at an offset of a larger array");
    }

    @Test
    void noReplyGoesOverALinkThatIsDownNorToABroadcast() throws IOException {
        assertEquals(Map.of(DropReason.LINK_DOWN, 1L), run("echo-request-link-down").verdicts);
        assertEquals(Map.of(DropReason.ECHO_TO_BROADCAST, 1L), run("echo-to-broadcast").verdicts);
    }

    @Test
    void theEchoSessionsRequestGoesOutAndItsReplyIsMatched() throws IOException {
        Ipv4FuzzHarness h = run("echo-session-reply");
        assertEquals(1, h.echoRequestsSent);
        assertEquals(1, h.echoRepliesMatched);
        assertEquals(0, run("echo-to-self").echoRequestsSent, "our own address answers without a packet");
    }

    @Test
    void aDatagramReachesTheBoundSocketWithItsData() throws IOException {
        assertEquals(1, run("udp-to-bound-port").datagramsRead);
        assertEquals(1, run("udp-no-checksum").datagramsRead, "a datagram without checksum too");
        assertEquals(Map.of(DropReason.UDP_BAD_CHECKSUM, 1L), run("udp-bad-checksum").verdicts);
        assertEquals(1, run("udp-send").datagramsSent);
    }

    @Test
    void aClosedPortOrAnotherProtocolGetsAnUnreachableWithinTheRateLimit() throws IOException {
        Ipv4FuzzHarness closed = run("udp-to-closed-port");
        assertEquals(1, closed.unreachables);
        assertEquals(1, run("protocol-unsupported").unreachables);
        Ipv4FuzzHarness flood = run("unreachable-rate-limited");
        assertEquals(Ipv4Layer.ERRORS_PER_SECOND, flood.unreachables);
        assertEquals(2, flood.verdicts.get(DropReason.UNREACHABLE_RATE_LIMITED));
    }

    @Test
    void aSynToTheListeningPortOpensAConnection() throws IOException {
        Ipv4FuzzHarness h = run("tcp-handshake");
        assertEquals(1, h.connectionsAccepted);
        assertTrue(h.tcpSegmentsSent >= 2, "the SYN-ACK and the reset of the abort");
        Ipv4FuzzHarness closed = run("tcp-closed-port");
        assertEquals(Map.of(DropReason.TCP_NO_LISTENER, 1L), closed.verdicts);
        assertEquals(1, closed.tcpSegmentsSent, "the reset");
    }

    @Test
    void eachIpv4CheckStopsItsPacket() throws IOException {
        assertEquals(Map.of(DropReason.BAD_HEADER_CHECKSUM, 1L), run("bad-header-checksum").verdicts);
        assertEquals(Map.of(DropReason.FRAGMENT, 1L), run("fragment").verdicts);
        assertEquals(Map.of(DropReason.MARTIAN_SOURCE, 1L), run("martian-source").verdicts);
        assertEquals(Map.of(DropReason.NOT_FOR_US, 1L), run("not-for-us").verdicts);
        assertEquals(Map.of(DropReason.INTERFACE_CLOSED, 1L), run("interface-closed").verdicts);
    }

    @Test
    void theSeedsOnDiskAreTheOnesTheHarnessWrites() throws IOException {
        for (var e : Ipv4FuzzHarness.seeds().entrySet()) {
            assertEquals(Arrays.toString(e.getValue()), Arrays.toString(seed(e.getKey())), e.getKey());
        }
    }
}
