package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Repairing loss as a sender: the retransmission timer (RFC 6298), fast retransmit and recovery (RFC 5681, 6582, 6675). */
class TcbRecoveryTest {
    private static final int MSS = 1368;
    /** RFC 5681's loss-based congestion control, whose reactions these tests check. */
    private static final TcpConfig RENO = TcpConfig.DEFAULTS.withCongestion(TcpConfig.Congestion.NEW_RENO);

    @Test
    void rfc6298_5_1_theFirstDataStartsTheTimerAndItFiresAfterTheRto() {
        Scripted s = Scripted.open(RENO, false, true, 0);
        long rto = s.t.rto.rto();
        Segment first = s.write(100).get(0);
        s.p.advance(rto / 1_000_000 - 1);
        s.p.none();
        s.p.advance(1);
        Segment again = s.p.one();
        assertEquals(first.seq, again.seq, "the first unacknowledged segment again");
        assertEquals(100, again.dataLength);
    }

    @Test
    void rfc6298_5_5_theTimerBacksOffAndTheConnectionAbortsAfterFifteenRetransmissions() {
        Scripted s = Scripted.open(RENO, true, true, 0);
        s.write(100);
        int retransmissions = 0;
        long waited = 0;
        while (s.t.state == TcpState.ESTABLISHED && waited < 3_600_000) {
            s.p.advance(100);
            waited += 100;
            retransmissions += s.p.drain().size();
        }
        assertEquals(TcpState.CLOSED, s.t.state);
        assertEquals(ConnectionError.TIMED_OUT, s.t.error);
        assertEquals(15, retransmissions - 1, "15 retransmissions, then a reset");
        assertTrue(waited > 5 * 60_000 && waited < 10 * 60_000, "minutes of silence survive, not hours: " + waited / 1000 + " s");
    }

    @Test
    void rfc6298_karnsRule_noRttSampleFromARetransmittedSegmentWithoutTimestamps() {
        Scripted s = Scripted.open(RENO, false, true, 0);
        long srtt = s.t.rto.srtt();
        s.write(100);
        s.p.runFor(1500); // retransmitted once
        s.seg().send();
        assertEquals(srtt, s.t.rto.srtt(), "the ACK may answer either transmission: no sample");
        s.write(100);
        s.p.advance(30);
        s.seg().send();
        assertTrue(s.t.rto.srtt() != srtt, "a segment sent once gives a sample");
    }

    @Test
    void rfc7323_4_withTimestampsARetransmissionStillGivesAnRttSample() {
        Scripted s = Scripted.open(RENO, true, true, 0);
        long srtt = s.t.rto.srtt();
        s.write(100);
        s.p.advance(s.t.rto.rto() / 1_000_000);
        Segment retransmission = s.p.one();
        s.p.advance(50);
        s.p.segment().seq(s.peerSeq).ack(s.t.sndNxt).timestamps(s.peerTs++, retransmission.tsVal).window(65535).send();
        long sample = 50_000_000L; // from the retransmission, as its echoed timestamp says
        assertEquals(srtt - srtt / 8 + sample / 8, s.t.rto.srtt(), 1_000_000L);
    }

    @Test
    void rfc5681_3_1_aTimeoutCollapsesTheWindowToOneSegment() {
        Scripted s = Scripted.open(RENO, true, true, 0);
        s.write(10 * MSS);
        s.p.advance(s.t.rto.rto() / 1_000_000);
        assertEquals(MSS, s.t.cc.cwnd());
        assertEquals(5 * MSS, s.t.cc.ssthresh(), "half the flight size");
        assertEquals(1, s.p.drain().size(), "one segment resent, not ten");
    }

    @Test
    void rfc5681_3_2_threeDuplicateAcksTriggerAFastRetransmitWithoutSack() {
        Scripted s = Scripted.open(RENO, true, false, 0);
        List<Segment> flight = s.write(10 * MSS);
        int una = s.t.sndUna;
        for (int i = 0; i < 2; i++) {
            s.seg(una).send();
        }
        s.p.none(); // two duplicates: wait, it may be reordering
        s.seg(una).send();
        Segment resent = s.p.one();
        assertEquals(flight.get(0).seq, resent.seq);
        assertEquals(LossRecovery.Phase.FAST, s.t.recovery.phase);
        assertEquals(5 * MSS, s.t.cc.ssthresh(), "RFC 5681 equation 4");
    }

    @Test
    void rfc6582_3_2_aPartialAckResendsTheNextHoleAtOnce() {
        Scripted s = Scripted.open(RENO, true, false, 0);
        List<Segment> flight = s.write(10 * MSS);
        int una = s.t.sndUna;
        for (int i = 0; i < 3; i++) {
            s.seg(una).send();
        }
        s.p.drain();
        s.seg(flight.get(3).seq).send(); // segments 0-2 arrive, 3 was lost too
        List<Segment> out = s.p.drain();
        assertEquals(flight.get(3).seq, out.get(0).seq, "the next hole at once, no three duplicates needed");
        assertEquals(LossRecovery.Phase.FAST, s.t.recovery.phase, "still recovering until all sent before is acknowledged");
        s.seg().send();
        assertEquals(LossRecovery.Phase.OPEN, s.t.recovery.phase);
    }

    @Test
    void rfc6675_sackRecoveryResendsEveryHoleItKnowsOf() {
        Scripted s = Scripted.open(RENO, true, true, 0);
        List<Segment> flight = s.write(10 * MSS);
        int una = s.t.sndUna;
        // Segments 0 and 4 are lost: the peer SACKs 1-3 and 5-9.
        s.seg(una).sack(flight.get(1).seq, flight.get(4).seq).send();
        s.seg(una).sack(flight.get(5).seq, flight.get(9).seq + MSS).sack(flight.get(1).seq, flight.get(4).seq).send();
        List<Segment> resent = s.p.drain();
        assertEquals(LossRecovery.Phase.FAST, s.t.recovery.phase);
        assertEquals(flight.get(0).seq, resent.get(0).seq);
        assertEquals(flight.get(4).seq, resent.get(1).seq, "the second hole too, without waiting for more duplicates");
        assertEquals(2, resent.size(), "nothing SACKed is sent again");
    }

    @Test
    void rfc6675_recoveryEndsOnceEverythingUpToTheRecoveryPointIsAcknowledged() {
        Scripted s = Scripted.open(RENO, true, true, 0);
        List<Segment> flight = s.write(10 * MSS);
        int una = s.t.sndUna;
        s.seg(una).sack(flight.get(1).seq, flight.get(9).seq + MSS).send();
        s.p.drain();
        assertEquals(LossRecovery.Phase.FAST, s.t.recovery.phase);
        s.seg().send();
        assertEquals(LossRecovery.Phase.OPEN, s.t.recovery.phase);
        assertEquals(1, s.t.recovery.fastRecoveries);
        assertEquals(0, s.t.recovery.timeouts);
    }

    @Test
    void withBbrTheWindowBeforeATimeoutComesBackWhenEverythingOutstandingThenIsAcknowledged() {
        Scripted s = Scripted.open(TcpConfig.DEFAULTS.withPacing(false), true, true, 0);
        s.t.cc.setCwnd(40 * MSS); // the model's window by now
        s.write(10 * MSS);
        s.p.advance(s.t.rto.rto() / 1_000_000);
        assertEquals(LossRecovery.Phase.TIMEOUT, s.t.recovery.phase);
        assertEquals(MSS, s.t.cc.cwnd(), "RFC 5681 3.1: one segment");
        s.p.drain();
        s.seg(s.t.sndNxt).send();
        assertEquals(LossRecovery.Phase.OPEN, s.t.recovery.phase);
        assertEquals(40 * MSS, s.t.cc.cwnd(), "the window before the timeout, not 1 + 10 segments of slow start");
    }

    @Test
    void rfc5681_3_1_newRenoSlowStartsOnAfterATimeoutsRecovery() {
        Scripted s = Scripted.open(RENO, true, true, 0);
        s.write(10 * MSS);
        s.p.advance(s.t.rto.rto() / 1_000_000);
        s.p.drain();
        s.seg(s.t.sndNxt).send();
        assertEquals(LossRecovery.Phase.OPEN, s.t.recovery.phase);
        assertTrue(s.t.cc.cwnd() <= 11 * MSS, "one segment plus what was acknowledged, at most: " + s.t.cc.cwnd());
    }

    @Test
    void rfc6675_5_1_afterATimeoutWhatThePeerSackedIsNotSentAgain() {
        Scripted s = Scripted.open(RENO, true, true, 0);
        List<Segment> flight = s.write(4 * MSS);
        s.seg(s.t.sndUna).sack(flight.get(2).seq, flight.get(3).seq + MSS).send();
        s.p.drain();
        s.p.advance(s.t.rto.rto() / 1_000_000);
        assertEquals(LossRecovery.Phase.TIMEOUT, s.t.recovery.phase);
        assertEquals(2 * MSS, s.t.retransmissions.sackedBytes(), "kept: the peer did not renege");
        s.seg(flight.get(1).seq).sack(flight.get(2).seq, flight.get(3).seq + MSS).send();
        List<Segment> out = s.p.drain();
        for (Segment seg : out) {
            assertTrue(Seq.lt(seg.seq, flight.get(2).seq), "only the holes are resent: " + seg);
        }
    }

    @Test
    void rfc2018_8_aPeerThatRenegedOnItsSacksGetsEverythingAgain() {
        Scripted s = Scripted.open(RENO, true, true, 0);
        List<Segment> flight = s.write(4 * MSS);
        s.seg(s.t.sndUna).sack(flight.get(1).seq, flight.get(3).seq + MSS).send();
        s.seg(flight.get(1).seq).sack(flight.get(1).seq, flight.get(3).seq + MSS).send(); // the first is acknowledged
        s.p.drain();
        // Segment 1, SACKed, now heads the queue: if the timer still fires, the peer dropped it.
        s.p.advance(s.t.rto.rto() / 1_000_000);
        assertEquals(0, s.t.retransmissions.sackedBytes(), "a SACKed first segment at timeout: the SACKs are forgotten");
    }

    @Test
    void aRetransmissionLargerThanThePeersWindowIsCutToFit() {
        Scripted s = Scripted.open(RENO, true, true, 0);
        Segment first = s.write(MSS).get(0);
        s.window = 500;
        s.seg(s.t.sndUna).send(); // the window shrank to 500 bytes
        s.p.runFor(1100);
        List<Segment> out = s.p.sent;
        Segment resent = out.get(out.size() - 1);
        assertEquals(first.seq, resent.seq);
        assertEquals(500, resent.dataLength, "what fits, and the rest when the window opens");
    }

    @Test
    void rfc5681_4_1_afterAnIdleRtoTheWindowRestartsFromTheInitialWindow() {
        Scripted s = Scripted.open(RENO, true, true, 0);
        for (int i = 0; i < 10; i++) {
            s.write(10 * MSS);
            s.seg().send();
        }
        assertTrue(s.t.cc.cwnd() > CongestionControl.initialWindow(MSS));
        s.p.advance(5_000);
        s.write(MSS);
        assertEquals(CongestionControl.initialWindow(MSS), s.t.cc.cwnd());
    }

    @Test
    void theReceiveSideNeverBlocksTheSendersRecovery() {
        Scripted s = Scripted.open(RENO, true, true, 0);
        s.write(3 * MSS);
        s.p.runFor(1100); // one retransmission
        assertFalse(s.p.sent.isEmpty());
        s.seg().send();
        assertTrue(s.t.allAcknowledged());
        assertEquals(LossRecovery.Phase.OPEN, s.t.recovery.phase);
    }
}
