package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.DropReason;

/**
 * The fuzz harness reaches what its seeds are named for: without this, a harness that stopped
 * at the first check would fuzz nothing and still pass.
 */
class DeviceFuzzHarnessTest {

    private static DeviceFuzzHarness seed(String name) throws IOException {
        try (InputStream in = DeviceFuzzHarnessTest.class.getResourceAsStream("DeviceReceiveFuzzTestInputs/receive/" + name)) {
            if (in == null) {
                throw new AssertionError("seed " + name + " is missing");
            }
            return DeviceFuzzHarness.run(in.readAllBytes());
        }
    }

    @Test
    void aSealedPacketFromAnAllowedSourceIsDelivered() throws IOException {
        assertEquals(1, seed("sealed-ipv4").deliveredByB());
    }

    @Test
    void sealedPacketsThatAreNotAllowedOrNotIpReachTheInnerChecks() throws IOException {
        assertEquals(1, seed("sealed-ipv4-spoofed-source").dropsOfB(DropReason.SOURCE_NOT_ALLOWED));
        assertEquals(1, seed("sealed-ipv6").dropsOfB(DropReason.SOURCE_NOT_ALLOWED));
        assertEquals(1, seed("sealed-short-header").dropsOfB(DropReason.INNER_MALFORMED));
    }

    @Test
    void aFlippedInitiationStopsAtMac1UnlessItsMacsAreRecomputed() throws IOException {
        assertEquals(1, seed("initiation-flipped").dropsOfB(DropReason.BAD_MAC1));
        DeviceFuzzHarness recomputed = seed("initiation-flipped-macs-recomputed");
        assertEquals(0, recomputed.dropsOfB(DropReason.BAD_MAC1));
        assertEquals(1, recomputed.dropsOfB(DropReason.HANDSHAKE_INVALID), "it reached the Noise layer");
    }

    @Test
    void aGenuineInitiationIsAnswered() throws IOException {
        assertEquals(1, seed("initiation").sentByB(Messages.TYPE_RESPONSE));
        assertEquals(1, seed("raw-real-initiation").sentByB(Messages.TYPE_RESPONSE));
        assertEquals(1, seed("stranger-real-initiation").sentByB(Messages.TYPE_RESPONSE), "from any address (roaming)");
    }

    @Test
    void aTransportMessageTakenTwiceIsAReplay() throws IOException {
        DeviceFuzzHarness h = seed("raw-real-transport-twice");
        assertEquals(1, h.deliveredByB());
        assertEquals(1, h.dropsOfB(DropReason.REPLAYED));
    }

    @Test
    void underLoadAnInitiationGetsACookieAndTheNextOneWithItIsAnswered() throws IOException {
        DeviceFuzzHarness flood = DeviceFuzzHarness.run(new byte[] {7});
        DeviceFuzzHarness first = DeviceFuzzHarness.run(new byte[] {7, 2, 0});
        DeviceFuzzHarness both = seed("under-load-cookie-then-mac2");
        assertEquals(flood.dropsOfB(DropReason.COOKIE_REQUIRED) + 1, first.dropsOfB(DropReason.COOKIE_REQUIRED),
                "the first initiation under load got a cookie reply");
        assertEquals(0, first.sentByB(Messages.TYPE_RESPONSE));
        assertEquals(first.dropsOfB(DropReason.COOKIE_REQUIRED), both.dropsOfB(DropReason.COOKIE_REQUIRED),
                "the second, carrying the cookie, needed none");
        assertEquals(1, both.sentByB(Messages.TYPE_RESPONSE), "and got its response");
    }

    @Test
    void afterItsSessionExpiredBInitiatesAndAFlippedResponseStopsAtMac1() throws IOException {
        DeviceFuzzHarness h = seed("session-expired-b-initiates-response-flipped");
        assertEquals(1, h.sentByB(Messages.TYPE_INITIATION));
        assertEquals(1, h.dropsOfB(DropReason.BAD_MAC1));
    }

    @Test
    void aResponseToBsInitiationCompletesItsHandshake() throws IOException {
        DeviceFuzzHarness dropped = seed("session-expired-b-initiates-response-dropped");
        DeviceFuzzHarness answered = DeviceFuzzHarness.run(new byte[] {5, 0x57, (byte) 0xe5, 1, 0});
        assertEquals(0, dropped.deliveredByB());
        assertEquals(1, answered.sentByB(Messages.TYPE_INITIATION));
        assertTrue(answered.sentByB(Messages.TYPE_TRANSPORT) > dropped.sentByB(Messages.TYPE_TRANSPORT),
                "B confirmed the new session with a transport message");
    }
}
