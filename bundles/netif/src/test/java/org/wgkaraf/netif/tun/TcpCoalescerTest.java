package org.wgkaraf.netif.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u16;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u32;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/** Which segments {@link TcpCoalescer} joins, and what it writes. */
class TcpCoalescerTest {
    private static final int MSS = 1000;

    private record Write(byte[] header, byte[] packet, int segments) {
        boolean plain() {
            return Arrays.equals(header, new byte[VnetHeader.SIZE]);
        }
    }

    private final List<Write> writes = new ArrayList<>();
    private final TcpCoalescer coalescer = new TcpCoalescer(
            (h, p, off, len, n) -> writes.add(new Write(h.clone(), Arrays.copyOfRange(p, off, off + len), n)));

    private static TcpSegment segment(int i) {
        return new TcpSegment().seq(1000 + (long) i * MSS).payload(TcpSegment.bytes(MSS, i));
    }

    private void add(byte[] p) {
        coalescer.add(p, 0, p.length);
    }

    /**
     * What the kernel does with a super-segment's partial checksum: sums from csum_start to the end,
     * complements, stores; then the packet must check out as a whole.
     */
    private static byte[] completed(Write w) {
        byte[] p = w.packet.clone();
        int start = VnetHeader.csumStart(w.header, 0);
        int at = start + VnetHeader.csumOffset(w.header, 0);
        TcpSegment.put16(p, at, PacketBuilder.checksum(p, start, p.length - start));
        return p;
    }

    @Test
    void consecutiveSegmentsOfOneFlowBecomeOneSuperSegmentAtTheFlush() {
        byte[] expectedPayload = new byte[0];
        for (int i = 0; i < 3; i++) {
            TcpSegment s = segment(i);
            expectedPayload = concat(expectedPayload, s.payload);
            add(s.build());
        }
        assertEquals(0, writes.size(), "held until the burst ends");
        coalescer.flush();

        assertEquals(1, writes.size());
        Write w = writes.get(0);
        assertEquals(VnetHeader.F_NEEDS_CSUM, VnetHeader.flags(w.header, 0));
        assertEquals(VnetHeader.GSO_TCPV4, VnetHeader.gsoType(w.header, 0));
        assertEquals(40, VnetHeader.headersLength(w.header, 0));
        assertEquals(MSS, VnetHeader.gsoSize(w.header, 0));
        assertEquals(20, VnetHeader.csumStart(w.header, 0));
        assertEquals(16, VnetHeader.csumOffset(w.header, 0));
        assertEquals(40 + 3 * MSS, w.packet.length);
        assertEquals(w.packet.length, u16(w.packet, 2), "IP total length");
        assertEquals(1000, u32(w.packet, 24), "the first segment's sequence number");
        assertTrue(TcpSegment.checksumsRight(completed(w)), "checksums, the TCP one completed as the kernel would");
        assertArrayEquals(expectedPayload, TcpSegment.tcpPayload(w.packet));
        assertEquals(3, coalescer.coalesced());
        assertEquals(3, w.segments());
    }

    @Test
    void aPushEndsTheSuperSegmentAndGoesOutAtOnce() {
        add(segment(0).build());
        add(segment(1).flags(TcpSegment.ACK | TcpSegment.PSH).build());
        assertEquals(1, writes.size(), "written without a flush");
        assertEquals(TcpSegment.ACK | TcpSegment.PSH, writes.get(0).packet[33]);
        assertTrue(TcpSegment.checksumsRight(completed(writes.get(0))));
    }

    @Test
    void aShorterSegmentEndsTheSuperSegment() {
        add(segment(0).build());
        add(segment(1).payload(new byte[10]).build());
        assertEquals(1, writes.size());
        assertEquals(40 + MSS + 10, writes.get(0).packet.length);
        add(segment(2).seq(1000 + MSS + 10).build());
        assertEquals(1, writes.size(), "the next one starts a new super-segment");
    }

    @Test
    void segmentsWithTheSameTimestampsJoinOthersDoNot() {
        add(segment(0).timestamps(5, 6).build());
        add(segment(1).timestamps(5, 6).build());
        add(segment(2).timestamps(9, 6).build());
        coalescer.flush();
        assertEquals(2, writes.size());
        assertEquals(52 + 2 * MSS, writes.get(0).packet.length);
        assertEquals(52, VnetHeader.headersLength(writes.get(0).header, 0));
        assertTrue(TcpSegment.checksumsRight(completed(writes.get(0))));
        assertTrue(writes.get(1).plain(), "one segment alone goes out as it came");
        assertArrayEquals(segment(2).timestamps(9, 6).build(), writes.get(1).packet);
    }

    @Test
    void aLoneSegmentIsWrittenAsItCameWithAnEmptyHeader() {
        byte[] p = segment(0).build();
        add(p);
        coalescer.flush();
        assertEquals(1, writes.size());
        assertTrue(writes.get(0).plain());
        assertArrayEquals(p, writes.get(0).packet);
    }

    @Test
    void whatIsHeldNeverExceedsOneIpv4Packet() {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 150; i++) {
            TcpSegment s = segment(i);
            sent.writeBytes(s.payload);
            add(s.build());
        }
        coalescer.flush();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        long seq = 1000;
        for (Write w : writes) {
            assertTrue(w.packet.length <= 65535, "a super-segment of " + w.packet.length);
            assertEquals(seq, u32(w.packet, 24), "in order, nothing lost");
            byte[] payload = TcpSegment.tcpPayload(w.packet);
            seq += payload.length;
            written.writeBytes(payload);
        }
        assertEquals(3, writes.size(), "65 segments fit in one");
        assertArrayEquals(sent.toByteArray(), written.toByteArray());
    }

    static Stream<Arguments> thingsThatDoNotJoin() {
        return Stream.of(
                Arguments.of("another flow", (Consumer<TcpSegment>) s -> s.sourcePort++),
                Arguments.of("a gap", (Consumer<TcpSegment>) s -> s.seq += 1),
                Arguments.of("an old sequence number", (Consumer<TcpSegment>) s -> s.seq -= MSS),
                Arguments.of("another ACK", (Consumer<TcpSegment>) s -> s.ack++),
                Arguments.of("another window", (Consumer<TcpSegment>) s -> s.window++),
                Arguments.of("another TTL", (Consumer<TcpSegment>) s -> s.ttl--),
                Arguments.of("a SYN", (Consumer<TcpSegment>) s -> s.flags |= TcpSegment.SYN),
                Arguments.of("a RST", (Consumer<TcpSegment>) s -> s.flags |= TcpSegment.RST),
                Arguments.of("a FIN", (Consumer<TcpSegment>) s -> s.flags |= TcpSegment.FIN),
                Arguments.of("URG", (Consumer<TcpSegment>) s -> {
                    s.flags |= TcpSegment.URG;
                    s.urgent = 10;
                }),
                Arguments.of("ECE", (Consumer<TcpSegment>) s -> s.flags |= TcpSegment.ECE),
                Arguments.of("IP options", (Consumer<TcpSegment>) s -> s.ipOptions = new byte[] {1, 1, 1, 0}),
                Arguments.of("a fragment", (Consumer<TcpSegment>) s -> s.fragment = 0x2000),
                Arguments.of("a pure ACK", (Consumer<TcpSegment>) s -> s.payload = new byte[0]),
                Arguments.of("a longer payload", (Consumer<TcpSegment>) s -> s.payload = new byte[MSS + 1]),
                Arguments.of("other TCP options", (Consumer<TcpSegment>) s -> s.timestamps(1, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("thingsThatDoNotJoin")
    void aSegmentThatDoesNotContinueTheHeldOneIsNotJoined(String what, Consumer<TcpSegment> change) {
        byte[] first = segment(0).build();
        TcpSegment s = segment(1);
        change.accept(s);
        byte[] second = s.build();
        add(first);
        add(second);
        coalescer.flush();
        assertEquals(2, writes.size(), what);
        assertTrue(writes.get(0).plain() && writes.get(1).plain(), what + ": each as it came");
        assertArrayEquals(first, writes.get(0).packet, "in order");
        assertArrayEquals(second, writes.get(1).packet);
    }

    @Test
    void segmentsWithBadChecksumsOrOtherProtocolsAreNeverJoined() {
        byte[] badTcp = segment(1).build();
        badTcp[60] ^= 1;
        byte[] badIp = segment(1).build();
        badIp[8] ^= 1; // TTL changed, header checksum now wrong
        byte[] udp = PacketBuilder.ipv4("10.1.2.3", "10.1.2.4").udp(40000, 5201, new byte[MSS]).build();
        byte[] truncated = Arrays.copyOf(segment(1).build(), 500);
        for (byte[] p : List.of(badTcp, badIp, udp, truncated)) {
            writes.clear();
            add(segment(0).build());
            add(p);
            coalescer.flush();
            assertEquals(2, writes.size());
            assertArrayEquals(p, writes.get(1).packet, "passed on as it came, for the kernel to judge");
        }
        assertEquals(0, coalescer.coalesced());
    }

    /**
     * What a peer sends is hostile at worst: mutated segments (any header byte, any length) never
     * make the coalescer throw, every packet it was given leaves it exactly once (joined or as
     * it came), and nothing it writes is longer than an IPv4 packet.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void mutatedSegmentsNeverThrowAndEveryPacketLeavesOnce(long seed) {
        Random r = new Random(seed);
        int given = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] p = segment(i % 70).timestamps(3, 4).build();
            if (r.nextInt(4) == 0) {
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    p[r.nextInt(60)] = (byte) r.nextInt();
                }
            }
            int len = r.nextInt(8) == 0 ? r.nextInt(p.length + 1) : p.length;
            coalescer.add(p, 0, len);
            given++;
            if (r.nextInt(30) == 0) {
                coalescer.flush();
            }
        }
        coalescer.flush();
        assertEquals(given, writes.stream().mapToInt(Write::segments).sum(), "each packet given left once");
        assertTrue(writes.stream().allMatch(w -> w.packet.length <= 65535));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
