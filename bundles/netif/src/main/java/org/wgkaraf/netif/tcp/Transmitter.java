package org.wgkaraf.netif.tcp;

/**
 * Decides what a connection sends next and writes it: a reset, our SYN or SYN-ACK, a segment
 * marked lost (resent first, RFC 6675 NextSeg), new data within the peer's window and cwnd - pipe
 * (both when the {@link Pacer} lets them go), FIN after the data, a window probe, or an ACK
 * (carrying SACK and D-SACK blocks when data is held beyond a gap). Every segment carries the
 * window we offer, chosen so the right edge never moves back (RFC 9293 3.8.6) and grows only in
 * steps worth announcing (receiver SWS avoidance, 3.8.6.2.2).
 */
final class Transmitter {
    /** TCP options may fill 40 bytes. */
    private static final int OPTION_SPACE = 40;

    private final Tcb t;
    private final int[] sackStart = new int[TcpHeader.MAX_SACK_BLOCKS];
    private final int[] sackEnd = new int[TcpHeader.MAX_SACK_BLOCKS];
    private final long[] rangeStart = new long[TcpHeader.MAX_SACK_BLOCKS];
    private final long[] rangeEnd = new long[TcpHeader.MAX_SACK_BLOCKS];

    Transmitter(Tcb t) {
        this.t = t;
    }

    int poll(byte[] out, long now) {
        if (t.resetDue) {
            t.resetDue = false;
            return reset(out);
        }
        switch (t.state) {
            case CLOSED -> {
                return 0;
            }
            case SYN_SENT -> {
                return t.synDue ? syn(out, now, false) : 0;
            }
            case SYN_RECEIVED -> {
                if (t.synDue) {
                    return syn(out, now, true);
                }
                return t.ackNow ? ack(out, now) : 0;
            }
            case TIME_WAIT -> {
                return t.ackNow ? ack(out, now) : 0;
            }
            default -> {
                int n = data(out, now, false);
                if (n > 0) {
                    return n;
                }
                if (t.probeDue) {
                    t.probeDue = false;
                    // The persist timer fired: what the window takes goes, however small (the
                    // override timeout of RFC 9293 3.8.6.2.1); a closed window gets Linux's probe.
                    n = data(out, now, true);
                    if (n > 0) {
                        return n;
                    }
                    return segment(out, t.sndUna - 1, TcpHeader.ACK, 0, 0, now);
                }
                if (t.ackNow) {
                    return ack(out, now);
                }
                t.updatePersist(now);
                return 0;
            }
        }
    }

    /**
     * A pure ACK. Its sequence number is SND.NXT unless that lies beyond the peer's window (the
     * window shrank or closed after we sent): then the window's right edge, so the peer finds the
     * segment acceptable and reads its ACK. A receiver drops an unacceptable segment whole, ACK
     * included (RFC 9293 3.10.7.4), and two ends that each wait for the other's ACK would wait
     * for ever. Linux does the same (tcp_acceptable_seq).
     */
    private int ack(byte[] out, long now) {
        int rightEdge = t.sndUna + t.sndWnd;
        int seq = t.state.synchronizedState() && Seq.gt(t.sndNxt, rightEdge) ? rightEdge : t.sndNxt;
        return segment(out, seq, TcpHeader.ACK, 0, 0, now);
    }

    /** {@code <SEQ=resetSeq><CTL=RST>}, with ACK when it ends a synchronized connection. */
    private int reset(byte[] out) {
        int flags = TcpHeader.RST | (t.resetAcks ? TcpHeader.ACK : 0);
        SegmentWriter.header(out, t.localPort, t.remotePort, t.resetSeq, t.resetAcks ? t.rcvNxt() : 0, flags, 0);
        return SegmentWriter.finish(out, SegmentWriter.OPTIONS, 0, t.localAddress, t.remoteAddress, t.ipIdentification++);
    }

    /**
     * Our SYN (every option we support) or SYN-ACK (the options the peer's SYN carried). The window
     * in either is not scaled (RFC 7323 2.2).
     */
    private int syn(byte[] out, long now, boolean withAck) {
        t.synDue = false;
        int window = Math.min(65535, t.receiveBuffer.window());
        int rcvNxt = withAck ? t.rcvNxt() : 0;
        SegmentWriter.header(out, t.localPort, t.remotePort, t.iss, rcvNxt, TcpHeader.SYN | (withAck ? TcpHeader.ACK : 0), window);
        int at = SegmentWriter.mss(out, SegmentWriter.OPTIONS, t.config.mss());
        if (!withAck || t.wsOk) {
            at = SegmentWriter.windowScale(out, at, t.config.windowScale());
        }
        if (!withAck || t.sackOk) {
            at = SegmentWriter.sackPermitted(out, at);
        }
        if (!withAck || t.tsOk) {
            at = SegmentWriter.timestamps(out, at, t.tsNow(now), withAck ? t.tsRecent : 0);
        }
        if (withAck) {
            t.rcvAdv = rcvNxt + window;
            t.lastAckSent = rcvNxt;
            t.ackNow = false;
        } else {
            t.synWindow = window;
        }
        t.synSentAt = now;
        if (t.retransmitAt == Tcb.NEVER) {
            t.retransmitAt = now + t.rto.rto();
        }
        return SegmentWriter.finish(out, at, 0, t.localAddress, t.remoteAddress, t.ipIdentification++);
    }

    /**
     * A lost segment, or new data, or FIN: whatever the windows and the pacer allow; 0 when nothing may go.
     *
     * @param override send into a window smaller than sender SWS avoidance waits for
     */
    private int data(byte[] out, long now, boolean override) {
        RetransmissionQueue q = t.retransmissions;
        boolean urgent = t.recovery.retransmitNow;
        t.pacer.wakeAt = Tcb.NEVER; // set again below if pacing is what holds the next segment
        int budget = t.cc.cwnd() - q.pipe();
        if (t.tailProbeDue) {
            t.tailProbeDue = false;
            int n = tailProbe(out, now);
            if (n > 0) {
                return n;
            }
        }
        int lost = t.scoreboard.nextLost();
        if (lost >= 0 && (urgent || budget >= Math.min(t.mss, q.length(lost)))) {
            // Nothing goes beyond the peer's window, a retransmission neither: Linux drops a
            // segment that ends beyond it, ACK and all, while its receive queue holds data.
            int room = t.sndUna + t.sndWnd - q.seq(lost);
            if (room > 0 && !paced(now)) {
                return 0;
            }
            if (room >= q.length(lost)) {
                t.recovery.retransmitNow = false;
                return retransmit(lost, out, now);
            }
            if (room > 0) {
                q.split(lost, room);
                t.recovery.retransmitNow = false;
                return retransmit(lost, out, now);
            }
            if (urgent) {
                // The window is closed: a probe gets the peer to tell us when it opens.
                t.recovery.retransmitNow = false;
                return segment(out, t.sndUna - 1, TcpHeader.ACK, 0, 0, now);
            }
        }
        int unsent = t.unsentData();
        boolean fin = t.finQueued && !t.finSent;
        if (unsent == 0 && !fin || q.full()) {
            if (unsent == 0 && budget > 0) {
                t.rate.applicationLimited(q.pipe()); // the window is not what holds the sender back
            }
            return 0;
        }
        if (q.isEmpty() && t.lastSentAt != 0 && now - t.lastSentAt > t.rto.rto()) {
            t.cc.onIdle(t.mss); // RFC 5681 4.1: after an idle RTO, start from the initial window
            budget = t.cc.cwnd();
        }
        int n = Math.min(unsent, t.mss);
        int usable = t.sndUna + t.sndWnd - t.sndNxt;
        if (n > usable) {
            // Sender SWS avoidance (RFC 9293 3.8.6.2.1): a part of a segment only if it is at
            // least half the largest window the peer ever offered.
            n = usable > 0 && (override || usable >= t.maxSndWnd / 2) ? usable : 0;
        }
        if (n > budget) {
            n = 0; // cwnd: wait for the ACKs that are coming
        }
        boolean withFin = fin && n == unsent && Seq.lt(t.sndNxt + n, t.sndUna + t.sndWnd);
        if (n == 0 && !withFin || n > 0 && !paced(now)) {
            return 0;
        }
        int seq = t.sndNxt;
        int flags = TcpHeader.ACK | (n > 0 && n == unsent ? TcpHeader.PSH : 0) | (withFin ? TcpHeader.FIN : 0);
        int length = segment(out, seq, flags, t.sendOffset(seq), n, now);
        int seqLength = n + (withFin ? 1 : 0);
        int pipe = q.pipe();
        if (n == unsent && budget - n > 0) {
            // This drains what the application wrote with room to spare: the samples it brings
            // show the application's pace, not the path's (Linux's tcp_rate_check_app_limited).
            t.rate.applicationLimited(pipe + n);
        }
        q.add(seq, seqLength, withFin, now);
        t.rate.sent(q, q.count() - 1, now, pipe == 0);
        t.pacer.sent(n, now);
        t.sndNxt = seq + seqLength;
        if (withFin) {
            t.finSent = true;
            t.finSeq = seq + n;
        }
        if (t.retransmitAt == Tcb.NEVER) {
            t.retransmitAt = now + t.rto.rto(); // RFC 6298 5.1
        }
        t.recovery.armTailProbe(now);
        t.lastSentAt = now;
        return length;
    }

    /**
     * Whether pacing lets a data segment go now (BBR's pacing rate; none before an RTT is known).
     * When it does not, the pacer's deadline brings the timer back.
     */
    private boolean paced(long now) {
        long rate = t.cc.pacingRate(t.rto.measured() ? t.rto.srtt() : 0, t.mss);
        return t.pacer.mayRelease(rate, t.mss, now);
    }

    /**
     * RFC 8985 7.3: a segment of new data if the window allows, whatever cwnd says, else the last
     * segment sent again, so the peer's SACK or D-SACK tells what arrived.
     */
    private int tailProbe(byte[] out, long now) {
        RetransmissionQueue q = t.retransmissions;
        int unsent = t.unsentData();
        int usable = t.sndUna + t.sndWnd - t.sndNxt;
        if (unsent > 0 && usable > 0 && !q.full()) {
            int n = Math.min(Math.min(unsent, t.mss), usable);
            int seq = t.sndNxt;
            int length = segment(out, seq, TcpHeader.ACK | (n == unsent ? TcpHeader.PSH : 0), t.sendOffset(seq), n, now);
            boolean nothingInFlight = q.pipe() == 0;
            q.add(seq, n, false, now);
            t.rate.sent(q, q.count() - 1, now, nothingInFlight);
            t.sndNxt = seq + n;
            t.lastSentAt = now;
            return length;
        }
        if (q.isEmpty()) {
            return 0;
        }
        int i = q.count() - 1;
        int seq = q.seq(i);
        if (Seq.gt(q.end(i), t.sndUna + t.sndWnd)) {
            return 0; // the window does not take it: the timeout will probe
        }
        int n = q.dataLength(i);
        boolean fin = q.has(i, RetransmissionQueue.FIN);
        int length = segment(out, seq, TcpHeader.ACK | (fin ? TcpHeader.FIN : 0) | (n > 0 ? TcpHeader.PSH : 0),
                t.sendOffset(seq), n, now);
        q.probed(i, now);
        t.retransmitted++;
        t.lastSentAt = now;
        return length;
    }

    private int retransmit(int i, byte[] out, long now) {
        RetransmissionQueue q = t.retransmissions;
        int seq = q.seq(i);
        int n = q.dataLength(i);
        boolean fin = q.has(i, RetransmissionQueue.FIN);
        int flags = TcpHeader.ACK | (fin ? TcpHeader.FIN : 0) | (n > 0 ? TcpHeader.PSH : 0);
        int length = segment(out, seq, flags, t.sendOffset(seq), n, now);
        boolean nothingInFlight = q.pipe() == 0;
        q.retransmitted(i, now);
        t.rate.sent(q, i, now, nothingInFlight);
        t.pacer.sent(n, now);
        t.retransmitted++;
        if (t.retransmitAt == Tcb.NEVER) {
            t.retransmitAt = now + t.rto.rto();
        }
        t.lastSentAt = now;
        return length;
    }

    /**
     * Writes a segment with ACK: the window, timestamps, SACK blocks when there is something to
     * report and room for it, and {@code dataLength} bytes of the stream from {@code offset}.
     */
    private int segment(byte[] out, int seq, int flags, long offset, int dataLength, long now) {
        int rcvNxt = t.rcvNxt();
        int window = advertise(rcvNxt);
        SegmentWriter.header(out, t.localPort, t.remotePort, seq, rcvNxt, flags, window);
        int at = SegmentWriter.OPTIONS;
        int space = OPTION_SPACE;
        if (t.tsOk) {
            at = SegmentWriter.timestamps(out, at, t.tsNow(now), t.tsRecent);
            space -= TcpHeader.TIMESTAMPS_SPACE;
        }
        if (t.sackOk && (t.dsackDue || t.receiveBuffer.hasOutOfOrder())) {
            // On a data segment only in the room the data leaves, so full segments stay full.
            int room = dataLength == 0 ? space : Math.min(space, t.mss - dataLength);
            int blocks = Math.min(TcpHeader.MAX_SACK_BLOCKS, (room - 4) / 8);
            if (blocks > 0) {
                int n = sackBlocks(blocks);
                if (n > 0) {
                    at = SegmentWriter.sack(out, at, sackStart, sackEnd, n);
                }
            }
        }
        if (dataLength > 0) {
            t.sendBuffer.copy(offset, out, at, dataLength);
        }
        t.ackNow = false;
        t.delayedAckAt = Tcb.NEVER;
        t.unackedBytes = 0;
        t.lastAckSent = rcvNxt;
        t.segmentsSent++;
        return SegmentWriter.finish(out, at, dataLength, t.localAddress, t.remoteAddress, t.ipIdentification++);
    }

    /**
     * The blocks to report (RFC 2018 4, RFC 2883): a pending D-SACK first, then the out-of-order
     * ranges, the one that grew last first.
     */
    private int sackBlocks(int max) {
        int n = 0;
        if (t.dsackDue) {
            sackStart[0] = t.dsackStart;
            sackEnd[0] = t.dsackEnd;
            n = 1;
            t.dsackDue = false;
        }
        int k = t.receiveBuffer.outOfOrder().mostRecent(max - n, rangeStart, rangeEnd);
        int base = t.irs + 1;
        for (int j = 0; j < k; j++) {
            sackStart[n] = base + (int) rangeStart[j];
            sackEnd[n] = base + (int) rangeEnd[j];
            n++;
        }
        return n;
    }

    /**
     * The window field to send, and RCV.ADV after it. The right edge moves only forward, and only
     * by at least min(buffer / 2, MSS) at a time; with scaling it is rounded so that it never moves
     * back.
     */
    private int advertise(int rcvNxt) {
        int free = t.receiveBuffer.window();
        int offered = Math.max(0, t.rcvAdv - rcvNxt);
        int window = free - offered >= Math.min(t.receiveBuffer.capacity() / 2, t.mss) ? free : offered;
        int shift = t.rcvScale;
        int field = window >>> shift;
        if ((field << shift) < offered) {
            field = (offered + (1 << shift) - 1) >>> shift;
        }
        field = Math.min(field, 65535);
        t.rcvAdv = rcvNxt + (field << shift);
        return field;
    }
}
