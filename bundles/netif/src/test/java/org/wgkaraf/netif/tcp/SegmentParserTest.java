package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.Checksum;
import org.wgkaraf.netif.ip.DropReason;
import org.wgkaraf.netif.ip.Ipv4Header;

/** The segment parser: every field and option read right, and anything malformed refused, never thrown. */
class SegmentParserTest {
    private final byte[] out = new byte[2000];
    private final Segment seg = new Segment();

    /** A segment from B to A, options written by {@code options} after the fixed header. */
    private byte[] segment(int flags, java.util.function.IntUnaryOperator options, byte[] data) {
        SegmentWriter.header(out, 40000, 22, 1000, 2000, flags, 512);
        int at = options.applyAsInt(SegmentWriter.OPTIONS);
        System.arraycopy(data, 0, out, at, data.length);
        int n = SegmentWriter.finish(out, at, data.length, Packets.B, Packets.A, 1);
        return Arrays.copyOfRange(out, 20, n);
    }

    private DropReason parse(byte[] tcp) {
        return SegmentParser.parse(Packets.B, Packets.A, tcp, 0, tcp.length, seg);
    }

    /** Recomputes the checksum after a test changed bytes. */
    private static byte[] fixChecksum(byte[] tcp) {
        Bytes.put16(tcp, TcpHeader.CHECKSUM, 0);
        Bytes.put16(tcp, TcpHeader.CHECKSUM, Checksum.transport(Packets.B, Packets.A, Ipv4Header.PROTOCOL_TCP, tcp, 0, tcp.length));
        return tcp;
    }

    @Test
    void readsTheHeaderAndEveryOptionOfASyn() {
        byte[] p = segment(TcpHeader.SYN, at -> {
            at = SegmentWriter.mss(out, at, 1380);
            at = SegmentWriter.windowScale(out, at, 7);
            at = SegmentWriter.sackPermitted(out, at);
            return SegmentWriter.timestamps(out, at, 0xdeadbeef, 0);
        }, new byte[0]);
        assertNull(parse(p));
        assertEquals(40000, seg.sourcePort);
        assertEquals(22, seg.destinationPort);
        assertEquals(1000, seg.seq);
        assertEquals(512, seg.window);
        assertTrue(seg.syn());
        assertEquals(1380, seg.mss);
        assertEquals(7, seg.windowScale);
        assertTrue(seg.sackPermitted);
        assertTrue(seg.hasTimestamps);
        assertEquals(0xdeadbeef, seg.tsVal);
        assertEquals(1, seg.length(), "a SYN occupies one sequence number");
    }

    @Test
    void rfc7323_2_3_aWindowScaleAbove14IsUsedAs14() {
        assertNull(parse(segment(TcpHeader.SYN, at -> SegmentWriter.windowScale(out, at, 20), new byte[0])));
        assertEquals(14, seg.windowScale);
    }

    @Test
    void rfc2018_rfc7323_synOnlyOptionsAreIgnoredOutsideASyn() {
        assertNull(parse(segment(TcpHeader.ACK, at -> SegmentWriter.sackPermitted(out, SegmentWriter.windowScale(out,
                SegmentWriter.mss(out, at, 100), 3)), new byte[0])));
        assertEquals(-1, seg.mss);
        assertEquals(-1, seg.windowScale);
        assertFalse(seg.sackPermitted);
    }

    @Test
    void rfc2018_readsUpToFourSackBlocks() {
        int[] s = {10, 30, 50, 70};
        int[] e = {20, 40, 60, 80};
        assertNull(parse(segment(TcpHeader.ACK, at -> SegmentWriter.sack(out, at, s, e, 4), new byte[0])));
        assertEquals(4, seg.sackBlocks);
        assertEquals(70, seg.sackStart[3]);
        assertEquals(80, seg.sackEnd[3]);
    }

    @Test
    void dataIsFoundAfterTheOptions() {
        byte[] data = {1, 2, 3, 4, 5};
        assertNull(parse(segment(TcpHeader.ACK | TcpHeader.PSH, at -> SegmentWriter.timestamps(out, at, 1, 2), data)));
        assertEquals(5, seg.dataLength);
        assertEquals(3, seg.data[seg.dataOffset + 2]);
    }

    @Test
    void rfc9293_3_1_anUnknownOptionIsSkippedByItsLength() {
        byte[] p = segment(TcpHeader.ACK, at -> {
            out[at] = 99;
            out[at + 1] = 6;
            return SegmentWriter.timestamps(out, at + 8, 5, 6); // two NOPs are put after the 6 bytes below
        }, new byte[0]);
        p[20 + 6] = TcpHeader.OPT_NOP;
        p[20 + 7] = TcpHeader.OPT_NOP;
        assertNull(parse(fixChecksum(p)));
        assertTrue(seg.hasTimestamps, "the option after the unknown one is read");
    }

    @Test
    void rfc9293_3_1_anOptionLengthOfZeroOrPastTheHeaderIsRefusedNotThrown() {
        byte[] zero = segment(TcpHeader.ACK, at -> SegmentWriter.timestamps(out, at, 1, 2), new byte[0]);
        zero[20 + 3] = 0; // timestamps option length 0
        assertEquals(DropReason.TCP_BAD_OPTION, parse(fixChecksum(zero)));
        byte[] past = segment(TcpHeader.ACK, at -> SegmentWriter.timestamps(out, at, 1, 2), new byte[0]);
        past[20 + 3] = 40;
        assertEquals(DropReason.TCP_BAD_OPTION, parse(fixChecksum(past)));
    }

    @Test
    void aBadChecksumIsRefused() {
        byte[] p = segment(TcpHeader.ACK, at -> at, new byte[] {7});
        p[p.length - 1] ^= 1;
        assertEquals(DropReason.TCP_BAD_CHECKSUM, parse(p));
    }

    @Test
    void aDataOffsetBelowFiveOrPastTheSegmentIsTruncated() {
        byte[] p = segment(TcpHeader.ACK, at -> at, new byte[0]);
        p[TcpHeader.DATA_OFFSET] = 4 << 4;
        assertEquals(DropReason.TCP_TRUNCATED, parse(fixChecksum(p)));
        p[TcpHeader.DATA_OFFSET] = 6 << 4;
        assertEquals(DropReason.TCP_TRUNCATED, parse(fixChecksum(p)));
        assertEquals(DropReason.TCP_TRUNCATED, SegmentParser.parse(Packets.B, Packets.A, p, 0, 19, seg));
    }

    @Test
    void synWithRstIsRefused() {
        assertEquals(DropReason.TCP_BAD_FLAGS, parse(segment(TcpHeader.SYN | TcpHeader.RST, at -> at, new byte[0])));
    }

    @Test
    void portZeroIsRefused() {
        byte[] p = segment(TcpHeader.SYN, at -> at, new byte[0]);
        Bytes.put16(p, 0, 0);
        assertEquals(DropReason.TCP_BAD_PORT, parse(fixChecksum(p)));
    }

    @Test
    void aRangeOutsideTheArrayIsAnInternalErrorNotAnException() {
        assertEquals(DropReason.INTERNAL_ERROR, SegmentParser.parse(1, 2, new byte[10], 5, 20, seg));
        assertEquals(DropReason.INTERNAL_ERROR, SegmentParser.parse(1, 2, null, 0, 0, seg));
    }

    @Test
    void randomBytesNeverMakeItThrow() {
        Random r = new Random(5);
        byte[] b = new byte[100];
        for (int i = 0; i < 200_000; i++) {
            r.nextBytes(b);
            int len = r.nextInt(b.length + 1);
            b[12] = (byte) (r.nextInt(16) << 4);
            Bytes.put16(b, TcpHeader.CHECKSUM, 0);
            Bytes.put16(b, TcpHeader.CHECKSUM, Checksum.transport(1, 2, 6, b, 0, len));
            SegmentParser.parse(1, 2, b, 0, len, seg); // any answer, never an exception
        }
    }
}
