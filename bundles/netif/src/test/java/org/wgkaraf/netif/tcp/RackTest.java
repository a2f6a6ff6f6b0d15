package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RACK's time-based loss detection (RFC 8985 section 6): a segment is lost once a segment sent
 * after it was delivered and a round trip plus the reordering window has passed; this finds lost
 * retransmissions and losses at the tail, which counting duplicate ACKs cannot.
 */
class RackTest {
    private static final int MSS = 1368;
    private static final long MS = 1_000_000L;
    private static final long RTT = 40;
    private static final TcpConfig RENO = TcpConfig.DEFAULTS.withCongestion(TcpConfig.Congestion.NEW_RENO);

    /** An established connection (timestamps, SACK) that has measured an RTT of 40 ms (a reordering window of 10 ms). */
    private static Scripted rttOf40() {
        Scripted s = Scripted.open(RENO, true, true, 0, RTT);
        for (int i = 0; i < 5; i++) {
            s.write(100);
            s.p.advance(RTT);
            s.seg().send();
        }
        assertEquals(RTT * MS, s.t.rto.minRtt());
        return s;
    }

    /** The peer delivered two segments out of order, neither ever resent: RACK has seen reordering. */
    private static void reorder(Scripted s) {
        List<Segment> two = s.write(2 * MSS);
        s.p.advance(RTT);
        s.seg(s.t.sndUna).sack(two.get(1).seq, two.get(1).seq + MSS).send();
        s.p.advance(1);
        s.seg().send(); // the first arrives late
        assertTrue(s.t.rack.reorderingSeen());
        assertTrue(s.p.drain().isEmpty(), "nothing was resent");
    }

    @Test
    void rfc8985_6_2_aLostRetransmissionIsDetectedByRackWithinOneRoundTrip() {
        Scripted s = rttOf40();
        List<Segment> flight = s.write(10 * MSS);
        s.p.advance(RTT);
        s.seg(s.t.sndUna).sack(flight.get(1).seq, flight.get(9).seq + MSS).send(); // segment 0 lost
        assertEquals(flight.get(0).seq, s.p.drain().get(0).seq, "fast retransmit");
        long resentAt = s.p.now;
        List<Segment> later = s.write(2 * MSS); // new data leaves after the retransmission
        assertEquals(2, later.size());
        s.p.advance(RTT);
        // The retransmission is lost again; the data sent after it arrives.
        s.seg(s.t.sndUna).sack(flight.get(1).seq, later.get(1).seq + MSS).send();
        List<Segment> out = s.p.drain();
        assertEquals(flight.get(0).seq, out.get(0).seq, "resent a second time");
        long found = s.p.now - resentAt;
        long reoWnd = 0; // in recovery without reordering seen (RFC 8985 6.2 step 4)
        assertTrue(found <= s.t.rack.rtt() + reoWnd, "found after " + found / MS + " ms: RACK.rtt + reo_wnd");
        assertTrue(found < s.t.rto.rto(), "long before the retransmission timer");
        assertEquals(0, s.t.recovery.timeouts);
        assertTrue(s.t.rack.marked > 0);
    }

    @Test
    void rfc8985_6_2_onceReorderingIsSeenALostRetransmissionIsFoundAfterOneRoundTripPlusTheReorderingWindow() {
        Scripted s = rttOf40();
        reorder(s);
        long reoWnd = s.t.rto.minRtt() / 4;
        List<Segment> flight = s.write(10 * MSS);
        s.p.advance(RTT);
        s.seg(s.t.sndUna).sack(flight.get(1).seq, flight.get(9).seq + MSS).send();
        assertEquals(flight.get(0).seq, s.p.drain().get(0).seq, "fast retransmit (RFC 6675 IsLost)");
        long resentAt = s.p.now;
        List<Segment> later = s.write(2 * MSS);
        s.p.advance(RTT);
        s.seg(s.t.sndUna).sack(flight.get(1).seq, later.get(1).seq + MSS).send();
        assertTrue(s.p.drain().isEmpty(), "a late retransmission gets the reordering window");
        assertEquals(s.p.now + reoWnd, s.t.rackAt, "RFC 8985 6.3: the reordering timer");
        s.p.advance(reoWnd / MS - 1);
        s.p.none();
        s.p.advance(1);
        List<Segment> out = s.p.drain();
        assertEquals(flight.get(0).seq, out.get(0).seq, "resent a second time");
        assertEquals(s.t.rack.rtt() + reoWnd, s.p.now - resentAt, "one round trip plus the reordering window");
        assertEquals(0, s.t.recovery.timeouts);
    }

    @Test
    void rfc8985_6_3_theReorderingTimerFindsALossWhenNoFurtherAckComes() {
        Scripted s = rttOf40();
        List<Segment> two = s.write(2 * MSS);
        s.p.advance(RTT);
        s.seg(s.t.sndUna).sack(two.get(1).seq, two.get(1).seq + MSS).send(); // one segment SACKed: below DupThresh
        s.p.none();
        long reoWnd = s.t.rto.minRtt() / 4;
        assertEquals(s.p.now + reoWnd, s.t.rackAt);
        assertTrue(s.t.rackAt < s.t.probeAt && s.t.rackAt < s.t.retransmitAt, "before the probe and the timeout");
        s.p.advance(reoWnd / MS);
        Segment resent = s.p.one();
        assertEquals(two.get(0).seq, resent.seq);
        assertEquals(LossRecovery.Phase.FAST, s.t.recovery.phase);
        assertEquals(0, s.t.recovery.tailProbes);
        assertEquals(0, s.t.recovery.timeouts);
    }

    @Test
    void rfc8985_6_2_segmentsSentBeforeADeliveredRetransmissionAreLostOnceARoundTripHasPassed() {
        Scripted s = rttOf40();
        List<Segment> flight = s.write(10 * MSS);
        s.p.advance(RTT);
        // 0 and the tail 5-9 are lost: the peer holds 1-4.
        s.seg(s.t.sndUna).sack(flight.get(1).seq, flight.get(4).seq + MSS).send();
        assertEquals(List.of(flight.get(0).seq), s.p.drain().stream().map(x -> x.seq).toList(), "the first hole");
        s.p.advance(RTT);
        // The retransmission arrives: 0-4 are acknowledged, nothing above. Segments 5-9 were sent
        // before it and a round trip has passed: lost, without waiting for the timeout.
        s.seg(flight.get(5).seq).send();
        List<Segment> out = s.p.drain();
        assertEquals(flight.subList(5, 10).stream().map(x -> x.seq).toList(), out.stream().map(x -> x.seq).toList());
        assertEquals(0, s.t.recovery.timeouts);
    }

    @Test
    void rfc8985_6_2_step2_aDeliveryFasterThanTheMinimumRttOrEchoingAnOlderTimestampAnswersTheOriginal() {
        RetransmissionQueue q = new RetransmissionQueue(16);
        q.add(0, MSS, false, 0);
        q.retransmitted(0, 100 * MS);
        Rack rack = new Rack(0);
        rack.beginAck(false, 0, 50 * MS);
        assertTrue(rack.answersEarlierTransmission(q, 0, 110 * MS));
        rack.delivered(q, 0, true, 110 * MS);
        assertEquals(-1, rack.rtt(), "10 ms after the retransmission, with a 50 ms path: the original arrived");
        assertFalse(rack.advanced());
        rack.beginAck(true, 5, 50 * MS); // echoes 5 ms: the original's timestamp, not the retransmission's (100)
        assertTrue(rack.answersEarlierTransmission(q, 0, 200 * MS), "a full RTT later, but the echo says the original");
        rack.delivered(q, 0, true, 200 * MS);
        assertEquals(-1, rack.rtt());
        rack.beginAck(true, 100, 50 * MS); // echoes the retransmission
        assertFalse(rack.answersEarlierTransmission(q, 0, 200 * MS));
        rack.delivered(q, 0, true, 200 * MS);
        assertEquals(100 * MS, rack.rtt());
        assertTrue(rack.advanced());
    }

    @Test
    void aSegmentSentOnceHasNoEarlierTransmissionWhateverTheAck() {
        RetransmissionQueue q = new RetransmissionQueue(16);
        q.add(0, MSS, false, 100 * MS);
        Rack rack = new Rack(0);
        rack.beginAck(true, 5, 50 * MS); // an old echo, and 1 ms after the send
        assertFalse(rack.answersEarlierTransmission(q, 0, 101 * MS));
    }

    @Test
    void rfc8985_6_2_step3_aSegmentDeliveredBelowOneDeliveredBeforeAndNeverResentWasReordered() {
        RetransmissionQueue q = new RetransmissionQueue(16);
        for (int i = 0; i < 4; i++) {
            q.add(i * MSS, MSS, false, i * MS);
        }
        Rack rack = new Rack(0);
        rack.beginAck(false, 0, 50 * MS);
        rack.delivered(q, 3, false, 60 * MS); // SACKed first
        assertFalse(rack.reorderingSeen());
        q.retransmitted(0, 60 * MS);
        rack.beginAck(true, 60, 50 * MS); // the retransmission of 0 fills the hole: loss, not reordering
        rack.delivered(q, 0, true, 110 * MS);
        assertFalse(rack.reorderingSeen());
        rack.beginAck(false, 0, 50 * MS);
        rack.delivered(q, 1, true, 111 * MS); // sent once, delivered after 3
        assertTrue(rack.reorderingSeen());
    }

    @Test
    void aHoleFilledByTheOriginalOfAResentSegmentIsReorderingToo() {
        RetransmissionQueue q = new RetransmissionQueue(16);
        for (int i = 0; i < 4; i++) {
            q.add(i * MSS, MSS, false, i * MS);
        }
        Rack rack = new Rack(0);
        rack.beginAck(false, 0, 50 * MS);
        rack.delivered(q, 3, false, 60 * MS);
        q.retransmitted(0, 60 * MS);
        rack.beginAck(true, 0, 50 * MS); // echoes the original's timestamp (0 ms), older than the retransmission's
        rack.delivered(q, 0, true, 70 * MS);
        assertTrue(rack.reorderingSeen(), "the late original, not our retransmission, filled the hole");
    }

    @Test
    void rfc8985_6_2_step4_theReorderingWindow() {
        Rack rack = new Rack(0);
        long minRtt = 100 * MS;
        long srtt = 120 * MS;
        assertEquals(25 * MS, rack.reoWnd(false, 0, minRtt, srtt), "a quarter of the minimum RTT");
        assertEquals(0, rack.reoWnd(true, 0, minRtt, srtt), "no reordering seen: zero in recovery");
        assertEquals(0, rack.reoWnd(false, SackScoreboard.DUP_THRESH, minRtt, srtt), "and once DupThresh segments are SACKed");
        RetransmissionQueue q = new RetransmissionQueue(16);
        q.add(0, MSS, false, 0);
        q.add(MSS, MSS, false, 0);
        rack.beginAck(false, 0, minRtt);
        rack.delivered(q, 1, false, minRtt);
        rack.delivered(q, 0, false, minRtt); // 0 below 1, within the same ACK: not reordering
        assertFalse(rack.reorderingSeen());
        rack.beginAck(false, 0, minRtt);
        q.add(2 * MSS, MSS, false, 0);
        q.add(3 * MSS, MSS, false, 0);
        rack.delivered(q, 3, false, minRtt);
        rack.beginAck(false, 0, minRtt);
        rack.delivered(q, 2, false, minRtt);
        assertTrue(rack.reorderingSeen());
        assertEquals(25 * MS, rack.reoWnd(true, 0, minRtt, srtt), "reordering seen: the window applies in recovery too");
        rack.onDsack(0, 10 * MSS);
        assertEquals(50 * MS, rack.reoWnd(true, 0, minRtt, srtt), "a D-SACK widens it by a quarter RTT");
        rack.onDsack(MSS, 10 * MSS);
        assertEquals(50 * MS, rack.reoWnd(true, 0, minRtt, srtt), "once per round");
        rack.onDsack(10 * MSS, 20 * MSS);
        rack.onDsack(20 * MSS, 30 * MSS);
        rack.onDsack(30 * MSS, 40 * MSS);
        assertEquals(srtt, rack.reoWnd(true, 0, minRtt, srtt), "at most the smoothed RTT");
        for (int i = 0; i < Rack.REO_WND_PERSIST; i++) {
            rack.recoveryEnded();
        }
        assertEquals(25 * MS, rack.reoWnd(true, 0, minRtt, srtt), "back after 16 recoveries");
    }
}
