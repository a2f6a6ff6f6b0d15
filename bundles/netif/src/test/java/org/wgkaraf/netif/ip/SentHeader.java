package org.wgkaraf.netif.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wgkaraf.testsupport.packet.PacketBuilder.address;
import static org.wgkaraf.testsupport.packet.PacketBuilder.checksum;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u16;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u8;

/** The IPv4 header every packet the layer originates must carry, checked field by field. */
final class SentHeader {
    private SentHeader() {
    }

    /** Total length the packet's own, TTL 64, {@code protocol}, a header checksum that verifies, and the two addresses. */
    static void check(byte[] p, int protocol, String source, String destination) {
        assertEquals(p.length, u16(p, 2), "total length");
        assertEquals(64, u8(p, 8), "TTL");
        assertEquals(protocol, u8(p, 9), "protocol");
        assertEquals(0, checksum(p, 0, 20), "header checksum verifies");
        assertEquals(source, address(p, 12), "source");
        assertEquals(destination, address(p, 16), "destination");
    }
}
