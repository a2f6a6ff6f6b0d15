package org.wgkaraf.netif.tcp;

/**
 * A congestion controller that models the path, as BBR (Cardwell et al., "BBR: Congestion-Based
 * Congestion Control", and the Linux kernel's default on this very machine) does, instead of
 * reading every loss as congestion: the bottleneck bandwidth is the highest delivery rate of the
 * last ten round trips, the propagation delay the smallest RTT of the last ten seconds, and cwnd
 * twice their product. On a mobile link, and through the lossy relay of the tests, random loss
 * then costs a retransmission, not half the window.
 * <p>
 * With pacing (the default), data leaves at the pacing rate, the gain times the bandwidth
 * ({@link #pacingRate}; the {@link Pacer} spreads it): Startup's high gain, Drain's inverse,
 * ProbeBW's cycle (1.25, 0.75, then six rounds of 1: one round in eight offers the path a quarter
 * more, so the bandwidth estimate can grow; the next drains what that queued), and cwnd is twice
 * the bandwidth-delay product, a cap rather than the throttle. In Startup the rate is at least
 * the high gain times the initial window per smoothed RTT, and never falls (an application-limited
 * or noisy sample must not slow the ramp), as in Linux, which also paces 1% below the estimate.
 * Without pacing the gain cycle is applied to the window instead.
 * <p>
 * Startup doubles the rate per round trip until the bandwidth stops growing by a quarter for
 * three rounds, or a round loses more than random loss explains ({@link #tooMuchLoss}); ProbeRTT
 * drops to four segments for 200 ms when the minimum RTT has not been refreshed for ten seconds,
 * so a queue the flow built does not become its model.
 * <p>
 * A round trip ends when a segment sent after it began is delivered (the delivery-rate sample's
 * send-time state, {@link DeliveryRate}); both the bandwidth filter and Startup's exit count
 * rounds, so a sample that dates itself wrongly (a retransmission credited with its original's
 * delivery) would end rounds early: DeliveryRate does not take such samples.
 */
final class Bbr implements CongestionControl {
    enum Mode { STARTUP, DRAIN, PROBE_BW, PROBE_RTT }

    /** 2/ln(2): Startup's gain, the smallest that doubles the delivery rate each round trip. */
    static final double HIGH_GAIN = 2.885;
    static final double CWND_GAIN = 2.0;
    static final int BANDWIDTH_WINDOW_ROUNDS = 10;
    static final long MIN_RTT_WINDOW = 10_000_000_000L;
    static final long PROBE_RTT_TIME = 200_000_000L;
    static final int MIN_CWND_SEGMENTS = 4;
    static final int STARTUP_LOSS_PERCENT = 2;
    static final int STARTUP_LOSS_EVENTS = 8;
    private static final double[] CYCLE = {1.25, 0.75, 1, 1, 1, 1, 1, 1};
    /** Paced a little below the estimate, so a queue the estimate's noise builds can drain. */
    static final double PACING_MARGIN = 0.99;

    private final boolean pacing;
    /** The pacing rate last given, bytes per second. */
    private long pacingRate;

    Mode mode = Mode.STARTUP;
    private int cwnd;
    /** The window ProbeRTT shrank from, put back when it ends. */
    private int priorCwnd;
    /** The window when the retransmission timer expired, put back when its recovery ends. */
    private int cwndBeforeTimeout;
    private final long[] bandwidth = new long[BANDWIDTH_WINDOW_ROUNDS];
    private final long[] bandwidthRound = new long[BANDWIDTH_WINDOW_ROUNDS];
    private long minRtt = Long.MAX_VALUE;
    private long minRttStamp;
    private long round;
    /** Delivered and lost counts when the current round began. */
    private long roundDelivered;
    private long roundLost;
    private long roundLossEvents;
    private long nextRoundDelivered;
    private boolean roundStart;
    private long fullBandwidth;
    private int fullBandwidthRounds;
    private boolean filledPipe;
    private long probeRttDone;
    private int cycleIndex;
    // ACK aggregation (Linux's bbr_update_ack_aggregation): ACKs come in bursts here (a tunnel's
    // receive thread, a busy CPU, the peer's delayed ACKs), and a window of exactly 2 BDP would
    // then starve between bursts. The excess delivered over what the bandwidth explains, the
    // largest of the last ten rounds, is added to the window.
    private final long[] extraAcked = new long[2];
    private int extraAckedSlot;
    private long extraAckedSlotRound;
    private long epochStart;
    private long epochDelivered;

    Bbr(int mss) {
        this(mss, false);
    }

    Bbr(int mss, boolean pacing) {
        this.cwnd = CongestionControl.initialWindow(mss);
        this.pacing = pacing;
    }

    @Override
    public int cwnd() {
        return cwnd;
    }

    @Override
    public int ssthresh() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void setCwnd(int bytes) {
        cwnd = Math.max(bytes, 1);
    }

    /** The bottleneck bandwidth, bytes per second: the highest sample of the last ten rounds. */
    long bandwidth() {
        long best = 0;
        for (int i = 0; i < bandwidth.length; i++) {
            if (round - bandwidthRound[i] < BANDWIDTH_WINDOW_ROUNDS) {
                best = Math.max(best, bandwidth[i]);
            }
        }
        return best;
    }

    long minRtt() {
        return minRtt;
    }

    /** Round trips counted so far: a round ends when a segment sent after its start is delivered. */
    long round() {
        return round;
    }

    /** Bandwidth times minimum RTT, in bytes: what the path holds. */
    private long bdp() {
        long bw = bandwidth();
        if (bw == 0 || minRtt == Long.MAX_VALUE) {
            return -1;
        }
        return bw * minRtt / 1_000_000_000L;
    }

    @Override
    public void onRateSample(DeliveryRate rate, long rtt, int inFlight, int mss, long now) {
        roundStart = false;
        if (rate.samplePriorDelivered >= nextRoundDelivered) {
            nextRoundDelivered = rate.delivered;
            round++;
            roundStart = true;
        }
        long bw = rate.rate();
        if (!rate.sampleIsAppLimited || bw >= bandwidth()) {
            int slot = (int) (round % BANDWIDTH_WINDOW_ROUNDS);
            if (bandwidthRound[slot] != round) {
                bandwidthRound[slot] = round;
                bandwidth[slot] = 0;
            }
            bandwidth[slot] = Math.max(bandwidth[slot], bw);
        }
        updateAckAggregation(rate, now);
        boolean expired = now - minRttStamp > MIN_RTT_WINDOW;
        if (rtt >= 0 && (rtt <= minRtt || expired)) {
            minRtt = rtt;
            minRttStamp = now;
        }
        if (roundStart) {
            checkFullPipe(rate);
        }
        switch (mode) {
            case STARTUP -> {
                if (filledPipe) {
                    mode = Mode.DRAIN;
                }
            }
            case DRAIN -> {
                long bdp = bdp();
                if (bdp >= 0 && inFlight <= bdp) {
                    mode = Mode.PROBE_BW;
                    cycleIndex = 2; // start cruising; probe on the next turn of the cycle
                }
            }
            case PROBE_BW -> {
                if (roundStart) {
                    cycleIndex = (cycleIndex + 1) % CYCLE.length;
                }
                if (expired && rtt >= 0) {
                    mode = Mode.PROBE_RTT;
                    priorCwnd = cwnd;
                    probeRttDone = 0;
                }
            }
            case PROBE_RTT -> {
                if (probeRttDone == 0 && inFlight <= MIN_CWND_SEGMENTS * mss) {
                    probeRttDone = now + PROBE_RTT_TIME;
                } else if (probeRttDone != 0 && now >= probeRttDone) {
                    minRttStamp = now;
                    cwnd = Math.max(cwnd, priorCwnd);
                    mode = filledPipe ? Mode.PROBE_BW : Mode.STARTUP;
                }
            }
        }
    }

    /**
     * At the start of a round, whether Startup has filled the pipe: the round just ended lost too
     * much ({@link #tooMuchLoss}), or the bandwidth grew by less than a quarter in three rounds
     * (an application-limited sample says nothing about that). Then the new round's counts begin.
     */
    private void checkFullPipe(DeliveryRate rate) {
        if (!filledPipe && tooMuchLoss(rate)) {
            filledPipe = true;
        }
        roundDelivered = rate.delivered;
        roundLost = rate.lost;
        roundLossEvents = rate.lossEvents;
        if (!filledPipe && !rate.sampleIsAppLimited) {
            long best = bandwidth();
            if (best >= fullBandwidth + fullBandwidth / 4) {
                fullBandwidth = best;
                fullBandwidthRounds = 0;
            } else if (++fullBandwidthRounds >= 3) {
                filledPipe = true;
            }
        }
    }

    /**
     * Whether the round that just ended lost too much for random loss: more than 2% of what it
     * carried, found in at least 8 separate loss events (BBR v2's Startup exit, with its
     * thresholds). Startup's 2.885 x gain then overflows a queue on the path again and again,
     * and one more round of it loses hundreds of segments; 1% random loss (a radio link, the
     * lossy relay) stays below the share, and one burst of drops (a socket buffer overrun once
     * while the flight doubles) below the count.
     */
    private boolean tooMuchLoss(DeliveryRate rate) {
        long events = rate.lossEvents - roundLossEvents;
        long lost = rate.lost - roundLost;
        long delivered = rate.delivered - roundDelivered;
        return events >= STARTUP_LOSS_EVENTS && lost * 100 > STARTUP_LOSS_PERCENT * (lost + delivered);
    }

    /** Bytes delivered in this ACK burst beyond what the bandwidth estimate explains. */
    private void updateAckAggregation(DeliveryRate rate, long now) {
        long bw = bandwidth();
        if (bw == 0) {
            return;
        }
        if (round - extraAckedSlotRound >= BANDWIDTH_WINDOW_ROUNDS / 2) {
            extraAckedSlotRound = round;
            extraAckedSlot ^= 1;
            extraAcked[extraAckedSlot] = 0;
        }
        long expected = bw * (now - epochStart) / 1_000_000_000L;
        long acked = rate.delivered - lastDelivered;
        lastDelivered = rate.delivered;
        if (epochDelivered <= expected || epochDelivered + acked >= EPOCH_RESET_BYTES) {
            epochStart = now;
            epochDelivered = 0;
            expected = 0;
        }
        epochDelivered += acked;
        long extra = Math.min(epochDelivered - expected, bw / 10); // at most 100 ms worth
        extraAcked[extraAckedSlot] = Math.max(extraAcked[extraAckedSlot], extra);
    }

    private long lastDelivered;
    private static final long EPOCH_RESET_BYTES = 1L << 30;

    /** The window the model asks for: the gain times the path's bytes, plus room for ACK aggregation. */
    private int target(int mss) {
        long bdp = bdp();
        if (bdp < 0) {
            return Integer.MAX_VALUE;
        }
        double gain = mode != Mode.PROBE_BW ? HIGH_GAIN : pacing ? CWND_GAIN : CWND_GAIN * CYCLE[cycleIndex];
        long t = (long) (gain * bdp) + 3L * mss + Math.max(extraAcked[0], extraAcked[1]);
        return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(t, (long) MIN_CWND_SEGMENTS * mss));
    }

    @Override
    public void onAck(int ackedBytes, int mss, boolean cwndLimited, long now) {
        int target = target(mss);
        if (filledPipe) {
            cwnd = (int) Math.min((long) cwnd + ackedBytes, target);
        } else if (cwndLimited || cwnd < target) {
            cwnd = (int) Math.min(Integer.MAX_VALUE / 2, (long) cwnd + ackedBytes); // Startup: slow start
        }
        if (mode == Mode.PROBE_RTT) {
            cwnd = Math.min(cwnd, MIN_CWND_SEGMENTS * mss);
        }
        cwnd = Math.max(cwnd, MIN_CWND_SEGMENTS * mss);
    }

    @Override
    public boolean growsDuringRecovery() {
        return true;
    }

    /** Loss is not congestion to this model: the lost segments are resent, the window stays. */
    @Override
    public void onLoss(int flightSize, int mss, long now) {
    }

    @Override
    public void onRecoveryEnd(int flightSize, int mss) {
    }

    /**
     * A timeout is: start again from one segment (RFC 5681 3.1) and regrow from what is
     * acknowledged; the window before it is saved, and put back when the timeout's recovery is
     * over ({@link #onTimeoutRecovered}), as Linux's BBR does: a lost retransmission at the
     * tail of a window says nothing about the path's capacity, which the model still holds.
     */
    @Override
    public void onTimeout(int flightSize, int mss, boolean first) {
        if (first) {
            // ProbeRTT's small window is not the one to come back to: its saved one is.
            cwndBeforeTimeout = mode == Mode.PROBE_RTT ? Math.max(priorCwnd, cwnd) : cwnd;
        }
        cwnd = mss;
    }

    @Override
    public void onTimeoutRecovered(int mss) {
        if (mode == Mode.PROBE_RTT) {
            priorCwnd = Math.max(priorCwnd, cwndBeforeTimeout); // ProbeRTT's end puts it back
        } else {
            cwnd = Math.max(cwnd, cwndBeforeTimeout);
        }
        cwndBeforeTimeout = 0;
    }

    @Override
    public void onIdle(int mss) {
        // The model still holds after a pause; the pacer spreads the restart.
    }

    /** The gain on the bandwidth that sets the pacing rate, by mode. */
    private double pacingGain() {
        return switch (mode) {
            case STARTUP -> HIGH_GAIN;
            case DRAIN -> 1 / HIGH_GAIN;
            case PROBE_BW -> CYCLE[cycleIndex];
            case PROBE_RTT -> 1;
        };
    }

    @Override
    public long pacingRate(long srtt, int mss) {
        if (!pacing) {
            return 0;
        }
        long rate = (long) (pacingGain() * PACING_MARGIN * bandwidth());
        if (!filledPipe) {
            // Startup: at least the initial window per RTT at the high gain, and never slower
            // than before (application-limited or noisy samples must not slow the ramp).
            if (srtt > 0) {
                rate = Math.max(rate, (long) (HIGH_GAIN * CongestionControl.initialWindow(mss) * 1e9 / srtt));
            }
            rate = Math.max(rate, pacingRate);
        }
        pacingRate = rate;
        return rate;
    }

    @Override
    public String toString() {
        return "BBR[" + mode + ", cwnd " + cwnd + ", bw " + bandwidth() / 1000 + " kB/s, min RTT "
                + (minRtt == Long.MAX_VALUE ? "-" : minRtt / 1000 + " us") + (pacing ? ", pacing " + pacingRate / 1000 + " kB/s" : "")
                + "]";
    }
}
