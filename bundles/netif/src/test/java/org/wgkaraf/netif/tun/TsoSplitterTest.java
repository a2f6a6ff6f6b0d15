package org.wgkaraf.netif.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u16;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u32;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u8;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/** What {@link TsoSplitter} makes of what a TUN device with offloads reads. */
class TsoSplitterTest {
    private static final int MSS = 1000;

    private final TsoSplitter splitter = new TsoSplitter();
    private final List<byte[]> out = new ArrayList<>();
    private final PacketSink sink = (p, off, len) -> out.add(Arrays.copyOfRange(p, off, off + len));

    /** A read as the kernel gives it: the vnet header of a TCPv4 super-segment, then the super-segment. */
    private static byte[] superSegment(TcpSegment s, int gsoSize) {
        byte[] packet = s.build();
        int hdrs = packet.length - s.payload.length;
        byte[] read = new byte[VnetHeader.SIZE + packet.length];
        VnetHeader.write(read, 0, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4, hdrs, gsoSize, 20, 16);
        System.arraycopy(packet, 0, read, VnetHeader.SIZE, packet.length);
        return read;
    }

    private int split(byte[] read) {
        return splitter.split(read, 0, read.length, sink);
    }

    private void assertSegments(TcpSegment original, int gsoSize) {
        int hdrs = 40 + original.tcpOptions.length;
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < out.size(); i++) {
            byte[] p = out.get(i);
            boolean last = i == out.size() - 1;
            int expectedPayload = last ? original.payload.length - i * gsoSize : gsoSize;
            assertEquals(hdrs + expectedPayload, p.length, "segment " + i + " length");
            assertEquals(p.length, u16(p, 2), "segment " + i + " IP total length");
            assertEquals((original.id + i) & 0xffff, u16(p, 4), "segment " + i + " IP ID");
            assertEquals((original.seq + (long) i * gsoSize) & 0xffffffffL, u32(p, 24), "segment " + i + " sequence number");
            assertEquals(original.ack, u32(p, 28), "segment " + i + " ACK");
            assertTrue(TcpSegment.checksumsRight(p), "segment " + i + " checksums");
            assertArrayEquals(Arrays.copyOfRange(original.build(), 40, 40 + original.tcpOptions.length),
                    Arrays.copyOfRange(p, 40, 40 + original.tcpOptions.length), "segment " + i + " TCP options");
            joined.writeBytes(TcpSegment.tcpPayload(p));
        }
        assertArrayEquals(original.payload, joined.toByteArray(), "the payloads, joined");
    }

    @Test
    void aPayloadOfExactlyThreeSegmentsMakesThreeFullSegments() {
        TcpSegment s = new TcpSegment().payload(TcpSegment.bytes(3 * MSS, 1));
        assertEquals(3, split(superSegment(s, MSS)));
        assertEquals(3, out.size());
        assertSegments(s, MSS);
    }

    @Test
    void oneByteMoreMakesAFourthSegmentOfOneByte() {
        TcpSegment s = new TcpSegment().payload(TcpSegment.bytes(3 * MSS + 1, 2));
        assertEquals(4, split(superSegment(s, MSS)));
        assertEquals(41, out.get(3).length);
        assertSegments(s, MSS);
    }

    @Test
    void finAndPushGoOnTheLastSegmentOnlyAndCwrOnTheFirstOnly() {
        TcpSegment s = new TcpSegment().flags(TcpSegment.ACK | TcpSegment.PSH | TcpSegment.FIN | TcpSegment.CWR)
                .payload(TcpSegment.bytes(2 * MSS + 500, 3));
        byte[] read = superSegment(s, MSS);
        read[1] |= (byte) VnetHeader.GSO_ECN;
        split(read);
        assertEquals(3, out.size());
        assertEquals(TcpSegment.ACK | TcpSegment.CWR, u8(out.get(0), 33));
        assertEquals(TcpSegment.ACK, u8(out.get(1), 33));
        assertEquals(TcpSegment.ACK | TcpSegment.PSH | TcpSegment.FIN, u8(out.get(2), 33));
        assertSegments(s, MSS);
    }

    @Test
    void timestampOptionsAreCopiedIntoEverySegment() {
        TcpSegment s = new TcpSegment().timestamps(0x01020304, 0x0a0b0c0d).payload(TcpSegment.bytes(5 * 1388 - 7, 4));
        split(superSegment(s, 1388));
        assertEquals(5, out.size());
        assertSegments(s, 1388);
    }

    @Test
    void sequenceNumbersWrapAroundAsTcpsDo() {
        TcpSegment s = new TcpSegment().seq(0xffffffffL - 1500).payload(TcpSegment.bytes(4 * MSS, 5));
        split(superSegment(s, MSS));
        assertEquals(4, out.size());
        assertEquals(0xffffffffL - 1500 + 2 * MSS - 0x100000000L, u32(out.get(2), 24));
        assertSegments(s, MSS);
    }

    @Test
    void aSuperSegmentOf64KiBBecomesMtuSizedPackets() {
        TcpSegment s = new TcpSegment().timestamps(7, 8).payload(TcpSegment.bytes(65535 - 52, 6));
        split(superSegment(s, 1368));
        assertEquals((65535 - 52 + 1367) / 1368, out.size());
        assertTrue(out.stream().allMatch(p -> p.length <= 1420));
        assertSegments(s, 1368);
    }

    @Test
    void aPacketWithoutGsoButAPartialChecksumGetsItCompleted() {
        byte[] tcp = new TcpSegment().flags(TcpSegment.ACK | TcpSegment.PSH).payload(TcpSegment.bytes(333, 7)).build();
        byte[] partialTcp = tcp.clone();
        long pseudo = 0x0a01 + 0x0203 + 0x0a01 + 0x0204 + 6 + (tcp.length - 20);
        TcpSegment.put16(partialTcp, 36, (int) ((pseudo & 0xffff) + (pseudo >>> 16)));
        byte[] udp = PacketBuilder.ipv4("10.1.2.3", "10.1.2.4").udp(5000, 53, TcpSegment.bytes(77, 8)).build();
        byte[] partialUdp = udp.clone();
        long udpPseudo = 0x0a01 + 0x0203 + 0x0a01 + 0x0204 + 17 + (udp.length - 20);
        TcpSegment.put16(partialUdp, 26, (int) ((udpPseudo & 0xffff) + (udpPseudo >>> 16)));

        for (byte[][] c : new byte[][][] {{partialTcp, tcp, {16}}, {partialUdp, udp, {6}}}) {
            byte[] read = new byte[VnetHeader.SIZE + c[0].length];
            VnetHeader.write(read, 0, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_NONE, 0, 0, 20, c[2][0]);
            System.arraycopy(c[0], 0, read, VnetHeader.SIZE, c[0].length);
            out.clear();
            assertEquals(1, split(read));
            assertArrayEquals(c[1], out.get(0), "the packet with its checksum complete");
        }
    }

    @Test
    void aPlainPacketPassesUnchanged() {
        byte[] ping = PacketBuilder.ipv4("10.1.2.3", "10.1.2.4").echoRequest(1, 2, new byte[56]).build();
        byte[] read = new byte[VnetHeader.SIZE + ping.length];
        System.arraycopy(ping, 0, read, VnetHeader.SIZE, ping.length);
        assertEquals(1, split(read));
        assertArrayEquals(ping, out.get(0));
    }

    @Test
    void hostileReadsAreDroppedAndCounted() {
        TcpSegment s = new TcpSegment().payload(TcpSegment.bytes(3000, 9));
        byte[] zeroGso = superSegment(s, 0);
        byte[] csumBeyond = superSegment(s, MSS);
        VnetHeader.write(csumBeyond, 0, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_NONE, 0, 0, 3030, 16);
        byte[] csumElsewhere = superSegment(s, MSS);
        VnetHeader.write(csumElsewhere, 0, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4, 40, MSS, 20, 6);
        byte[] truncated = Arrays.copyOf(superSegment(new TcpSegment().timestamps(1, 2).payload(new byte[100]), MSS), VnetHeader.SIZE + 45);
        byte[] udpGso = superSegment(s, MSS);
        udpGso[1] = 5;
        byte[] fragment = superSegment(new TcpSegment().payload(s.payload), MSS);
        fragment[VnetHeader.SIZE + 6] |= 0x20;
        byte[] notIpv4 = superSegment(s, MSS);
        notIpv4[VnetHeader.SIZE] = 0x65;
        byte[] gsoTooBig = superSegment(s, 65535);

        for (byte[] read : List.of(new byte[9], zeroGso, csumBeyond, csumElsewhere, truncated, udpGso, fragment, notIpv4, gsoTooBig)) {
            assertEquals(0, split(read));
        }
        assertEquals(0, out.size(), "nothing reaches the tunnel");
        assertEquals(2, splitter.drops(TsoSplitter.Drop.TRUNCATED));
        assertEquals(2, splitter.drops(TsoSplitter.Drop.BAD_GSO_SIZE));
        assertEquals(1, splitter.drops(TsoSplitter.Drop.BAD_CHECKSUM_POSITION));
        assertEquals(2, splitter.drops(TsoSplitter.Drop.UNSUPPORTED_GSO));
        assertEquals(2, splitter.drops(TsoSplitter.Drop.MALFORMED_SUPER_SEGMENT));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void randomReadsNeverThrowAndWhatPassesFitsThePacket(long seed) {
        Random r = new Random(seed);
        byte[] template = superSegment(new TcpSegment().timestamps(1, 2).payload(TcpSegment.bytes(4000, 1)), MSS);
        for (int i = 0; i < 20_000; i++) {
            byte[] read = r.nextBoolean() ? template.clone() : new byte[r.nextInt(200)];
            int n = Math.min(read.length, 1 + r.nextInt(6));
            for (int k = 0; k < n && read.length > 0; k++) {
                read[r.nextInt(Math.min(read.length, 80))] = (byte) r.nextInt();
            }
            int len = read.length == 0 ? 0 : r.nextInt(read.length + 1);
            out.clear();
            splitter.split(read, 0, len, sink);
            for (byte[] p : out) {
                assertTrue(p.length <= Math.max(len - VnetHeader.SIZE, 0), "a packet no longer than what was read");
            }
        }
    }
}
