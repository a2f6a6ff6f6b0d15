package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 5681 congestion control as {@link NewReno} implements it. */
class NewRenoTest {
    private static final int MSS = 1368;
    private final NewReno cc = new NewReno(MSS);

    @Test
    void rfc6928_theInitialWindowIsTenSegmentsUpTo14600Bytes() {
        assertEquals(Math.min(10 * MSS, Math.max(2 * MSS, 14600)), cc.cwnd());
        assertEquals(14600, CongestionControl.initialWindow(1460));
        assertEquals(2 * 8000, CongestionControl.initialWindow(8000), "at least two segments");
    }

    @Test
    void rfc5681_3_1_slowStartAddsTheBytesAcknowledgedAtMostTwoSegmentsPerAck() {
        int start = cc.cwnd();
        cc.onAck(MSS, MSS, true, 0);
        assertEquals(start + MSS, cc.cwnd());
        cc.onAck(5 * MSS, MSS, true, 0);
        assertEquals(start + 3 * MSS, cc.cwnd(), "RFC 3465: at most 2 SMSS per ACK");
    }

    @Test
    void rfc5681_3_1_congestionAvoidanceAddsOneSegmentPerWindowAcknowledged() {
        cc.onLoss(20 * MSS, MSS, 0); // ssthresh = cwnd = 10 segments
        int w = cc.cwnd();
        for (int acked = 0; acked < w - MSS; acked += MSS) {
            cc.onAck(MSS, MSS, true, 0);
        }
        assertEquals(w, cc.cwnd(), "not yet a whole window");
        cc.onAck(MSS, MSS, true, 0);
        assertEquals(w + MSS, cc.cwnd());
    }

    @Test
    void rfc7661_anApplicationLimitedSenderDoesNotGrowItsWindow() {
        int start = cc.cwnd();
        cc.onAck(MSS, MSS, false, 0);
        assertEquals(start, cc.cwnd());
    }

    @Test
    void rfc5681_equation4_lossHalvesTheFlightSizeButNotBelowTwoSegments() {
        cc.onLoss(40 * MSS, MSS, 0);
        assertEquals(20 * MSS, cc.ssthresh());
        assertEquals(20 * MSS, cc.cwnd());
        cc.onLoss(MSS, MSS, 0);
        assertEquals(2 * MSS, cc.ssthresh());
    }

    @Test
    void rfc5681_3_1_aTimeoutLeavesOneSegmentAndSetsSsthreshOnlyTheFirstTime() {
        cc.onTimeout(40 * MSS, MSS, true);
        assertEquals(MSS, cc.cwnd());
        assertEquals(20 * MSS, cc.ssthresh());
        cc.onTimeout(4 * MSS, MSS, false);
        assertEquals(20 * MSS, cc.ssthresh(), "held constant for a repeated timeout");
    }

    @Test
    void rfc6582_3_2_step3_aFullAckEndsRecoveryWithoutABurst() {
        cc.onLoss(40 * MSS, MSS, 0);
        cc.onRecoveryEnd(3 * MSS, MSS);
        assertEquals(4 * MSS, cc.cwnd(), "min(ssthresh, max(FlightSize, SMSS) + SMSS)");
    }

    @Test
    void rfc5681_4_1_afterIdleTheWindowRestartsFromTheInitialWindow() {
        cc.setCwnd(100 * MSS);
        cc.onIdle(MSS);
        assertEquals(CongestionControl.initialWindow(MSS), cc.cwnd());
    }
}
