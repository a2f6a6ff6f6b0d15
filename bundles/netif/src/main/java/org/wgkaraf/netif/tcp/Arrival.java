package org.wgkaraf.netif.tcp;

import org.wgkaraf.netif.ip.DropReason;

/**
 * "Segment arrives" for an existing connection: RFC 9293 3.10.7.3 (SYN-SENT) and 3.10.7.4 (every
 * other state), step by step and in the RFC's order, with RFC 5961's defences (challenge ACKs for
 * resets and SYNs that are in the window but not exact, the ACK range check), RFC 7323's PAWS and
 * RFC 1122 4.2.2.13 (data after close). A segment a peer sends can only ever be used or counted
 * and dropped.
 */
final class Arrival {
    private final Tcb t;

    Arrival(Tcb t) {
        this.t = t;
    }

    DropReason segment(Segment seg, long now) {
        return switch (t.state) {
            case CLOSED -> DropReason.TCP_CONNECTION_CLOSED;
            case SYN_SENT -> synSent(seg, now);
            default -> synchronizedOrSynReceived(seg, now);
        };
    }

    /** RFC 9293 3.10.7.3: our SYN is out, we wait for the peer's. */
    private DropReason synSent(Segment seg, long now) {
        if (seg.hasAck() && (Seq.le(seg.ack, t.iss) || Seq.gt(seg.ack, t.sndNxt))) {
            if (!seg.rst()) {
                t.resetFor(seg.ack);
            }
            return DropReason.TCP_ACK_UNACCEPTABLE;
        }
        if (seg.rst()) {
            if (!seg.hasAck()) {
                return DropReason.TCP_RESET_IGNORED; // RFC 5961 3.2: only a RST that ACKs our SYN counts
            }
            t.terminate(ConnectionError.REFUSED);
            return null;
        }
        if (!seg.syn()) {
            return DropReason.TCP_NO_SYN;
        }
        t.irs = seg.seq;
        t.negotiate(seg);
        t.sndWnd = seg.window; // not scaled in a SYN
        t.maxSndWnd = t.sndWnd;
        t.sndWl1 = seg.seq;
        t.rcvAdv = t.rcvNxt() + t.synWindow;
        if (seg.hasAck()) {
            t.sndUna = seg.ack;
            t.sndWl2 = seg.ack;
            if (!t.synRetransmitted) {
                t.rto.sample(now - t.synSentAt); // Karn: only from a SYN sent once
            }
            t.retries = 0;
            t.retransmitAt = Tcb.NEVER;
            established();
            t.ackNow = true;
        } else {
            t.sndWl2 = t.iss;
            t.state = TcpState.SYN_RECEIVED; // simultaneous open: answer with SYN-ACK, same ISN
            t.synDue = true;
        }
        return null;
    }

    /** Both SYNs were exchanged: ESTABLISHED, or a close under way (queued FIN) begins. */
    private void established() {
        t.state = t.finQueued ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED;
    }

    /** RFC 9293 3.10.7.4. */
    private DropReason synchronizedOrSynReceived(Segment seg, long now) {
        if (t.state == TcpState.SYN_RECEIVED && seg.syn() && !seg.hasAck() && seg.seq == t.irs) {
            t.synDue = true; // the peer did not get our SYN-ACK: resend it
            // RFC 7323 4.3: the SYN is at or below Last.ACK.sent, so TS.Recent takes its newer
            // TSval and the SYN-ACK echoes this SYN, not the first. A peer that times its
            // handshake by the echo (Linux does, when its SYN was resent) would otherwise take
            // the whole wait since its first SYN as the round trip, and start with a timeout
            // seconds long.
            if (t.tsOk && seg.hasTimestamps && Seq.ge(seg.tsVal, t.tsRecent)) {
                t.tsRecent = seg.tsVal;
                t.tsRecentAt = now;
            }
            return DropReason.TCP_DUPLICATE;
        }
        DropReason paws = timestamps(seg, now);
        if (paws != null) {
            return paws;
        }

        // First: is the segment in the window?
        int rcvNxt = t.rcvNxt();
        int window = Math.max(0, t.rcvAdv - rcvNxt);
        int length = seg.length();
        // For a segment without data the right edge itself is taken too (RFC 9293 says up to but
        // not including it): a sender whose SND.NXT lies beyond our window puts its ACKs there,
        // as Linux does (and we do), and refusing them would leave both ends waiting.
        boolean acceptable = length == 0
                ? Seq.inWindow(seg.seq, rcvNxt, rcvNxt + window + 1)
                : window > 0 && (Seq.inWindow(seg.seq, rcvNxt, rcvNxt + window)
                        || Seq.inWindow(seg.seq + length - 1, rcvNxt, rcvNxt + window));
        if (!acceptable) {
            return unacceptable(seg, rcvNxt, window, now);
        }

        // Second: RST (RFC 5961 3.2: only the exact sequence number resets).
        if (seg.rst()) {
            if (seg.seq != rcvNxt) {
                challenge(now);
                return DropReason.TCP_RST_CHALLENGED;
            }
            resetByPeer();
            return null;
        }

        // Fourth: a SYN in a synchronized state (RFC 5961 4.2), whatever its sequence number.
        if (seg.syn()) {
            if (t.state == TcpState.SYN_RECEIVED && t.passive) {
                t.terminate(null); // back to LISTEN: the listener forgets this half-open connection
                return DropReason.TCP_SYN_CHALLENGED;
            }
            challenge(now);
            return DropReason.TCP_SYN_CHALLENGED;
        }

        // Fifth: the ACK field.
        if (!seg.hasAck()) {
            return DropReason.TCP_NO_ACK;
        }
        if (t.state == TcpState.SYN_RECEIVED) {
            if (!(Seq.lt(t.sndUna, seg.ack) && Seq.le(seg.ack, t.sndNxt))) {
                t.resetFor(seg.ack);
                return DropReason.TCP_ACK_UNACCEPTABLE;
            }
            t.sndUna = seg.ack;
            t.sndWnd = seg.window << t.sndScale;
            t.maxSndWnd = Math.max(t.maxSndWnd, t.sndWnd);
            t.sndWl1 = seg.seq;
            t.sndWl2 = seg.ack;
            if (!t.synRetransmitted) {
                t.rto.sample(now - t.synSentAt);
            }
            t.retries = 0;
            t.retransmitAt = Tcb.NEVER;
            established();
        } else {
            if (Seq.gt(seg.ack, t.sndNxt)) {
                if (t.answerAllowed(now)) {
                    t.ackNow = true; // RFC 9293: an ACK of something not yet sent is answered and dropped
                }
                return DropReason.TCP_ACK_UNSENT;
            }
            if (Seq.lt(seg.ack, t.sndUna - t.maxSndWnd)) {
                if (t.answerAllowed(now)) {
                    t.ackNow = true; // RFC 5961 5.2: too old to be genuine
                }
                return DropReason.TCP_ACK_TOO_OLD;
            }
            t.recovery.onAck(seg, now);
            if (t.state == TcpState.CLOSED) {
                return null;
            }
        }
        if (finAcknowledged()) {
            switch (t.state) {
                case FIN_WAIT_1 -> {
                    t.state = TcpState.FIN_WAIT_2;
                    if (t.inputClosed) {
                        t.finWait2At = now + t.config.finWait2Timeout();
                    }
                }
                case CLOSING -> t.enterTimeWait(now);
                case LAST_ACK -> {
                    t.terminate(null);
                    return null;
                }
                default -> {
                    // ESTABLISHED and CLOSE_WAIT have sent no FIN; FIN-WAIT-2 and TIME-WAIT had theirs acknowledged
                }
            }
        }
        updateTsRecent(seg, now);

        // Sixth (URG) is not supported: urgent data is read in line, as RFC 6093 recommends.
        // Seventh: the data.
        DropReason dropped = null;
        if (seg.dataLength > 0) {
            dropped = text(seg, rcvNxt, now);
            if (t.state == TcpState.CLOSED) {
                return dropped;
            }
        }

        // Eighth: FIN.
        if (seg.fin() && dropped == null) {
            long finOffset = t.receiveBuffer.next() + (seg.seq + seg.dataLength - t.rcvNxt());
            if (!t.peerFin && t.peerFinOffset < 0 && t.state.synchronizedState()) {
                if (finOffset <= t.receiveBuffer.user() + t.receiveBuffer.capacity()) {
                    t.peerFinOffset = finOffset;
                }
            } else if (t.state == TcpState.TIME_WAIT) {
                t.timeWaitAt = now + t.config.timeWait(); // a retransmitted FIN: ACK it, restart 2 MSL
                t.ackNow = true;
            }
        }
        if (t.peerFinOffset >= 0 && t.peerFinOffset == t.receiveBuffer.next()) {
            t.peerFinOffset = -1;
            finReached(now);
        }
        return dropped;
    }

    /**
     * RFC 7323 3.2 and 5.3: with timestamps in use, a segment without them is dropped, and one
     * whose TSval is older than TS.Recent is an old duplicate (PAWS): ACKed and dropped. A reset is
     * exempt from both.
     */
    private DropReason timestamps(Segment seg, long now) {
        if (!t.tsOk || seg.rst()) {
            return null;
        }
        if (!seg.hasTimestamps) {
            return DropReason.TCP_NO_TIMESTAMP;
        }
        if (Seq.lt(seg.tsVal, t.tsRecent) && now - t.tsRecentAt < Tcb.TS_RECENT_LIFETIME) {
            if (seg.dataLength > 0 || t.answerAllowed(now)) {
                t.ackNow = true;
            }
            return DropReason.TCP_PAWS;
        }
        return null;
    }

    /**
     * RFC 7323 4.3: TS.Recent takes the TSval of a segment that covers Last.ACK.sent, i.e. the
     * one our next ACK answers, so the echo measures the real round trip.
     */
    private void updateTsRecent(Segment seg, long now) {
        if (t.tsOk && seg.hasTimestamps && Seq.ge(seg.tsVal, t.tsRecent) && Seq.le(seg.seq, t.lastAckSent)) {
            t.tsRecent = seg.tsVal;
            t.tsRecentAt = now;
        }
    }

    /** A segment outside the window: a reset is ignored, anything else answered with an ACK and dropped. */
    private DropReason unacceptable(Segment seg, int rcvNxt, int window, long now) {
        if (seg.rst()) {
            return DropReason.TCP_RST_OUT_OF_WINDOW;
        }
        int end = seg.seq + seg.length();
        if (window == 0 && seg.seq == rcvNxt && seg.hasAck() && !seg.syn() && t.state != TcpState.SYN_RECEIVED) {
            // RFC 9293: with a zero window, "special allowance should be made to accept valid
            // ACKs": a zero-window probe may carry news about our data.
            if (Seq.le(seg.ack, t.sndNxt) && Seq.ge(seg.ack, t.sndUna - t.maxSndWnd)) {
                t.recovery.onAck(seg, now);
            }
            t.ackNow = true;
            return DropReason.TCP_ZERO_WINDOW;
        }
        if (t.state == TcpState.TIME_WAIT && seg.fin()) {
            t.timeWaitAt = now + t.config.timeWait();
        }
        if (seg.syn()) {
            challenge(now); // RFC 5961 4.2: whatever its sequence number
            return DropReason.TCP_SYN_CHALLENGED;
        }
        if (Seq.le(end, rcvNxt) && seg.length() > 0) {
            // An old duplicate, e.g. a retransmission whose ACK was lost: ACK at once (and report
            // it as D-SACK), so the sender learns quickly that it arrived.
            if (seg.dataLength > 0 && t.sackOk) {
                t.dsackDue = true;
                t.dsackStart = seg.seq;
                t.dsackEnd = seg.seq + seg.dataLength;
            }
            if (seg.dataLength > 0 || t.answerAllowed(now)) {
                t.ackNow = true;
            }
            return DropReason.TCP_DUPLICATE;
        }
        if (seg.dataLength > 0 || t.answerAllowed(now)) {
            t.ackNow = true; // data is never part of an ACK loop; other answers are rate limited
        }
        return DropReason.TCP_OUT_OF_WINDOW;
    }

    /** RFC 5961 3.2 / 4.2: answer with an ACK carrying our exact numbers, rate limited. */
    private void challenge(long now) {
        if (t.answerAllowed(now)) {
            t.ackNow = true;
        }
    }

    /** A reset with the exact sequence number (RFC 9293 3.10.7.4, second). */
    private void resetByPeer() {
        switch (t.state) {
            case SYN_RECEIVED -> t.terminate(t.passive ? null : ConnectionError.REFUSED);
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> t.terminate(ConnectionError.RESET);
            default -> t.terminate(null); // CLOSING, LAST-ACK, TIME-WAIT: the application is done with it
        }
    }

    private boolean finAcknowledged() {
        return t.finSent && Seq.gt(t.sndUna, t.finSeq);
    }

    /** Seventh step: the segment's data, trimmed to the window and placed in the reassembly buffer. */
    private DropReason text(Segment seg, int rcvNxt, long now) {
        if (!t.state.receivesData()) {
            return DropReason.TCP_DATA_AFTER_FIN; // the peer sent FIN already; this cannot be genuine
        }
        if (t.inputClosed) {
            t.reset(t.sndNxt, ConnectionError.CLOSED_WITH_DATA_PENDING); // RFC 1122 4.2.2.13
            return DropReason.TCP_DATA_AFTER_CLOSE;
        }
        int skip = 0;
        int seq = seg.seq + (seg.syn() ? 1 : 0);
        if (Seq.lt(seq, rcvNxt)) {
            skip = rcvNxt - seq; // the front was received already
        }
        int length = seg.dataLength - skip;
        int room = t.rcvAdv - (seq + skip);
        if (length > room) {
            length = Math.max(0, room); // beyond the window we offered: not kept
        }
        if (length <= 0) {
            t.ackNow = true;
            return DropReason.TCP_OUT_OF_WINDOW;
        }
        long offset = t.receiveBuffer.next() + (seq + skip - rcvNxt);
        t.largestReceived = Math.max(t.largestReceived, seg.dataLength);
        ReceiveBuffer.Stored stored = t.receiveBuffer.store(offset, seg.data, seg.dataOffset + skip, length);
        switch (stored) {
            case IN_ORDER -> {
                t.pushed |= (seg.flags & TcpHeader.PSH) != 0;
                delayAck(length, now);
            }
            case FILLED_HOLE -> {
                t.pushed = true;
                t.ackNow = true; // RFC 5681 4.2: ACK at once
            }
            case OUT_OF_ORDER -> t.ackNow = true;
            case DUPLICATE -> {
                if (t.sackOk) {
                    t.dsackDue = true;
                    t.dsackStart = seq + skip;
                    t.dsackEnd = seq + skip + length;
                }
                t.ackNow = true;
                return DropReason.TCP_DUPLICATE;
            }
            case DROPPED -> {
                t.ackNow = true;
                return t.receiveBuffer.dropReason();
            }
        }
        return null;
    }

    /**
     * In-order data (RFC 9293 3.8.6.3, RFC 5681 4.2): ACK every second full-sized segment, the
     * first {@value Tcb#QUICK_ACKS} at once, others within the delayed-ACK time.
     */
    private void delayAck(int length, long now) {
        t.unackedBytes += length;
        if (t.quickAcks > 0) {
            t.quickAcks--;
            t.ackNow = true;
        } else if (t.unackedBytes >= 2 * Math.max(t.largestReceived, 1)) {
            t.ackNow = true;
        } else if (t.delayedAckAt == Tcb.NEVER) {
            t.delayedAckAt = now + t.config.delayedAck();
        }
    }

    /** Eighth step: the peer's FIN is next in sequence. */
    private void finReached(long now) {
        t.peerFin = true;
        t.ackNow = true;
        switch (t.state) {
            case SYN_RECEIVED, ESTABLISHED -> t.state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> {
                if (finAcknowledged()) {
                    t.enterTimeWait(now);
                } else {
                    t.state = TcpState.CLOSING; // simultaneous close
                }
            }
            case FIN_WAIT_2 -> t.enterTimeWait(now);
            default -> {
                // CLOSE-WAIT, CLOSING, LAST-ACK: a FIN was reached before
            }
        }
    }
}
