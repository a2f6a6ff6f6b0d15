package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.netif.ip.DropReason;

/** Data flow: ACK timing, windows, SACK reporting, zero windows, and sending small writes at once. */
class TcbDataTest {
    /** The peer does not scale its window, so the numbers below read as bytes. */
    private final Scripted s = Scripted.open(TcpConfig.DEFAULTS, true, true, 0);

    /** Past the first segments, which are ACKed one by one. */
    private void pastQuickAcks() {
        for (int i = 0; i < Tcb.QUICK_ACKS; i++) {
            s.data(1368);
        }
        s.p.drain();
        s.t.read(new byte[1 << 20], 0, 1 << 20, s.p.now);
        s.p.drain();
    }

    @Test
    void rfc5681_4_2_anAckForAtLeastEverySecondFullSizedSegment() {
        pastQuickAcks();
        s.data(1368);
        s.p.none();
        s.data(1368);
        Segment ack = s.p.one();
        assertEquals(s.peerSeq, ack.ack);
    }

    /**
     * The receive path wakes the output thread only when a segment leaves something to send: on
     * a connection that receives in bulk, every other full segment (its ACK waits for the next).
     */
    @Test
    void aSegmentWhoseAckWaitsLeavesNothingToSendAndTheNextOneAnAck() {
        pastQuickAcks();
        for (int i = 0; i < 4; i++) {
            s.data(1368);
            assertTrue(s.t.nothingToSend(), "the first of two full segments: its ACK waits");
            s.p.none();
            s.data(1368);
            assertFalse(s.t.nothingToSend(), "the second: an ACK is due");
            assertEquals(s.peerSeq, s.p.one().ack);
        }
    }

    @Test
    void somethingToSendWhenDataIsInFlightUnsentOrOutOfOrder() {
        pastQuickAcks();
        int una = s.t.sndUna;
        s.write(100);
        s.seg(una).flags(TcpHeader.ACK).data(new byte[1368]).send(); // ACKs none of our 100 bytes
        s.peerSeq += 1368;
        assertFalse(s.t.nothingToSend(), "our 100 bytes are in flight: their retransmission timer runs");
        s.p.drain();
        s.seg().send(); // the peer ACKs them
        s.p.drain();
        assertTrue(s.t.nothingToSend(), "all acknowledged, no ACK due");
        s.peerSeq += 1000; // a segment lost: the next arrives out of order
        s.data(1368);
        assertFalse(s.t.nothingToSend(), "out of order: a duplicate ACK with SACK is due at once");
        assertEquals(1, s.p.drain().size());
    }

    @Test
    void rfc9293_3_8_6_3_aLoneSegmentIsAckedWithinTheDelayedAckTime() {
        pastQuickAcks();
        s.data(100);
        s.p.none();
        s.p.advance(39);
        s.p.none();
        s.p.advance(1);
        assertEquals(s.peerSeq, s.p.one().ack, "40 ms later");
    }

    @Test
    void theFirstSegmentsAreAckedOneByOneForThePeersSlowStart() {
        s.data(1368);
        assertEquals(1, s.p.drain().size());
        s.data(1368);
        assertEquals(1, s.p.drain().size());
    }

    @Test
    void rfc5681_4_2_outOfOrderDataIsAckedAtOnceWithSackBlocks() {
        pastQuickAcks();
        int hole = s.peerSeq;
        s.peerSeq += 1000; // lost
        s.data(500);
        Segment ack = s.p.one();
        assertEquals(hole, ack.ack);
        assertEquals(1, ack.sackBlocks);
        assertEquals(hole + 1000, ack.sackStart[0]);
        assertEquals(hole + 1500, ack.sackEnd[0]);
    }

    @Test
    void rfc2018_4_theFirstBlockIsTheMostRecentAndOlderOnesFollow() {
        pastQuickAcks();
        int base = s.peerSeq;
        s.peerSeq = base + 1000;
        s.data(100); // block [1000, 1100)
        s.peerSeq = base + 3000;
        s.data(100); // block [3000, 3100)
        s.peerSeq = base + 5000;
        s.data(100); // block [5000, 5100)
        s.p.drain();
        s.peerSeq = base + 1100;
        s.data(100); // grows the first block
        Segment ack = s.p.one();
        assertEquals(3, ack.sackBlocks, "three blocks fit beside timestamps");
        assertEquals(base + 1000, ack.sackStart[0]);
        assertEquals(base + 1200, ack.sackEnd[0]);
        assertEquals(base + 5000, ack.sackStart[1]);
        assertEquals(base + 3000, ack.sackStart[2]);
    }

    @Test
    void rfc2883_aDuplicateIsReportedAsTheFirstBlock() {
        pastQuickAcks();
        s.data(500);
        s.p.drain();
        s.peerSeq -= 500;
        assertEquals(DropReason.TCP_DUPLICATE, s.data(500));
        Segment ack = s.p.one();
        assertEquals(1, ack.sackBlocks);
        assertEquals(s.peerSeq - 500, ack.sackStart[0]);
        assertEquals(s.peerSeq, ack.sackEnd[0]);
        assertTrue(Seq.le(ack.sackEnd[0], ack.ack), "below the cumulative ACK: a D-SACK");
    }

    @Test
    void rfc5681_4_2_dataFillingAHoleIsAckedAtOnce() {
        pastQuickAcks();
        int hole = s.peerSeq;
        s.peerSeq += 1000;
        s.data(1000);
        s.p.drain();
        s.peerSeq = hole;
        s.data(1000);
        Segment ack = s.p.one();
        assertEquals(hole + 2000, ack.ack);
        assertEquals(0, ack.sackBlocks);
    }

    @Test
    void rfc7323_2_3_theWindowFieldIsScaledAndTheRightEdgeNeverMovesBack() {
        pastQuickAcks();
        s.data(1368);
        s.data(1368);
        Segment first = s.p.one();
        int shift = s.t.rcvScale;
        int edge = first.ack + (first.window << shift);
        int offered = edge - first.ack;
        int buffer = s.t.receiveBuffer.capacity();
        assertTrue(offered <= buffer - 2 * 1368 && offered > buffer - 2 * 1368 - (1 << shift),
                "the buffer less the two unread segments, in units of the scale: " + offered);
        for (int i = 0; i < 220; i++) {
            s.data(1368); // 300 KB the application does not read
            for (Segment ack : s.p.drain()) {
                int e = ack.ack + (ack.window << shift);
                assertTrue(Seq.ge(e, edge), "the right edge never moves back");
                assertTrue(e - edge < 1 << shift, "nor forward while nothing is read (but for rounding to the scale)");
                edge = e;
            }
        }
    }

    @Test
    void rfc9293_3_8_6_2_2_theWindowReopensOnlyInWorthwhileSteps() {
        TcpConfig small = TcpConfig.DEFAULTS.withReceiveBuffer(20_000);
        Scripted t = Scripted.open(small, true, true, 7);
        for (int i = 0; i < 14; i++) {
            t.data(1368);
        }
        t.data(20_000 - 14 * 1368);
        List<Segment> acks = t.p.drain();
        assertEquals(0, acks.get(acks.size() - 1).window, "the buffer is full: zero window");
        t.t.read(new byte[100], 0, 100, t.p.now);
        t.p.none(); // 100 bytes free is not worth a window update (silly window syndrome)
        t.t.read(new byte[20_000], 0, 20_000, t.p.now);
        Segment update = t.p.one();
        assertTrue(update.window > 0, "a window update once it is worth it");
    }

    @Test
    void nagleIsOffSmallWritesLeaveAtOnce() {
        List<Segment> out = s.write(1);
        assertEquals(1, out.size());
        assertEquals(1, out.get(0).dataLength);
        out = s.write(1);
        assertEquals(1, out.size(), "even with the first byte unacknowledged");
    }

    @Test
    void rfc9293_3_8_6_1_aZeroWindowIsProbedWithBackoffUntilItOpens() {
        s.window = 0;
        s.seg().send(); // the peer closes its window
        s.t.write(new byte[1000], 0, 1000);
        s.p.none();
        s.p.advance(200); // the persist timer runs on the RTO
        Segment probe = s.p.one();
        assertEquals(s.t.sndUna - 1, probe.seq, "Linux's probe: an old byte, no data");
        assertEquals(0, probe.dataLength);
        s.seg().send(); // still zero
        s.p.advance(200);
        s.p.none();
        s.p.advance(200);
        assertEquals(1, s.p.drain().size(), "the interval doubled");
        s.window = 65535;
        s.seg().send();
        List<Segment> data = s.p.drain();
        assertEquals(1000, data.get(0).dataLength, "the window opened: the data goes");
    }

    @Test
    void rfc1122_4_2_2_17_aZeroWindowThatIsAnsweredNeverTimesOut() {
        s.window = 0;
        s.seg().send();
        s.t.write(new byte[1000], 0, 1000);
        for (int i = 0; i < 40; i++) {
            s.p.runFor(60_000);
            s.seg().send(); // every probe answered, window still closed
        }
        assertEquals(TcpState.ESTABLISHED, s.t.state, "40 minutes of closed window");
    }

    @Test
    void rfc9293_3_8_6_2_1_noPartOfASegmentGoesBeyondThePeersWindow() {
        s.window = 8000;
        s.seg().send();
        List<Segment> out = s.write(50_000);
        int edge = s.t.sndUna + 8000;
        int total = 0;
        for (Segment seg : out) {
            assertTrue(Seq.le(seg.seq + seg.dataLength, edge), "ends within the window");
            total += seg.dataLength;
        }
        assertEquals(5 * 1368, total, "five full segments; the 1160 bytes left would be a silly small segment");
    }

    @Test
    void rfc9293_3_8_6_2_1_aSmallWindowIsNotFilledWithTinySegments() {
        s.window = 100;
        s.seg().send();
        s.t.write(new byte[5000], 0, 5000);
        s.p.none(); // 100 bytes is less than half of the largest window seen (65535): wait
    }

    /**
     * Found by fuzzing: with nothing in flight and a window too small for sender SWS avoidance,
     * no timer ran, so a lost window update left the connection waiting for ever. The override
     * timeout (RFC 9293 3.8.6.2.1) sends what the window takes; the peer's answer to it carries
     * the window that opened meanwhile.
     */
    @Test
    void rfc9293_3_8_6_2_1_whatASmallWindowTakesIsSentWhenThePersistTimerFires() {
        s.window = 100;
        s.seg().send();
        s.t.write(new byte[5000], 0, 5000);
        s.p.none();
        assertTrue(s.t.nextDeadline() != Tcb.NEVER, "a timer will send the data");
        s.p.advance(200);
        Segment override = s.p.one();
        assertEquals(s.t.sndUna, override.seq);
        assertEquals(100, override.dataLength, "what the window takes, however small");
        s.window = 65535; // the window update that opened it was lost: the answer to the segment carries it
        s.seg().send();
        int sent = 0;
        for (Segment seg : s.p.drain()) {
            sent += seg.dataLength;
        }
        assertEquals(4900, sent, "the rest goes");
    }

    @Test
    void anAckWhoseSequenceLiesBeyondAClosedWindowUsesTheEdgeSoThePeerTakesIt() {
        s.write(3000);
        s.window = 0;
        s.seg(Scripted.ISS + 1).send(); // the peer acknowledges nothing and closes its window
        s.p.drain();
        assertNull(s.data(10));
        List<Segment> acks = s.p.drain();
        Segment ack = acks.get(acks.size() - 1);
        assertEquals(s.t.sndUna, ack.seq, "SND.UNA + SND.WND, not SND.NXT which the peer would drop");
        assertFalse(ack.fin());
    }
}
