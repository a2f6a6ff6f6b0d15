package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpStatus;
import org.wgkaraf.netif.ip.DropReason;
import org.wgkaraf.netif.spi.AcceptQueue;

/**
 * The runtime's limits and its answers to segments without a connection: driven by hand (no
 * timer thread, a fake clock), segments fed as the IPv4 layer would feed them.
 */
class UserspaceTcpLimitsTest {
    private long now = 1_000_000_000L;
    private final RecordingLink link = new RecordingLink();
    private final TcpConfig config = TcpConfig.DEFAULTS.withLimits(32, 16, 8, 4);
    private final UserspaceTcp tcp = new UserspaceTcp(link, () -> now, config, false, new SecureRandom());
    private final byte[] buf = new byte[2000];
    private final Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);

    @AfterEach
    void close() {
        tcp.close();
    }

    /** A segment from B:sourcePort to A:port, fed to the layer; the drop reason is counted as the IPv4 layer would. */
    private DropReason in(int sourcePort, int port, int seq, int ack, int flags, byte[] data) {
        SegmentWriter.header(buf, sourcePort, port, seq, ack, flags, 65535);
        System.arraycopy(data, 0, buf, SegmentWriter.OPTIONS, data.length);
        int n = SegmentWriter.finish(buf, SegmentWriter.OPTIONS, data.length, Packets.B, Packets.A, 1);
        DropReason r = tcp.input(Packets.B, Packets.A, Arrays.copyOf(buf, n), 20, n - 20, false);
        if (r != null) {
            drops.merge(r, 1L, Long::sum);
        }
        return r;
    }

    private DropReason syn(int sourcePort, int port) {
        return in(sourcePort, port, 1000, 0, TcpHeader.SYN, new byte[0]);
    }

    /** Completes the handshake of the SYN sent from {@code sourcePort}. */
    private void ackSynAck(int sourcePort, int port) {
        Segment synAck = null;
        for (Segment s : link.segments()) {
            if (s.destinationPort == sourcePort && s.syn()) {
                synAck = s;
            }
        }
        assertNotNull(synAck, "a SYN-ACK to " + sourcePort);
        assertNull(in(sourcePort, port, 1001, synAck.seq + 1, TcpHeader.ACK, new byte[0]));
    }

    @Test
    void rfc9293_3_10_7_1_aSegmentForAClosedPortIsAnsweredWithAResetAtOnce() {
        assertEquals(DropReason.TCP_NO_LISTENER, syn(40000, 23));
        Segment rst = link.last();
        assertTrue(rst.rst());
        assertEquals(1001, rst.ack);
    }

    @Test
    void rfc9293_3_10_7_1_aResetIsNeverAnswered() {
        assertEquals(DropReason.TCP_RESET_RECEIVED, in(40000, 23, 5, 0, TcpHeader.RST, new byte[0]));
        assertTrue(link.sent.isEmpty());
    }

    @Test
    void rfc9293_3_10_7_2_anAckToAListeningPortWithoutAConnectionGetsAReset() throws Exception {
        try (AutoCloseable l = tcp.listen(22, new AcceptQueue(22, 4))) {
            assertEquals(DropReason.TCP_NO_CONNECTION, in(40000, 22, 5, 777, TcpHeader.ACK, new byte[0]));
            Segment rst = link.last();
            assertEquals(TcpHeader.RST, rst.flags);
            assertEquals(777, rst.seq);
        }
    }

    @Test
    void aSynFloodKeepsHalfOpenConnectionsBoundedAndAGenuineClientStillGetsIn() throws Exception {
        AcceptQueue queue = new AcceptQueue(22, 4);
        try (AutoCloseable l = tcp.listen(22, queue)) {
            for (int port = 10_000; port < 11_000; port++) {
                syn(port, 22);
            }
            assertTrue(tcp.halfOpen() <= config.maxHalfOpenPerPort(), "half-open: " + tcp.halfOpen());
            assertTrue(tcp.connections() <= config.maxHalfOpenPerPort(), "no more connections than that either");
            assertTrue(link.counted(DropReason.TCP_SYN_QUEUE_FULL) >= 1000 - config.maxHalfOpenPerPort(), link.counts.toString());
            link.clear();
            syn(20_000, 22);
            ackSynAck(20_000, 22);
            TcpConnection c = queue.take(Duration.ZERO);
            assertNotNull(c, "the genuine client's connection");
            assertEquals(20_000, c.remote().getPort());
        }
    }

    @Test
    void aFullAcceptQueueRefusesNewSynsWithAReset() throws Exception {
        AcceptQueue queue = new AcceptQueue(22, 1);
        try (AutoCloseable l = tcp.listen(22, queue)) {
            syn(30_000, 22);
            ackSynAck(30_000, 22);
            link.clear();
            assertEquals(DropReason.TCP_BACKLOG_FULL, syn(30_001, 22));
            assertTrue(link.last().rst());
        }
    }

    @Test
    void theConnectionLimitRefusesSynsWithAReset() throws Exception {
        AcceptQueue queue = new AcceptQueue(22, 100);
        try (AutoCloseable l = tcp.listen(22, queue)) {
            for (int i = 0; i < 32; i++) {
                syn(31_000 + i, 22);
                ackSynAck(31_000 + i, 22);
            }
            link.clear();
            assertEquals(DropReason.TCP_CONNECTION_LIMIT, syn(32_000, 22));
            assertTrue(link.last().rst());
            assertEquals(32, tcp.connections());
        }
    }

    @Test
    void statusShowsConnectionsByStateListeningPortsAndDropsByName() throws Exception {
        AcceptQueue queue = new AcceptQueue(22, 4);
        try (AutoCloseable l = tcp.listen(22, queue); AutoCloseable m = tcp.listen(8101, new AcceptQueue(8101, 4))) {
            syn(40_000, 22);
            syn(40_001, 22);
            ackSynAck(40_001, 22);
            syn(40_002, 23);
            TcpStatus s = tcp.status(drops);
            assertEquals(Map.of("SYN_RECEIVED", 1, "ESTABLISHED", 1), s.connections());
            assertEquals(List.of(22, 8101), s.listening());
            assertEquals(Map.of("TCP_NO_LISTENER", 1L), s.drops());
        }
    }

    @Test
    void rfc6191_aNewerSynEndsTimeWaitForTheSameFourTuple() throws Exception {
        AcceptQueue queue = new AcceptQueue(22, 4);
        try (AutoCloseable l = tcp.listen(22, queue)) {
            syn(40_000, 22);
            ackSynAck(40_000, 22);
            TcpConnection c = queue.take(Duration.ZERO);
            c.close(); // our FIN
            Segment fin = link.last();
            assertTrue(fin.fin());
            in(40_000, 22, 1001, fin.seq + 1, TcpHeader.ACK | TcpHeader.FIN, new byte[0]);
            assertEquals(Map.of("TIME_WAIT", 1), tcp.status(drops).connections());
            assertNull(in(40_000, 22, 500_000, 0, TcpHeader.SYN, new byte[0]), "a SYN above the old sequence space");
            assertEquals(Map.of("SYN_RECEIVED", 1), tcp.status(drops).connections());
        }
    }
}
