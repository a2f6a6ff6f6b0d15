package org.wgkaraf.netif.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.testsupport.packet.PacketBuilder.checksum;
import static org.wgkaraf.testsupport.packet.PacketBuilder.ipv4;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u16;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u8;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.testsupport.packet.PacketBuilder;

class EchoSessionTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final AtomicLong clock = new AtomicLong(0);
    private final Ipv4Layer layer = new Ipv4Layer(clock::get);
    private final RecordingTunnel tunnel = new RecordingTunnel();
    private final VirtualBackend.Attachment wg = TunnelInterfaces.attachUp(layer, 3, "10.214.0.2", "255.255.255.0", tunnel);

    private void replyFrom(String source, int id, int seq, int ttl, int dataSize) {
        byte[] p = PacketBuilder.ipv4(source, "10.214.0.2").ttl(ttl).echoReply(id, seq, new byte[dataSize]).build();
        wg.input(p, 0, p.length);
    }

    @Test
    void sendBuildsAnEchoRequestFromTheInterfaceAddress() throws Exception {
        try (EchoSession s = layer.openEcho(ipv4("10.214.0.1"))) {
            s.send(3, 56);

            byte[] p = tunnel.only();
            assertEquals(20 + 8 + 56, p.length);
            SentHeader.check(p, PacketBuilder.ICMP, "10.214.0.2", "10.214.0.1");
            assertEquals(8, u8(p, 20), "echo request");
            assertEquals(0, u8(p, 21));
            assertEquals(0, checksum(p, 20, p.length - 20));
            assertEquals(s.identifier(), u16(p, 24));
            assertEquals(3, u16(p, 26));
        }
    }

    @Test
    void aReplyIsMatchedByIdentifierAndSequenceWithItsTtlAndTime() throws Exception {
        try (EchoSession s = layer.openEcho(ipv4("10.214.0.1"))) {
            s.send(1, 32);
            clock.addAndGet(2_500_000);
            replyFrom("10.214.0.1", s.identifier(), 1, 61, 32);

            EchoReply r = s.await(1, WAIT).orElseThrow();

            assertEquals(new EchoReply(1, 61, 32, 2.5), r);
            assertEquals(0, layer.drops().get(DropReason.ECHO_REPLY_UNMATCHED));
        }
    }

    @Test
    void repliesThatDoNotMatchAreCountedAndLeaveTheRequestWaiting() throws Exception {
        try (EchoSession s = layer.openEcho(ipv4("10.214.0.1"))) {
            s.send(1, 8);
            replyFrom("10.214.0.1", s.identifier() ^ 1, 1, 64, 8); // another identifier
            replyFrom("10.214.0.1", s.identifier(), 2, 64, 8); // a sequence never sent
            replyFrom("10.214.0.3", s.identifier(), 1, 64, 8); // another host

            assertEquals(3, layer.drops().get(DropReason.ECHO_REPLY_UNMATCHED));
            replyFrom("10.214.0.1", s.identifier(), 1, 64, 8);
            assertTrue(s.await(1, WAIT).isPresent());
            replyFrom("10.214.0.1", s.identifier(), 1, 64, 8); // a duplicate
            assertEquals(4, layer.drops().get(DropReason.ECHO_REPLY_UNMATCHED));
        }
    }

    @Test
    void aReplyAfterTheRequestWasGivenUpIsNotMatched() throws Exception {
        try (EchoSession s = layer.openEcho(ipv4("10.214.0.1"))) {
            s.send(1, 8);

            assertEquals(Optional.empty(), s.await(1, Duration.ofMillis(10)));
            replyFrom("10.214.0.1", s.identifier(), 1, 64, 8);

            assertEquals(1, layer.drops().get(DropReason.ECHO_REPLY_UNMATCHED));
        }
    }

    @Test
    void openSessionsHaveDistinctIdentifiersAndAClosedOneTakesNoReply() throws Exception {
        EchoSession a = layer.openEcho(ipv4("10.214.0.1"));
        EchoSession b = layer.openEcho(ipv4("10.214.0.1"));
        assertNotEquals(a.identifier(), b.identifier());

        a.send(1, 8);
        a.close();
        replyFrom("10.214.0.1", a.identifier(), 1, 64, 8);

        assertEquals(1, layer.drops().get(DropReason.ECHO_REPLY_UNMATCHED));
        assertThrows(IOException.class, () -> a.send(2, 8));
        b.close();
    }

    @Test
    void aDownLinkOrNoRouteRefusesTheRequestAndSendsNothing() throws Exception {
        wg.setLinkUp(false);
        try (EchoSession down = layer.openEcho(ipv4("10.214.0.1"));
             EchoSession nowhere = layer.openEcho(ipv4("10.215.0.1"))) {
            assertEquals("tunnel wg3 is down: not sent", assertThrows(IOException.class, () -> down.send(1, 8)).getMessage());
            assertThrows(IOException.class, () -> nowhere.send(1, 8));
            assertEquals(0, tunnel.sent().size());
        }
    }

    @Test
    void anEchoToOurOwnAddressIsAnsweredWithoutAPacketLeaving() throws Exception {
        wg.setLinkUp(false);
        try (EchoSession s = layer.openEcho(ipv4("10.214.0.2"))) {
            s.send(0, 64);

            EchoReply r = s.await(0, WAIT).orElseThrow();

            assertEquals(64, r.ttl());
            assertEquals(64, r.dataSize());
            assertEquals(0, tunnel.sent().size());
        }
    }

    @Test
    void coversTellsWhetherAnAttachedSubnetHoldsTheAddressWhateverItsLink() {
        wg.setLinkUp(false);

        assertTrue(layer.covers(ipv4("10.214.0.77")));
        assertFalse(layer.covers(ipv4("10.214.1.77")));
        assertFalse(layer.covers(ipv4("127.0.0.1")));
        wg.close();
        assertFalse(layer.covers(ipv4("10.214.0.77")));
    }

    @Test
    void echoDataCountsUpFromZero() throws Exception {
        try (EchoSession s = layer.openEcho(ipv4("10.214.0.1"))) {
            s.send(0, 300);
            byte[] p = tunnel.only();
            byte[] expected = new byte[300];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (byte) i;
            }
            assertArrayEquals(expected, Arrays.copyOfRange(p, 28, p.length));
        }
    }
}
