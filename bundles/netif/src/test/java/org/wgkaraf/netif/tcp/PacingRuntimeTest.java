package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.netif.spi.AcceptQueue;

/**
 * Pacing in the runtime, driven by hand (no threads, a fake clock): the segments the pacer holds
 * back are a connection deadline like its other timers, and the layer's one timer pass ({@link
 * UserspaceTcp#tick}, which {@link LayerThreads}' timer thread runs) sends them when due. No
 * thread per connection, no sleeping.
 */
class PacingRuntimeTest {
    private static final long MS = 1_000_000L;
    private long now = 1_000_000_000L;
    private final RecordingLink link = new RecordingLink();
    private final UserspaceTcp tcp = new UserspaceTcp(link, () -> now, TcpConfig.DEFAULTS, false, new SecureRandom());
    private final byte[] buf = new byte[2000];

    @AfterEach
    void close() {
        tcp.close();
    }

    /** A segment from B:40000 to A:22, with an MSS option when {@code mss} > 0. */
    private void in(int seq, int ack, int flags, int mss) {
        SegmentWriter.header(buf, 40000, 22, seq, ack, flags, 65535);
        int at = mss > 0 ? SegmentWriter.mss(buf, SegmentWriter.OPTIONS, mss) : SegmentWriter.OPTIONS;
        int n = SegmentWriter.finish(buf, at, 0, Packets.B, Packets.A, 1);
        assertNull(tcp.input(Packets.B, Packets.A, Arrays.copyOf(buf, n), 20, n - 20, false));
    }

    private long dataSegments() {
        return link.segments().stream().filter(s -> s.dataLength > 0).count();
    }

    private int lastDataEnd() {
        Segment last = null;
        for (Segment s : link.segments()) {
            if (s.dataLength > 0) {
                last = s;
            }
        }
        assertNotNull(last);
        return last.seq + last.dataLength;
    }

    @Test
    void heldSegmentsAreReleasedByTheLayersTimerPass() throws Exception {
        AcceptQueue queue = new AcceptQueue(22, 4);
        try (AutoCloseable l = tcp.listen(22, queue)) {
            in(1000, 0, TcpHeader.SYN, 1380);
            Segment synAck = link.last();
            now += 50 * MS; // the handshake measures a 50 ms path
            in(1001, synAck.seq + 1, TcpHeader.ACK, 0);
            TcpConnection c = queue.take(Duration.ZERO);
            assertNotNull(c);
            link.clear();
            c.output().write(new byte[60_000]);
            assertEquals(Pacer.UNPACED_SEGMENTS, dataSegments(), "the initial window leaves at once");
            now += 50 * MS;
            in(1001, lastDataEnd(), TcpHeader.ACK, 0); // all acknowledged: the window doubles
            long burst = dataSegments() - Pacer.UNPACED_SEGMENTS;
            assertTrue(burst >= 1 && burst < Pacer.UNPACED_SEGMENTS, "the pacer lets a burst go and holds the rest: " + burst);
            long due = tcp.tick(now);
            assertTrue(due > now && due < now + 20 * MS, "the next deadline is the pacer's, milliseconds away: " + (due - now));
            link.clear();
            assertEquals(due, tcp.tick(due - 1), "nothing is due before");
            assertTrue(link.sent.isEmpty());
            now = due;
            long next = tcp.tick(now);
            assertTrue(dataSegments() >= 1, "the timer pass sent what the pacer held");
            assertTrue(next > now, "and the connection's next deadline moved on");
        }
    }
}
