package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The packets the core writes: valid IPv4 and TCP, and the resets for segments without a connection. */
class SegmentWriterTest {
    private final byte[] out = new byte[2000];

    private Segment from(int flags, int seq, int ack, int dataLength) {
        SegmentWriter.header(out, 40000, 22, seq, ack, flags, 100);
        int n = SegmentWriter.finish(out, SegmentWriter.OPTIONS, dataLength, Packets.B, Packets.A, 1);
        return Packets.parse(Arrays.copyOf(out, n));
    }

    @Test
    void rfc9293_3_10_7_1_aSegmentWithAckGetsAResetAtItsAckNumber() {
        Segment in = from(TcpHeader.ACK | TcpHeader.PSH, 5, 0xdeadbeef, 3);
        Segment rst = Packets.parse(Arrays.copyOf(out, SegmentWriter.resetFor(in, out, 9)));
        assertEquals(TcpHeader.RST, rst.flags);
        assertEquals(0xdeadbeef, rst.seq);
        assertEquals(22, rst.sourcePort);
        assertEquals(40000, rst.destinationPort);
    }

    @Test
    void rfc9293_3_10_7_1_aSegmentWithoutAckGetsAResetAckingItsLength() {
        Segment in = from(TcpHeader.SYN, 0xfffffffe, 0, 0);
        Segment rst = Packets.parse(Arrays.copyOf(out, SegmentWriter.resetFor(in, out, 9)));
        assertEquals(TcpHeader.RST | TcpHeader.ACK, rst.flags);
        assertEquals(0, rst.seq);
        assertEquals(0xffffffff, rst.ack, "SEG.SEQ + SEG.LEN, the SYN counting one");
    }

    @Test
    void aFinishedPacketCarriesAValidIpv4HeaderWithDontFragment() {
        from(TcpHeader.ACK, 1, 2, 0);
        assertEquals(0x45, out[0] & 0xff);
        assertEquals(0x40, out[6] & 0xff, "don't fragment");
        assertEquals(6, out[9]);
        assertTrue(org.wgkaraf.netif.ip.Checksum.of(out, 0, 20) == 0, "header checksum verifies");
    }
}
