package org.wgkaraf.netif.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.testsupport.packet.PacketBuilder.checksum;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u16;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u8;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.testsupport.packet.PacketBuilder;

class EchoAnswerTest {
    private final Ipv4Layer layer = new Ipv4Layer();
    private final RecordingTunnel tunnel = new RecordingTunnel();
    private final VirtualBackend.Attachment wg = TunnelInterfaces.attachUp(layer, 3, "10.214.0.2", "255.255.255.0", tunnel);

    @Test
    void echoRequestToOurAddressIsAnsweredWithTheSameIdentifierSequenceAndData() {
        byte[] data = new byte[56];
        new Random(7).nextBytes(data);
        byte[] request = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").ttl(17).echoRequest(0x4242, 7, data).build();

        wg.input(request, 0, request.length);

        byte[] reply = tunnel.only();
        assertEquals(request.length, reply.length);
        assertEquals(0x45, u8(reply, 0), "version 4, 20-byte header");
        SentHeader.check(reply, PacketBuilder.ICMP, "10.214.0.2", "10.214.0.1"); // the request's addresses swapped
        assertEquals(0, u8(reply, 20), "type echo reply");
        assertEquals(0, u8(reply, 21), "code");
        assertEquals(0, checksum(reply, 20, reply.length - 20), "ICMP checksum verifies");
        assertEquals(0x4242, u16(reply, 24), "identifier");
        assertEquals(7, u16(reply, 26), "sequence");
        assertArrayEquals(data, Arrays.copyOfRange(reply, 28, reply.length), "data echoed");
        assertTrue(layer.drops().values().stream().allMatch(n -> n == 0), "nothing dropped: " + layer.drops());
    }

    @Test
    void aPacketInsideALargerArrayIsReadAtItsOffset() {
        byte[] request = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").echoRequest(1, 2, new byte[] {9, 8, 7}).build();
        byte[] framed = new byte[request.length + 40];
        Arrays.fill(framed, (byte) 0x55);
        System.arraycopy(request, 0, framed, 13, request.length);

        wg.input(framed, 13, request.length);

        byte[] reply = tunnel.only();
        assertEquals(request.length, reply.length);
        assertArrayEquals(new byte[] {9, 8, 7}, Arrays.copyOfRange(reply, 28, 31));
    }

    @Test
    void anEchoRequestWithoutDataIsAnswered() {
        byte[] request = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").echoRequest(5, 6, new byte[0]).build();

        wg.input(request, 0, request.length);

        byte[] reply = tunnel.only();
        assertEquals(28, reply.length);
        assertEquals(0, checksum(reply, 20, 8));
    }

    @Test
    void echoRequestsToBroadcastAddressesAreNeverAnswered() {
        byte[] toSubnet = PacketBuilder.ipv4("10.214.0.1", "10.214.0.255").echoRequest(1, 1, new byte[8]).build();
        byte[] toAll = PacketBuilder.ipv4("10.214.0.1", "255.255.255.255").echoRequest(1, 2, new byte[8]).build();

        wg.input(toSubnet, 0, toSubnet.length);
        wg.input(toAll, 0, toAll.length);

        assertEquals(0, tunnel.sent().size());
        assertEquals(2, layer.drops().get(DropReason.ECHO_TO_BROADCAST));
    }

    @Test
    void aSlash31InterfaceHasNoBroadcastAddress() {
        RecordingTunnel t = new RecordingTunnel();
        VirtualBackend.Attachment p2p = TunnelInterfaces.attachUp(layer, 4, "10.214.9.0", "255.255.255.254", t);
        byte[] request = PacketBuilder.ipv4("10.214.9.1", "10.214.9.0").echoRequest(1, 1, new byte[8]).build();

        p2p.input(request, 0, request.length);

        assertEquals(1, t.sent().size(), "10.214.9.1 is the other end of a /31, not a broadcast source");
    }

    @Test
    void whileTheLinkIsDownNoReplyLeaves() {
        wg.setLinkUp(false);
        byte[] request = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").echoRequest(1, 1, new byte[8]).build();

        wg.input(request, 0, request.length);

        assertEquals(0, tunnel.sent().size());
        assertEquals(1, layer.drops().get(DropReason.LINK_DOWN));
    }

    @Test
    void icmpErrorsAreCountedAndIgnored() {
        for (int type : new int[] {3, 4, 5, 11, 12}) {
            byte[] error = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").icmp(type, 1, 0, 0, new byte[28]).build();
            wg.input(error, 0, error.length);
        }
        byte[] timestamp = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").icmp(13, 0, 1, 1, new byte[12]).build();
        wg.input(timestamp, 0, timestamp.length);

        assertEquals(0, tunnel.sent().size());
        assertEquals(5, layer.drops().get(DropReason.ICMP_ERROR_RECEIVED));
        assertEquals(1, layer.drops().get(DropReason.ICMP_UNSUPPORTED));
    }

    @Test
    void anEchoReplyNobodyAskedForIsCountedUnmatched() {
        byte[] reply = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").echoReply(99, 1, new byte[8]).build();

        wg.input(reply, 0, reply.length);

        assertEquals(0, tunnel.sent().size());
        assertEquals(1, layer.drops().get(DropReason.ECHO_REPLY_UNMATCHED));
    }

    @Test
    void aClosedInterfaceTakesNothingMore() {
        wg.close();
        byte[] request = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").echoRequest(1, 1, new byte[8]).build();

        wg.input(request, 0, request.length);

        assertEquals(0, tunnel.sent().size());
        assertEquals(1, layer.drops().get(DropReason.INTERFACE_CLOSED));
    }
}
