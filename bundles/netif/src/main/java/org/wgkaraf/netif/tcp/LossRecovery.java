package org.wgkaraf.netif.tcp;

/**
 * What an acceptable acknowledgment and a retransmission timeout do to the sending side: SND.UNA
 * and the send window (RFC 9293 3.10.7.4), round-trip samples (RFC 6298 with Karn's rule, RFC
 * 7323), the congestion window (RFC 5681), fast retransmit and recovery with SACK (RFC 6675) or
 * without it (NewReno, RFC 6582), and the timeout's go-back (RFC 6298 5, RFC 5681 3.1).
 * <p>
 * Losses are found by RFC 6675's IsLost (three segments SACKed above a hole) and, with SACK, by
 * RACK's time-based rule too (RFC 8985 6, {@link Rack}), which sees what counting cannot: a lost
 * retransmission, a loss with fewer than three segments after it, a lost tail once anything sent
 * later is delivered. RFC 8985 would let RACK replace IsLost; we keep both, because on the lossy
 * path (1% loss, 1% reordered by up to 20 ms, 100 ms RTT) waiting out RACK's reordering window for
 * every loss held the window's holes open longer than resending the few segments that were only
 * late cost (the simulation and the benchmark both measured it; docs/tcp.md). Without SACK,
 * three duplicate ACKs (RFC 5681) and NewReno's partial ACKs.
 * <p>
 * Which segments to resend is written on the {@link RetransmissionQueue} as "lost" marks; the
 * {@link Transmitter} sends marked segments first, within cwnd - pipe.
 */
final class LossRecovery {
    enum Phase {
        /** No loss being repaired. */
        OPEN,
        /** Fast recovery after duplicate ACKs or SACK showed a loss (RFC 6675 5, RFC 6582 3.2). */
        FAST,
        /** After a retransmission timeout: everything outstanding is resent in slow start. */
        TIMEOUT
    }

    private final Tcb t;
    Phase phase = Phase.OPEN;
    /** RFC 6675 RecoveryPoint: recovery ends when everything up to here is acknowledged. */
    int recoveryPoint;
    /**
     * RFC 6582 "recover": no new fast retransmit until SND.UNA reaches it, so the duplicate ACKs
     * of one window (or the ones a timeout's go-back provokes) start one recovery, not several.
     */
    int recover;
    int dupAcks;
    /** The first retransmission of a recovery goes out whatever cwnd says (RFC 6675 4.3, RFC 6582 2). */
    boolean retransmitNow;
    /** The RTT sample of the ACK being processed, or -1. */
    private long rttSample = -1;
    /** Counters for status and tests. */
    long fastRecoveries;
    long timeouts;
    long tailProbes;
    /** RFC 8985's WCDelAckT: the longest a peer may delay an ACK. */
    static final long MAX_DELAYED_ACK = 200_000_000L;

    LossRecovery(Tcb t) {
        this.t = t;
        this.recover = t.iss;
    }

    /** An acknowledgment within RFC 5961's range (SND.UNA - MAX.SND.WND to SND.NXT) arrived. */
    void onAck(Segment seg, long now) {
        int ack = seg.ack;
        int una = t.sndUna;
        int flightBefore = t.retransmissions.outstanding();
        boolean advanced = Seq.gt(ack, una);
        t.rack.beginAck(t.tsOk && seg.hasTimestamps && seg.tsEcr != 0, seg.tsEcr, t.rto.minRtt());
        t.rate.lostSoFar(t.retransmissions.lostBytesEver());
        updateWindow(seg);
        if (advanced) {
            acknowledged(seg, ack, now);
        }
        int newlySacked = 0;
        if (t.sackOk && seg.sackBlocks > 0) {
            newlySacked = t.scoreboard.apply(seg, t.sndUna, t.sndNxt, t.rate, t.rack, now);
            if (t.scoreboard.dsack()) {
                t.rack.onDsack(t.sndUna, t.sndNxt);
            }
        }
        if (t.rate.sample(now, t.rto.minRtt())) {
            t.cc.onRateSample(t.rate, advanced ? rttSample : -1, t.retransmissions.pipe(), t.mss, now);
        }
        if (advanced || t.retransmissions.isEmpty() || windowBlocked()) {
            // Progress, or an answer while its window keeps us from sending: the peer is alive
            // and may keep its window closed as long as it likes (RFC 1122 4.2.2.17).
            t.retries = 0;
        }
        if (advanced) {
            dupAcks = 0;
            int acked = ack - una;
            switch (phase) {
                case FAST -> {
                    partialOrFullAck(acked, now);
                    if (t.cc.growsDuringRecovery()) {
                        t.cc.onAck(acked, t.mss, true, now);
                    }
                }
                case TIMEOUT -> {
                    t.cc.onAck(acked, t.mss, true, now); // slow start back up from one segment
                    if (Seq.ge(t.sndUna, recoveryPoint)) {
                        phase = Phase.OPEN;
                        t.cc.onTimeoutRecovered(t.mss);
                    }
                }
                case OPEN -> t.cc.onAck(acked, t.mss, cwndLimited(flightBefore), now);
            }
        } else if (isDuplicate(seg, una, flightBefore, newlySacked)) {
            dupAcks++;
            if (phase == Phase.FAST && !t.sackOk) {
                t.cc.setCwnd(t.cc.cwnd() + t.mss); // RFC 6582 3.2 step 3: inflate per duplicate
            }
        }
        if (t.sackOk && newlySacked > 0) {
            t.scoreboard.markLosses(t.mss);
        }
        if (t.sackOk && t.rack.advanced()) {
            detectLosses(now);
        }
        if (phase == Phase.OPEN && !t.retransmissions.isEmpty() && Seq.ge(t.sndUna, recover)
                && (dupAcks >= SackScoreboard.DUP_THRESH
                    || t.sackOk && (t.retransmissions.lostBytes() > 0 || t.scoreboard.firstIsLost(t.mss)))) {
            enterFastRecovery(now);
        }
    }

    /**
     * RACK (RFC 8985 6.2 step 5, 6.3): marks what is lost by now and arms the reordering timer
     * for segments that will be unless they are delivered first.
     */
    private void detectLosses(long now) {
        RetransmissionQueue q = t.retransmissions;
        long reoWnd = t.rack.reoWnd(phase != Phase.OPEN, q.sackedSegments(), t.rto.minRtt(), t.rto.srtt());
        long wait = t.rack.detectLoss(q, reoWnd, now);
        t.rackAt = wait > 0 ? now + wait : Tcb.NEVER;
    }

    /**
     * RACK's reordering timer fired (RFC 8985 6.3): segments whose reordering window has passed
     * with nothing delivered in between are lost; recovery starts if it has not.
     */
    void onReorderTimeout(long now) {
        t.rackAt = Tcb.NEVER;
        if (!t.sackOk || t.retransmissions.isEmpty()) {
            return;
        }
        detectLosses(now);
        if (phase == Phase.OPEN && t.retransmissions.lostBytes() > 0 && Seq.ge(t.sndUna, recover)) {
            enterFastRecovery(now);
        }
    }

    /** The first segment to resend does not fit in the peer's window. */
    private boolean windowBlocked() {
        RetransmissionQueue q = t.retransmissions;
        return !q.isEmpty() && Seq.gt(q.end(0), t.sndUna + t.sndWnd);
    }

    /**
     * RFC 5681's duplicate ACK without SACK: nothing new acknowledged, data outstanding, no data or
     * SYN/FIN in it, window unchanged. With SACK (RFC 6675 2), one that SACKs new data.
     */
    private boolean isDuplicate(Segment seg, int una, int flightBefore, int newlySacked) {
        if (flightBefore == 0 || seg.ack != una) {
            return false;
        }
        if (t.sackOk) {
            return newlySacked > 0;
        }
        return seg.dataLength == 0 && !seg.syn() && !seg.fin() && (seg.window << t.sndScale) == t.sndWnd;
    }

    /** RFC 9293 3.10.7.4: the window is taken from the newest segment (SND.WL1/SND.WL2 order). */
    private void updateWindow(Segment seg) {
        if (Seq.lt(t.sndWl1, seg.seq) || t.sndWl1 == seg.seq && Seq.le(t.sndWl2, seg.ack)) {
            t.sndWnd = seg.window << t.sndScale;
            t.sndWl1 = seg.seq;
            t.sndWl2 = seg.ack;
            t.maxSndWnd = Math.max(t.maxSndWnd, t.sndWnd);
        }
    }

    /** SND.UNA advances to {@code ack}: free what is acknowledged, take an RTT sample, rearm the timer. */
    private void acknowledged(Segment seg, int ack, long now) {
        RetransmissionQueue q = t.retransmissions;
        long sample = -1;
        // Karn (RFC 6298 3): a segment sent more than once gives no sample, unless its timestamp
        // echo tells which transmission is answered (RFC 7323 4.1).
        if (!q.isEmpty()) {
            int last = -1;
            for (int i = 0; i < q.count() && Seq.le(q.end(i), ack); i++) {
                last = i;
                if (t.sackOk && !q.has(i, RetransmissionQueue.SACKED)) {
                    t.rack.delivered(q, i, true, now); // SACKed ones were delivered before
                }
            }
            if (last >= 0 && !q.has(last, RetransmissionQueue.EVER_RETRANSMITTED)) {
                sample = now - q.sentAt(last);
            }
        }
        if (sample < 0 && t.tsOk && seg.hasTimestamps && seg.tsEcr != 0) {
            int ms = t.tsNow(now) - seg.tsEcr;
            if (ms >= 0 && ms < 600_000) {
                sample = ms * 1_000_000L;
            }
        }
        long offset = t.sendOffset(ack);
        q.acknowledge(ack, t.rate, t.rack, now);
        t.sendBuffer.acknowledge(offset);
        t.sndUna = ack;
        rttSample = sample;
        if (sample >= 0) {
            t.rto.sample(sample);
        }
        // RFC 6298 5.2 and 5.3: stop the timer when all is acknowledged, else restart it.
        t.retransmitAt = q.isEmpty() ? Tcb.NEVER : now + t.rto.rto();
        if (q.isEmpty()) {
            t.rackAt = Tcb.NEVER;
        }
        t.probeDue = false;
        t.tailProbeOutstanding = false;
        armTailProbe(now);
    }

    /**
     * RFC 7661 in spirit: cwnd grows only while it limits the sender. In slow start a window used
     * half-way counts (it doubles each round trip), later it must be nearly full.
     */
    private boolean cwndLimited(int flightBefore) {
        int cwnd = t.cc.cwnd();
        return cwnd < t.cc.ssthresh() ? 2 * flightBefore >= cwnd : flightBefore + 3 * t.mss >= cwnd;
    }

    private void partialOrFullAck(int acked, long now) {
        if (Seq.ge(t.sndUna, recoveryPoint)) {
            phase = Phase.OPEN; // full acknowledgment: recovery is over
            t.rack.recoveryEnded();
            t.cc.onRecoveryEnd(t.retransmissions.outstanding(), t.mss);
            return;
        }
        if (!t.sackOk && !t.retransmissions.isEmpty()) {
            // RFC 6582 3.2 step 4, partial ACK: the next hole is lost too; resend it at once and
            // deflate cwnd by what was acknowledged, adding back one SMSS.
            t.retransmissions.markLost(0);
            retransmitNow = true;
            int cwnd = t.cc.cwnd() - acked + (acked >= t.mss ? t.mss : 0);
            t.cc.setCwnd(Math.max(cwnd, t.mss));
        }
    }

    /**
     * Arms the tail loss probe (RFC 8985 7.2): data is in flight and no loss is being repaired,
     * so if the last segments were lost nothing would come back but the timeout. Two smoothed
     * RTTs; with a single segment out, room for a delayed ACK too. Needs SACK, which tells the
     * probe's answer apart.
     */
    void armTailProbe(long now) {
        RetransmissionQueue q = t.retransmissions;
        if (!t.sackOk || phase != Phase.OPEN || q.isEmpty() || t.tailProbeOutstanding || !t.state.synchronizedState()) {
            t.probeAt = Tcb.NEVER;
            return;
        }
        long srtt = t.rto.srtt();
        long pto = Math.max(2 * srtt, 10_000_000L);
        if (q.count() == 1) {
            pto = Math.max(pto, srtt + srtt / 2 + MAX_DELAYED_ACK);
        }
        t.probeAt = Math.min(now + pto, t.retransmitAt);
    }

    /** The probe timer fired (RFC 8985 7.3): send one probe, and give the timeout its full time again. */
    void onProbeTimeout(long now) {
        t.probeAt = Tcb.NEVER;
        if (phase != Phase.OPEN || t.retransmissions.isEmpty() || t.tailProbeOutstanding) {
            return;
        }
        t.tailProbeDue = true;
        t.tailProbeOutstanding = true;
        tailProbes++;
        t.retransmitAt = now + t.rto.rto();
    }

    /** RFC 6675 5 step 4 / RFC 6582 3.2 step 2: enter fast recovery and resend the first hole. */
    private void enterFastRecovery(long now) {
        phase = Phase.FAST;
        t.probeAt = Tcb.NEVER;
        fastRecoveries++;
        recoveryPoint = t.sndNxt;
        recover = t.sndNxt;
        t.cc.onLoss(t.retransmissions.outstanding(), t.mss, now); // FlightSize of RFC 5681 equation 4
        if (t.sackOk) {
            t.scoreboard.markLosses(t.mss);
        }
        if (!t.retransmissions.has(0, RetransmissionQueue.SACKED)) {
            t.retransmissions.markLost(0);
        }
        if (!t.sackOk) {
            t.cc.setCwnd(t.cc.ssthresh() + SackScoreboard.DUP_THRESH * t.mss); // RFC 6582 3.2 step 2
        }
        retransmitNow = true;
    }

    /**
     * The retransmission timer expired (RFC 6298 5.4-5.7): back off, collapse cwnd to one segment,
     * mark everything outstanding lost, and resend from SND.UNA. During the handshake it resends
     * the SYN or SYN-ACK instead. Too many in a row abort the connection.
     */
    void onTimeout(long now) {
        t.retransmitAt = Tcb.NEVER;
        t.retries++;
        switch (t.state) {
            case SYN_SENT, SYN_RECEIVED -> {
                int limit = t.state == TcpState.SYN_SENT ? t.config.synRetries() : t.config.synAckRetries();
                if (t.retries > limit) {
                    t.terminate(t.passive ? null : ConnectionError.TIMED_OUT);
                    return;
                }
                t.synDue = true;
                t.synRetransmitted = true;
                t.rto.backOff();
                t.retransmitAt = now + t.rto.rto();
                return;
            }
            default -> {
                // data, below
            }
        }
        if (t.retransmissions.isEmpty()) {
            t.retries = 0;
            return;
        }
        if (t.retries > t.config.maxRetransmissions()) {
            t.reset(t.sndNxt, ConnectionError.TIMED_OUT);
            return;
        }
        timeouts++;
        boolean first = phase != Phase.TIMEOUT;
        t.cc.onTimeout(t.retransmissions.outstanding(), t.mss, first);
        t.retransmissions.markAllLost();
        phase = Phase.TIMEOUT;
        t.probeAt = Tcb.NEVER;
        t.rackAt = Tcb.NEVER;
        t.tailProbeDue = false;
        t.tailProbeOutstanding = false;
        recoveryPoint = t.sndNxt;
        recover = t.sndNxt;
        dupAcks = 0;
        retransmitNow = true;
        t.rto.backOff();
        t.retransmitAt = now + t.rto.rto();
    }
}
