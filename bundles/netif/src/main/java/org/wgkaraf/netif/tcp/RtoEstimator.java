package org.wgkaraf.netif.tcp;

/**
 * The retransmission timeout of RFC 6298: SRTT and RTTVAR from round-trip samples, RTO = SRTT +
 * max(G, 4 * RTTVAR) within [min, max], doubled on each expiry (exponential backoff, 5.5) and
 * reset when a new sample comes. Karn's rule (RFC 6298 3) is the caller's: it offers no sample
 * from a retransmitted segment unless a timestamp tells which transmission was answered.
 * Also keeps the smallest RTT seen, for RACK. Nanoseconds throughout.
 */
final class RtoEstimator {
    /** Clock granularity G: System.nanoTime is finer, but timestamps tick in milliseconds. */
    static final long GRANULARITY = 1_000_000L;

    private final long initial;
    private final long min;
    private final long max;
    private long srtt;
    private long rttvar;
    private long rto;
    private long minRtt = Long.MAX_VALUE;
    private int backoff;
    private boolean measured;

    RtoEstimator(long initial, long min, long max) {
        this.initial = initial;
        this.min = min;
        this.max = max;
        this.rto = Math.min(max, Math.max(min, initial));
    }

    /** A round-trip sample (RFC 6298 2.2 and 2.3, with alpha 1/8 and beta 1/4). */
    void sample(long rtt) {
        if (rtt < 0) {
            return;
        }
        if (!measured) {
            srtt = rtt;
            rttvar = rtt / 2;
            measured = true;
        } else {
            long delta = Math.abs(srtt - rtt);
            rttvar = rttvar - (rttvar >> 2) + (delta >> 2);
            srtt = srtt - (srtt >> 3) + (rtt >> 3);
        }
        minRtt = Math.min(minRtt, rtt);
        rto = Math.min(max, Math.max(min, srtt + Math.max(GRANULARITY, 4 * rttvar)));
        backoff = 0;
    }

    /** The timer expired (RFC 6298 5.5): the next timeout is twice as long, up to the ceiling. */
    void backOff() {
        if (backoff < 30) {
            backoff++;
        }
    }

    /** The timeout to arm now, backoff included. */
    long rto() {
        long r = rto;
        for (int i = 0; i < backoff && r < max; i++) {
            r <<= 1;
        }
        return Math.min(max, r);
    }

    /** Expiries since the last sample. */
    int backoffs() {
        return backoff;
    }

    /** A new backoff series starts (the peer answered, e.g. a window probe). */
    void resetBackoff() {
        backoff = 0;
    }

    boolean measured() {
        return measured;
    }

    /** The smoothed RTT, or the initial RTO before any sample. */
    long srtt() {
        return measured ? srtt : initial;
    }

    long rttvar() {
        return rttvar;
    }

    /** The smallest sample so far, or the initial RTO before any. */
    long minRtt() {
        return measured ? minRtt : initial;
    }
}
