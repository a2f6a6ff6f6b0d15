package org.wgkaraf.netif.tcp;

/**
 * RACK, the time-based loss detection of RFC 8985 section 6: a segment is lost when a segment sent
 * after it has been delivered (cumulatively acknowledged or SACKed) and a round trip plus a
 * reordering window has passed since it was sent. Counting in time rather than in segments, it
 * applies to retransmissions as much as to first transmissions: a retransmission that is lost
 * again is found as soon as data sent after it is delivered, within about one round trip, where
 * RFC 6675's duplicate-ACK rule could not tell and only the retransmission timeout would.
 * <p>
 * The state is RFC 8985's (RACK.xmit_ts, end_seq, rtt, fack, reordering_seen, reo_wnd_mult,
 * reo_wnd_persist, dsack_round); segments keep their last send time in the {@link
 * RetransmissionQueue}. One deviation, from Linux: a hole filled by the original of a segment we
 * had already resent (the ACK's timestamp echo is older than the retransmission) counts as
 * reordering too. Otherwise a path that reorders more deeply than three segments would never be
 * seen to reorder, since every late segment is declared lost, and resent, before it arrives.
 */
final class Rack {
    /** RFC 8985 6.2 step 4: a D-SACK widens the reordering window for this many recoveries. */
    static final int REO_WND_PERSIST = 16;

    /** A segment was delivered since the ACK or timer that last looked for losses. */
    private boolean advanced;
    /** RACK.xmit_ts and RACK.end_seq: the most recently sent segment known to be delivered. */
    private long xmitTs;
    private int endSeq;
    private boolean any;
    /** RACK.rtt: the round trip of the most recently delivered segment that tells one. */
    private long rtt;
    /** RACK.fack: the highest sequence number delivered; and what it was before this ACK. */
    private int fack;
    private int fackBefore;
    private boolean fackKnown;
    private boolean reorderingSeen;
    private int reoWndMult = 1;
    private int reoWndPersist;
    private boolean dsackRoundOpen;
    private int dsackRound;
    /** The connection's timestamp clock offset (RFC 7323 5.4): our TSval of a send time. */
    private final int tsOffset;
    // The ACK being processed: its timestamp echo, and the minimum RTT when it came.
    private boolean ackHasEcho;
    private int ackEcho;
    private long minRtt;
    /** Segments marked lost by RACK, for status and tests. */
    long marked;

    Rack(int tsOffset) {
        this.tsOffset = tsOffset;
    }

    boolean reorderingSeen() {
        return reorderingSeen;
    }

    /** RACK.rtt, or -1 before any segment was delivered. */
    long rtt() {
        return any ? rtt : -1;
    }

    /**
     * An ACK arrives: its timestamp echo (when it has one) tells which transmission it answers;
     * a retransmission answered faster than the minimum RTT was not what arrived either.
     */
    void beginAck(boolean hasEcho, int echo, long minRtt) {
        ackHasEcho = hasEcho;
        ackEcho = echo;
        this.minRtt = minRtt;
        fackBefore = fack;
    }

    /**
     * RFC 8985 6.2 steps 2 and 3 for segment i of {@code q}, delivered now for the first time.
     *
     * @param cumulative acknowledged cumulatively (it filled the hole at SND.UNA), not SACKed
     */
    void delivered(RetransmissionQueue q, int i, boolean cumulative, long now) {
        long sent = q.sentAt(i);
        int end = q.end(i);
        boolean retransmitted = q.has(i, RetransmissionQueue.EVER_RETRANSMITTED);
        boolean originalAnswered = retransmitted && echoPredates(sent);
        // Step 3: delivered below what was delivered before, and sent once (or its original is
        // what arrived): it was overtaken on the way.
        if (fackKnown && Seq.lt(end, fackBefore) && (!retransmitted || cumulative && originalAnswered)) {
            reorderingSeen = true;
        }
        if (!fackKnown || Seq.gt(end, fack)) {
            fack = end;
            fackKnown = true;
        }
        // Step 2: an ACK that may answer the original of a retransmitted segment says nothing of
        // when the retransmission was delivered.
        if (answersEarlierTransmission(q, i, now)) {
            return;
        }
        rtt = now - sent;
        advanced = true;
        if (!any || sentAfter(sent, end, xmitTs, endSeq)) {
            xmitTs = sent;
            endSeq = end;
            any = true;
        }
    }

    /**
     * Whether the ACK being processed may answer an earlier transmission of segment i than the
     * last, whose send time the segment holds (RFC 8985 6.2 step 2): it was retransmitted, and the
     * ACK's timestamp echo predates the retransmission, or the ACK came sooner after it than any
     * round trip takes. Then the segment's send state dates nothing: not RACK's round trip, and
     * not a delivery-rate sample ({@link DeliveryRate#delivered}), which would make a round of a
     * few milliseconds out of an original that was only late.
     */
    boolean answersEarlierTransmission(RetransmissionQueue q, int i, long now) {
        if (!q.has(i, RetransmissionQueue.EVER_RETRANSMITTED)) {
            return false;
        }
        long sent = q.sentAt(i);
        return echoPredates(sent) || now - sent < minRtt;
    }

    /** The ACK's timestamp echo is older than our timestamp of {@code sent}. */
    private boolean echoPredates(long sent) {
        int tsAtSend = (int) (sent / 1_000_000L) + tsOffset; // as Tcb.tsNow
        return ackHasEcho && Seq.lt(ackEcho, tsAtSend);
    }

    /** RFC 8985's RACK_sent_after: sent later, or at the same time and further in the stream. */
    private static boolean sentAfter(long t1, int seq1, long t2, int seq2) {
        return t1 > t2 || t1 == t2 && Seq.gt(seq1, seq2);
    }

    /**
     * RFC 8985 6.2 step 4, the D-SACK part: a D-SACK in a round without one widens the window by
     * another quarter of the minimum RTT, for {@value #REO_WND_PERSIST} recoveries.
     */
    void onDsack(int sndUna, int sndNxt) {
        if (dsackRoundOpen && Seq.ge(sndUna, dsackRound)) {
            dsackRoundOpen = false;
        }
        if (!dsackRoundOpen) {
            dsackRoundOpen = true;
            dsackRound = sndNxt;
            reoWndMult++;
            reoWndPersist = REO_WND_PERSIST;
        }
    }

    /** A recovery ended: the widened window lasts {@value #REO_WND_PERSIST} of them. */
    void recoveryEnded() {
        if (reoWndPersist > 0 && --reoWndPersist == 0) {
            reoWndMult = 1;
        }
    }

    /**
     * RFC 8985 6.2 step 4: the reordering window. Before any reordering was seen it is zero in
     * recovery, or once DupThresh segments are SACKed (RFC 6675's rule in RACK's terms); else a
     * quarter of the minimum RTT per step, at most the smoothed RTT.
     */
    long reoWnd(boolean inRecovery, int sackedSegments, long minRtt, long srtt) {
        if (!reorderingSeen && (inRecovery || sackedSegments >= SackScoreboard.DUP_THRESH)) {
            return 0;
        }
        return Math.min(reoWndMult * (minRtt / 4), srtt);
    }

    /** Whether a segment was delivered since losses were last looked for. */
    boolean advanced() {
        return advanced;
    }

    /**
     * RFC 8985 6.2 step 5 (RACK_detect_loss): every segment not delivered and not already waiting
     * to be resent, sent before the most recently delivered one, is lost once RACK.rtt + reo_wnd
     * has passed since it was sent. Segments in flight as retransmissions are judged alike.
     * <p>
     * The queue is in sequence order, and first transmissions were sent in that order: the scan
     * stops at the first segment sent once whose send is after RACK's, as every later one is too.
     *
     * @return how long until the next segment would be judged lost (RFC 8985 6.3's reordering
     *         timer), or 0 when none waits
     */
    long detectLoss(RetransmissionQueue q, long reoWnd, long now) {
        advanced = false;
        if (!any) {
            return 0;
        }
        long timeout = 0;
        for (int i = 0; i < q.count(); i++) {
            int f = q.flags(i);
            long sent = q.sentAt(i);
            if ((f & RetransmissionQueue.EVER_RETRANSMITTED) == 0 && sentAfter(sent, q.end(i), xmitTs, endSeq)) {
                break;
            }
            if ((f & RetransmissionQueue.SACKED) != 0
                    || (f & (RetransmissionQueue.LOST | RetransmissionQueue.RETRANSMITTED)) == RetransmissionQueue.LOST
                    || sentAfter(sent, q.end(i), xmitTs, endSeq)) {
                continue;
            }
            long remaining = sent + rtt + reoWnd - now;
            if (remaining <= 0) {
                q.markLost(i);
                marked++;
            } else {
                timeout = Math.max(timeout, remaining);
            }
        }
        return timeout;
    }
}
