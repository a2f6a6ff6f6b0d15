package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.netif.spi.AcceptQueue;

/**
 * Segments of one receive burst: what they make a connection send waits for the burst's end and
 * then goes as one cumulative ACK, however many ACKs became due; never more than
 * {@link ReceiveBurst#MAX_HELD} segments go unanswered; without a burst, nothing waits.
 */
class ReceiveBurstTest {
    private static final int SEGMENT = 1000;
    private final RecordingLink link = new RecordingLink();
    private final UserspaceTcp tcp = new UserspaceTcp(link, System::nanoTime, TcpConfig.DEFAULTS, false, new SecureRandom());
    private final byte[] buf = new byte[2000];
    private final AcceptQueue queue = new AcceptQueue(22, 4);
    private AutoCloseable listener;
    private int peerSeq = 1001;
    private int ourSeq;

    /** The peer's SYN and ACK of our SYN-ACK: the connection the listener accepted, before each test. */
    @BeforeEach
    void established() throws Exception {
        listener = tcp.listen(22, queue);
        in(1000, 0, TcpHeader.SYN, 0, null);
        ourSeq = link.last().seq + 1;
        in(1001, ourSeq, TcpHeader.ACK, 0, null);
        assertNotNull(queue.take(Duration.ZERO), "accepted");
        link.clear();
    }

    @AfterEach
    void close() throws Exception {
        listener.close();
        tcp.close();
    }

    private void in(int seq, int ack, int flags, int dataLength, ReceiveBurst burst) {
        SegmentWriter.header(buf, 40000, 22, seq, ack, flags, 65535);
        int n = SegmentWriter.finish(buf, SegmentWriter.OPTIONS, dataLength, Packets.B, Packets.A, 1);
        assertEquals(null, tcp.input(Packets.B, Packets.A, Arrays.copyOf(buf, n), 20, n - 20, false, burst));
    }

    private void data(ReceiveBurst burst) {
        in(peerSeq, ourSeq, TcpHeader.ACK, SEGMENT, burst);
        peerSeq += SEGMENT;
    }

    @Test
    void theAcksABurstMakesDueLeaveAsOneCumulativeAckAtItsEnd() {
        ReceiveBurst burst = tcp.newBurst();
        for (int i = 0; i < 10; i++) {
            data(burst);
        }
        assertEquals(List.of(), link.segments(), "nothing goes before the burst ends");
        burst.flush();
        List<Segment> sent = link.segments();
        assertEquals(1, sent.size(), "one ACK: " + sent);
        assertEquals(peerSeq, sent.get(0).ack, "it acknowledges the whole burst");
        burst.flush();
        assertEquals(1, link.segments().size(), "a second flush has nothing held");
    }

    @Test
    void aLongBurstIsAnsweredAtLeastEveryMaxHeldSegments() {
        ReceiveBurst burst = tcp.newBurst();
        int start = peerSeq;
        for (int i = 0; i < 3 * ReceiveBurst.MAX_HELD; i++) {
            data(burst);
        }
        List<Segment> sent = link.segments();
        assertTrue(sent.size() >= 2, "ACKs went during the burst: " + sent);
        int acked = start;
        for (Segment ack : sent) {
            assertTrue((ack.ack - acked) / SEGMENT <= ReceiveBurst.MAX_HELD,
                    "at most " + ReceiveBurst.MAX_HELD + " segments between ACKs: " + sent);
            acked = ack.ack;
        }
        burst.flush();
        assertEquals(peerSeq, link.last().ack, "the end of the burst acknowledges the rest");
    }

    @Test
    void withoutABurstEverySecondSegmentIsAnsweredAtOnce() {
        for (int i = 0; i < 20; i++) {
            data(null);
        }
        assertTrue(link.segments().size() >= 10, "an ACK at least every second segment: " + link.segments());
        assertEquals(peerSeq, link.last().ack);
    }
}
