package org.wgkaraf.testsupport.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ipv4IcmpTest {
    private static final Inet4Address JAVA = PacketBuilder.ipv4("10.214.7.2");
    private static final Inet4Address PEER = PacketBuilder.ipv4("10.214.7.1");

    @Test
    void checksumOfAKnownIpv4HeaderMatchesTheWiresValue() {
        // A UDP packet's header as captured on the wire; its checksum field holds 0xb861.
        byte[] h = HexFormat.of().parseHex("450000730000400040110000c0a80001c0a800c7");
        assertEquals(0xb861, PacketBuilder.checksum(h, 0, h.length));
        h[10] = (byte) 0xb8;
        h[11] = 0x61;
        assertEquals(0, PacketBuilder.checksum(h, 0, h.length), "a header with a correct checksum sums to zero");
    }

    @Test
    void echoRequestIsExactlyTheseBytes() {
        // Identification = sequence (7), DF, TTL 64, both checksums as a kernel computes them.
        byte[] p = Ipv4Icmp.echoRequest(JAVA, PEER, 0x1234, 7, "odd-length payload".getBytes());
        assertEquals("4500002e000740004001171a0ad607020ad60701" + "0800734012340007" + HexFormat.of().formatHex("odd-length payload".getBytes()),
                HexFormat.of().formatHex(p));
    }

    @Test
    void echoRequestParsesBackWithValidChecksums() {
        byte[] payload = "odd-length payload".getBytes();
        byte[] p = Ipv4Icmp.echoRequest(JAVA, PEER, 0x1234, 7, payload);

        Ipv4Icmp.Packet parsed = Ipv4Icmp.parse(p, 0, p.length);

        assertEquals(20 + 8 + payload.length, p.length);
        assertEquals(p.length, parsed.totalLength());
        assertEquals(JAVA, parsed.source());
        assertEquals(PEER, parsed.destination());
        assertEquals(64, parsed.ttl());
        assertTrue(parsed.headerChecksumOk());
        assertTrue(parsed.icmpChecksumOk());
        assertTrue(parsed.isEchoRequest());
        assertEquals(0x1234, parsed.icmpId());
        assertEquals(7, parsed.icmpSeq());
        assertArrayEquals(payload, parsed.icmpData());
    }

    @Test
    void echoReplySwapsAddressesKeepsIdSequenceAndDataAndRecomputesChecksums() {
        byte[] request = Ipv4Icmp.echoRequest(PEER, JAVA, 0xbeef, 65535, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        byte[] framed = new byte[request.length + 10];
        System.arraycopy(request, 0, framed, 5, request.length);

        byte[] reply = Ipv4Icmp.echoReply(framed, 5, request.length);
        Ipv4Icmp.Packet r = Ipv4Icmp.parse(reply, 0, reply.length);

        assertTrue(r.isEchoReply());
        assertEquals(JAVA, r.source());
        assertEquals(PEER, r.destination());
        assertEquals(0xbeef, r.icmpId());
        assertEquals(65535, r.icmpSeq());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, r.icmpData());
        assertTrue(r.headerChecksumOk());
        assertTrue(r.icmpChecksumOk());
    }

    @Test
    void corruptedPacketFailsItsChecksums() {
        byte[] p = Ipv4Icmp.echoRequest(JAVA, PEER, 1, 1, new byte[4]);
        p[8] = 1; // TTL
        p[p.length - 1] ^= 0x40;

        Ipv4Icmp.Packet parsed = Ipv4Icmp.parse(p, 0, p.length);

        assertFalse(parsed.headerChecksumOk());
        assertFalse(parsed.icmpChecksumOk());
    }

    @Test
    void refusesWhatIsNotAnIpv4Packet() {
        byte[] p = Ipv4Icmp.echoRequest(JAVA, PEER, 1, 1, new byte[4]);
        assertThrows(IllegalArgumentException.class, () -> Ipv4Icmp.parse(p, 0, 19));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Icmp.parse(p, 0, p.length - 1), "total length beyond the data");
        p[0] = 0x65;
        assertThrows(IllegalArgumentException.class, () -> Ipv4Icmp.parse(p, 0, p.length), "version 6");
        byte[] reply = Ipv4Icmp.echoReply(Ipv4Icmp.echoRequest(JAVA, PEER, 1, 1, new byte[0]), 0, 28);
        assertThrows(IllegalArgumentException.class, () -> Ipv4Icmp.echoReply(reply, 0, reply.length), "a reply is not a request");
    }
}
