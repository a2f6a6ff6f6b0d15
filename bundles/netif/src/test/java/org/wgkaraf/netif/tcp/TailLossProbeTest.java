package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8985 7: a tail loss is found by a probe after two RTTs, not by the retransmission timeout. */
class TailLossProbeTest {
    private static final int MSS = 1368;
    private static final TcpConfig RENO = TcpConfig.DEFAULTS.withCongestion(TcpConfig.Congestion.NEW_RENO);

    /** An established connection that has measured an RTT of {@code millis}. */
    private static Scripted rttOf(long millis) {
        Scripted s = Scripted.open(RENO, true, true, 0);
        for (int i = 0; i < 5; i++) {
            s.write(100);
            s.p.advance(millis);
            s.seg().send();
        }
        return s;
    }

    @Test
    void rfc8985_7_2_whenTheLastSegmentsGoUnansweredTheLastOneIsSentAgainAfterTwoSrtt() {
        Scripted s = rttOf(50);
        List<Segment> flight = s.write(5 * MSS);
        long pto = s.t.probeAt - s.p.now;
        assertEquals(2 * s.t.rto.srtt(), pto, "two smoothed RTTs");
        assertTrue(pto < s.t.retransmitAt - s.p.now, "before the timeout");
        s.p.advance(pto / 1_000_000 + 1);
        Segment probe = s.p.one();
        assertEquals(flight.get(4).seq, probe.seq, "the last segment, whose SACK will show what is missing");
        assertEquals(1, s.t.recovery.tailProbes);
        assertEquals(0, s.t.recovery.timeouts);
        assertTrue(s.t.retransmitAt - s.p.now >= s.t.rto.rto() - 1_000_000, "the timeout got its full time again");
    }

    @Test
    void rfc8985_7_2_withOneSegmentOutTheProbeWaitsForADelayedAckToo() {
        Scripted s = rttOf(50);
        s.write(100);
        long pto = s.t.probeAt - s.p.now;
        assertTrue(pto >= LossRecovery.MAX_DELAYED_ACK, "the peer may hold its ACK for a second segment: " + pto / 1_000_000 + " ms");
    }

    @Test
    void rfc8985_7_3_theProbeIsNewDataWhenTheWindowTakesIt() {
        Scripted s = rttOf(50);
        int cwnd = s.t.cc.cwnd();
        List<Segment> flight = s.write(cwnd / MSS * MSS + 3 * MSS); // more than cwnd lets out
        int unsentBefore = s.t.unsentData();
        assertTrue(unsentBefore > 0);
        s.p.advance((s.t.probeAt - s.p.now) / 1_000_000 + 1);
        Segment probe = s.p.one();
        assertEquals(flight.get(flight.size() - 1).seq + flight.get(flight.size() - 1).dataLength, probe.seq, "new data");
        assertEquals(unsentBefore - probe.dataLength, s.t.unsentData());
    }

    @Test
    void theProbesAnswerStartsFastRecoveryInsteadOfATimeout() {
        Scripted s = rttOf(50);
        List<Segment> flight = s.write(5 * MSS);
        s.p.advance((s.t.probeAt - s.p.now) / 1_000_000 + 1);
        s.p.drain();
        // Segments 1-4 arrived (the probe sent 4 again); 0 was lost: the SACK says so.
        s.seg(flight.get(0).seq).sack(flight.get(1).seq, flight.get(4).seq + MSS).send();
        Segment resent = s.p.drain().get(0);
        assertEquals(flight.get(0).seq, resent.seq);
        assertEquals(LossRecovery.Phase.FAST, s.t.recovery.phase);
        assertEquals(0, s.t.recovery.timeouts);
    }
}
