package org.wgkaraf.netif.tcp;

/**
 * How fast a connection may send: the congestion window and the slow-start threshold, in bytes,
 * and how they react to acknowledgments, to loss found by duplicate ACKs or SACK, and to a
 * retransmission timeout (RFC 5681). The loss recovery around it (which segment to resend, cwnd
 * inflation of RFC 6582) is {@link LossRecovery}'s.
 */
sealed interface CongestionControl permits NewReno, Bbr {

    int cwnd();

    int ssthresh();

    /** Sets cwnd directly: recovery's inflation and deflation (RFC 6582 3.2). */
    void setCwnd(int bytes);

    /**
     * New data was acknowledged outside recovery.
     *
     * @param cwndLimited the sender had as much in flight as cwnd allowed, so the ACK says
     *                    something about the path (RFC 7661: an idle or application-limited
     *                    sender does not grow its window)
     */
    void onAck(int ackedBytes, int mss, boolean cwndLimited, long now);

    /** Loss detected by duplicate ACKs or SACK: fast recovery begins (RFC 5681 3.2 step 2). */
    void onLoss(int flightSize, int mss, long now);

    /** Recovery ended with a full acknowledgment (RFC 6582 3.2 step 3, RFC 6675 5). */
    void onRecoveryEnd(int flightSize, int mss);

    /**
     * The retransmission timer expired (RFC 5681 3.1, equation 4): one segment at a time again.
     *
     * @param first the first expiry of a series: ssthresh is set only then (RFC 5681 "when a
     *              segment is retransmitted by the timer again, ssthresh is held constant")
     */
    void onTimeout(int flightSize, int mss, boolean first);

    /**
     * Everything outstanding when the retransmission timer expired is now acknowledged: the
     * timeout's recovery is over. NewReno keeps slow-starting up to ssthresh (RFC 5681 3.1).
     */
    default void onTimeoutRecovered(int mss) {
    }

    /** The connection was idle longer than an RTO (RFC 5681 4.1): restart from the initial window. */
    void onIdle(int mss);

    /**
     * Whether the window follows acknowledgments during loss recovery too. NewReno holds it
     * (RFC 6582, RFC 6675); a model-based controller keeps following its model, or random loss,
     * which keeps a lossy path almost always in recovery, would freeze it.
     */
    default boolean growsDuringRecovery() {
        return false;
    }

    /**
     * A delivery rate sample ({@link DeliveryRate}) and the round-trip sample of the same ACK
     * (-1 when none), for controllers that model the path. NewReno has no use for them.
     */
    default void onRateSample(DeliveryRate rate, long rtt, int inFlight, int mss, long now) {
    }

    /**
     * The rate to pace data segments at, bytes per second; 0 for none (the window alone limits
     * the sender).
     *
     * @param srtt the smoothed RTT, or 0 before one is measured
     */
    default long pacingRate(long srtt, int mss) {
        return 0;
    }

    /** The initial window of RFC 6928: min(10 * MSS, max(2 * MSS, 14600)). */
    static int initialWindow(int mss) {
        return Math.min(10 * mss, Math.max(2 * mss, 14600));
    }
}
