package org.wgkaraf.testsupport.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PacketBuilderTest {
    @Test
    void aUdpDatagramCarriesBothChecksums() {
        byte[] p = PacketBuilder.ipv4("10.214.0.2", "10.214.0.1").udp(40000, 7, "hi".getBytes()).build();
        assertEquals(30, p.length);
        assertEquals(30, PacketBuilder.u16(p, 2), "total length");
        assertEquals(0, PacketBuilder.checksum(p, 0, 20), "the header sums to zero");
        assertEquals(0, PacketBuilder.transportChecksum(p, 20, 10), "the datagram sums to zero with its pseudo-header");
        assertEquals(10, PacketBuilder.u16(p, 24), "UDP length");
    }

    @Test
    void aTcpSegmentCarriesItsFieldsAndChecksum() {
        byte[] p = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").tcp(22, 40000, 0xfffffff0L, 5, PacketBuilder.SYN | PacketBuilder.ACK,
                new byte[0]).build();
        assertEquals(40, p.length);
        assertEquals(PacketBuilder.TCP, PacketBuilder.u8(p, 9));
        assertEquals(0xfffffff0L, PacketBuilder.u32(p, 24));
        assertEquals(5, PacketBuilder.u32(p, 28));
        assertEquals(0x12, PacketBuilder.u8(p, 33));
        assertEquals(0, PacketBuilder.transportChecksum(p, 20, 20));
    }

    @Test
    void headerFieldsAreSetAsAsked() {
        byte[] p = PacketBuilder.ipv4("192.0.2.1", "198.51.100.2").identification(0xabcd).fragment(0).ttl(1)
                .raw(PacketBuilder.UDP, new byte[8]).build();
        assertEquals("4500001cabcd00000111", HexFormat.of().formatHex(p, 0, 10));
        assertEquals("192.0.2.1", PacketBuilder.address(p, 12));
        assertEquals("198.51.100.2", PacketBuilder.address(p, 16));
        assertEquals(0, PacketBuilder.checksum(p, 0, 20));
    }

    @Test
    void corruptedChecksumsDoNotVerify() {
        byte[] p = PacketBuilder.ipv4("10.0.0.1", "10.0.0.2").echoRequest(1, 1, new byte[3]).corruptHeaderChecksum()
                .corruptTransportChecksum().build();
        assertNotEquals(0, PacketBuilder.checksum(p, 0, 20), "header");
        assertNotEquals(0, PacketBuilder.checksum(p, 20, p.length - 20), "ICMP");
    }

    @Test
    void ipv4TakesDottedQuadLiteralsOnly() {
        assertEquals("10.214.0.1", PacketBuilder.ipv4("10.214.0.1").getHostAddress());
        for (String bad : new String[] {"10.214.0", "10.214.0.1.2", "10.214.0.256", "localhost", "10..0.1", "::1"}) {
            assertThrows(IllegalArgumentException.class, () -> PacketBuilder.ipv4(bad), bad);
        }
    }
}
