package org.wgkaraf.netif.tcp;

/**
 * RFC 5681's congestion control, as NewReno (RFC 6582) and SACK recovery (RFC 6675) use it: slow
 * start adds the bytes acknowledged, at most 2 SMSS per ACK (RFC 3465's limit L, right for a peer
 * that acknowledges every second segment); congestion avoidance adds one SMSS per window
 * acknowledged (byte counting); loss halves the flight size.
 */
final class NewReno implements CongestionControl {
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    /** Bytes acknowledged in congestion avoidance since cwnd last grew. */
    private int bytesAcked;

    NewReno(int mss) {
        this.cwnd = CongestionControl.initialWindow(mss);
    }

    @Override
    public int cwnd() {
        return cwnd;
    }

    @Override
    public int ssthresh() {
        return ssthresh;
    }

    @Override
    public void setCwnd(int bytes) {
        cwnd = Math.max(bytes, 1);
    }

    @Override
    public void onAck(int ackedBytes, int mss, boolean cwndLimited, long now) {
        if (!cwndLimited) {
            return;
        }
        if (cwnd < ssthresh) {
            cwnd += Math.min(ackedBytes, 2 * mss); // RFC 3465 3.1, L = 2 SMSS
            return;
        }
        bytesAcked += ackedBytes;
        if (bytesAcked >= cwnd) {
            bytesAcked -= cwnd;
            cwnd += mss;
        }
    }

    @Override
    public void onLoss(int flightSize, int mss, long now) {
        ssthresh = Math.max(flightSize / 2, 2 * mss);
        cwnd = ssthresh;
        bytesAcked = 0;
    }

    @Override
    public void onRecoveryEnd(int flightSize, int mss) {
        // RFC 6582 3.2 step 3, first option: min(ssthresh, max(FlightSize, SMSS) + SMSS), which
        // avoids a burst when little is in flight at the end of recovery.
        cwnd = Math.min(ssthresh, Math.max(flightSize, mss) + mss);
        bytesAcked = 0;
    }

    @Override
    public void onTimeout(int flightSize, int mss, boolean first) {
        if (first) {
            ssthresh = Math.max(flightSize / 2, 2 * mss);
        }
        cwnd = mss;
        bytesAcked = 0;
    }

    @Override
    public void onIdle(int mss) {
        cwnd = Math.min(cwnd, CongestionControl.initialWindow(mss));
    }

    @Override
    public String toString() {
        return "NewReno[cwnd " + cwnd + ", ssthresh " + (ssthresh == Integer.MAX_VALUE ? "inf" : ssthresh) + "]";
    }
}
