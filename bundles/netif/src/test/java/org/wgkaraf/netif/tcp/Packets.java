package org.wgkaraf.netif.tcp;

import java.util.Arrays;
import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.DropReason;

/** Reading and making the packets the core exchanges, for tests. */
final class Packets {
    static final int A = 0x0ad60002; // 10.214.0.2, the module
    static final int B = 0x0ad60001; // 10.214.0.1, the peer

    private Packets() {
    }

    /** Parses a packet the core wrote (IPv4 header first); fails the test if it does not parse. */
    static Segment parse(byte[] packet) {
        Segment s = new Segment();
        int src = Bytes.get32(packet, 12);
        int dst = Bytes.get32(packet, 16);
        int total = Bytes.get16(packet, 2);
        DropReason r = SegmentParser.parse(src, dst, packet, 20, total - 20, s);
        if (r != null) {
            throw new AssertionError("the core wrote a segment that does not parse: " + r);
        }
        return s;
    }

    /** A copy of a segment's data. */
    static byte[] data(Segment s) {
        return Arrays.copyOfRange(s.data, s.dataOffset, s.dataOffset + s.dataLength);
    }
}
