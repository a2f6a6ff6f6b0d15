package org.wgkaraf.netif.tcp;

import org.wgkaraf.netif.ip.DropReason;

/**
 * One connection's Transmission Control Block (RFC 9293 3.3.1), without I/O or locks: segments
 * come in through {@link #segment}, the application's calls through {@link #write}, {@link #read},
 * {@link #shutdownOutput}, {@link #close}, {@link #abort}, time through {@link #timer}; what to send
 * comes out of {@link #poll}, one packet per call, and {@link #nextDeadline()} says when to call
 * {@link #timer} next. Every method takes the current monotonic time, so a test drives every timer
 * rule with a fake clock. Not thread-safe: the runtime holds the connection's lock around each call.
 * <p>
 * The work is split by concept: {@link Arrival} is RFC 9293's "segment arrives" (3.10.7),
 * {@link LossRecovery} what an acknowledgment or a timeout does to the sending side, {@link
 * Transmitter} what to send next. This class holds the variables they share (named as in the RFC)
 * and the application's side.
 * <p>
 * Why over 400 lines: the TCB's variables are many and each is documented where it is declared
 * (RFC 9293 3.3.1 and the extensions' state), and the application's calls and the timers belong
 * to the block they change. The protocol logic itself is in the three classes above.
 */
final class Tcb {
    static final long NEVER = Long.MAX_VALUE;
    /** RFC 7323 5.5: TS.Recent is invalid after 24 days of idleness. */
    static final long TS_RECENT_LIFETIME = 24L * 24 * 3600 * 1_000_000_000L;
    /** Segments acknowledged one by one at the start, so the peer's slow start is not held back. */
    static final int QUICK_ACKS = 16;

    final TcpConfig config;
    final int localAddress;
    final int localPort;
    final int remoteAddress;
    final int remotePort;
    /** Opened by a SYN that reached a listener (passive), or by connect (active). */
    final boolean passive;

    TcpState state = TcpState.CLOSED;
    ConnectionError error;

    // ---- send sequence variables (RFC 9293 3.3.1)
    final int iss;
    int sndUna;
    /** SND.NXT; never moved back: retransmissions are cut from the retransmission queue. */
    int sndNxt;
    /** SND.WND, scaled. */
    int sndWnd;
    int sndWl1;
    int sndWl2;
    /** MAX.SND.WND of RFC 5961 5.2: the largest window the peer offered. */
    int maxSndWnd;
    /** The shift applied to the peer's window fields (0 unless both sides sent window scale). */
    int sndScale;

    // ---- receive sequence variables
    int irs;
    /** The right edge of the window last advertised (RCV.NXT + RCV.WND when sent). */
    int rcvAdv;
    /** Our window scale: what we announced, used only if the peer announced one too. */
    int rcvScale;
    /** The peer's FIN arrived and was reached by the in-order data: it counts in RCV.NXT. */
    boolean peerFin;
    /** Stream offset of a FIN that arrived beyond a gap, or -1. */
    long peerFinOffset = -1;
    /** In-order data came that its sender pushed (PSH) or that filled a gap: wake the reader. */
    boolean pushed;
    /** The largest segment the peer has sent, for "every second full-sized segment". */
    int largestReceived;

    // ---- options
    /** Data bytes in a full segment we send: the smaller MSS, less the timestamp option. */
    int mss;
    boolean sackOk;
    boolean tsOk;
    int tsRecent;
    long tsRecentAt;
    /** Last.ACK.sent of RFC 7323 4.3. */
    int lastAckSent;
    final int tsOffset;

    // ---- what the transmitter owes
    boolean synDue;
    boolean ackNow;
    long delayedAckAt = NEVER;
    int unackedBytes;
    int quickAcks = QUICK_ACKS;
    boolean probeDue;
    boolean resetDue;
    int resetSeq;
    /** The reset carries ACK (it ends a connection we had) or not (it answers an unacceptable ACK). */
    boolean resetAcks;
    /** The window in our SYN, from which RCV.ADV starts once the peer's SYN tells RCV.NXT. */
    int synWindow;
    /** The peer sent window scale in its SYN: scaling is on, both ways. */
    boolean wsOk;
    /** The application asked for a FIN (shutdownOutput or close). */
    boolean finQueued;
    boolean finSent;
    int finSeq;
    /** D-SACK range to report in the next ACK (RFC 2883), as sequence numbers. */
    boolean dsackDue;
    int dsackStart;
    int dsackEnd;
    /** The application closed its input: data that still arrives is answered with a reset. */
    boolean inputClosed;
    long synSentAt;
    boolean synRetransmitted;
    int ipIdentification;

    // ---- buffers and algorithms
    final SendBuffer sendBuffer;
    final ReceiveBuffer receiveBuffer;
    final RetransmissionQueue retransmissions;
    final SackScoreboard scoreboard;
    final CongestionControl cc;
    final DeliveryRate rate = new DeliveryRate();
    final Pacer pacer = new Pacer();
    final Rack rack;
    final RtoEstimator rto;
    final LossRecovery recovery;
    final Arrival arrival;
    final Transmitter transmitter;

    // ---- timers (RFC 6298 retransmission, RFC 9293 persist, TIME-WAIT, FIN-WAIT-2, delayed ACK)
    long retransmitAt = NEVER;
    /** The tail loss probe timer (RFC 8985 7). */
    long probeAt = NEVER;
    /** RACK's reordering timer (RFC 8985 6.3). */
    long rackAt = NEVER;
    /** A tail loss probe is to be sent. */
    boolean tailProbeDue;
    /** A tail loss probe was sent and no ACK has advanced SND.UNA since. */
    boolean tailProbeOutstanding;
    long persistAt = NEVER;
    long timeWaitAt = NEVER;
    long finWait2At = NEVER;
    /** Timeouts or unanswered probes in a row; the connection is aborted beyond the limit. */
    int retries;
    int persistBackoff;
    long lastSentAt;
    long rateWindowStart;
    int rateCount;
    /** Counters for status and tests. */
    long segmentsSent;
    long retransmitted;

    /**
     * @param sendPool    memory for what the application writes
     * @param receivePool memory for what peers send: apart, so a full send side can never starve
     *                    the receiving that would let it drain
     * @param iss      the initial send sequence number, from {@link IsnGenerator}
     * @param tsOffset this connection's timestamp clock offset
     */
    Tcb(TcpConfig config, ChunkPool sendPool, ChunkPool receivePool, int localAddress, int localPort, int remoteAddress, int remotePort,
        boolean passive, int iss, int tsOffset) {
        this.config = config;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.passive = passive;
        this.iss = iss;
        this.tsOffset = tsOffset;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.mss = Math.min(config.mss(), TcpHeader.DEFAULT_MSS);
        this.rcvScale = config.windowScale();
        this.sendBuffer = new SendBuffer(sendPool, config.sendBuffer());
        this.receiveBuffer = new ReceiveBuffer(receivePool, config.receiveBuffer(), config.maxOutOfOrderRanges());
        this.retransmissions = new RetransmissionQueue(config.maxSegmentsInFlight());
        this.scoreboard = new SackScoreboard(retransmissions);
        this.cc = config.congestion() == TcpConfig.Congestion.BBR ? new Bbr(config.mss(), config.pacing()) : new NewReno(config.mss());
        this.rack = new Rack(tsOffset);
        this.rto = new RtoEstimator(config.initialRto(), config.minRto(), config.maxRto());
        this.recovery = new LossRecovery(this);
        this.arrival = new Arrival(this);
        this.transmitter = new Transmitter(this);
    }

    // ---- opening

    /** Active open (RFC 9293 3.10.1): SYN-SENT, and a SYN is due. */
    void connect(long now) {
        state = TcpState.SYN_SENT;
        sndNxt = iss + 1;
        synDue = true;
        retransmitAt = now + rto.rto();
    }

    /**
     * Passive open: a SYN reached a listener (RFC 9293 3.10.7.2). Takes the peer's options and
     * goes to SYN-RECEIVED with a SYN-ACK due.
     */
    void acceptSyn(Segment syn, long now) {
        irs = syn.seq;
        negotiate(syn);
        sndWnd = syn.window; // never scaled in a SYN (RFC 7323 2.2)
        maxSndWnd = sndWnd;
        sndWl1 = syn.seq;
        sndWl2 = iss;
        state = TcpState.SYN_RECEIVED;
        sndNxt = iss + 1;
        synDue = true;
        retransmitAt = now + rto.rto();
    }

    /**
     * Applies the options of the peer's SYN (RFC 9293 3.7.1, RFC 7323, RFC 2018). An option is
     * used only if both sides sent it: we send all of them in our SYN, and answer a SYN with only
     * those it carried.
     */
    void negotiate(Segment syn) {
        int peerMss = syn.mss > 0 ? syn.mss : TcpHeader.DEFAULT_MSS;
        wsOk = syn.windowScale >= 0;
        if (wsOk) {
            sndScale = syn.windowScale;
        } else {
            sndScale = 0;
            rcvScale = 0;
        }
        sackOk = syn.sackPermitted;
        tsOk = syn.hasTimestamps;
        if (tsOk) {
            tsRecent = syn.tsVal;
        }
        mss = Math.max(64, Math.min(peerMss, config.mss()) - (tsOk ? TcpHeader.TIMESTAMPS_SPACE : 0));
    }

    // ---- the application's side

    /**
     * Queues bytes to send.
     *
     * @return the bytes taken (0 when the buffer is full), or -1 when this side can send no more
     *         (FIN queued, connection closed or failed)
     */
    int write(byte[] b, int off, int len) {
        if (finQueued || !state.sendsData()) {
            return -1;
        }
        return sendBuffer.write(b, off, len);
    }

    /**
     * Takes received bytes.
     *
     * @return the bytes copied; 0 when none is there yet; -1 at the end of the stream
     */
    int read(byte[] b, int off, int len, long now) {
        int n = receiveBuffer.read(b, off, len);
        if (n > 0) {
            windowUpdateIfWorthIt();
            return n;
        }
        return peerFin || state == TcpState.CLOSED ? -1 : 0;
    }

    /**
     * After the application read: tell the peer of the larger window when it was at most half
     * the buffer and at least doubles (as Linux does), so a full buffer that drains reopens the
     * flow without an ACK for every read.
     */
    private void windowUpdateIfWorthIt() {
        if (!state.receivesData() || receiveBuffer.hasOutOfOrder()) {
            return;
        }
        int offered = rcvAdv - rcvNxt();
        int now = receiveBuffer.window();
        if (2 * offered <= receiveBuffer.capacity() && now >= 2 * offered && now - offered >= mss) {
            ackNow = true;
        }
    }

    /** Sends FIN once what was written is sent (RFC 9293 3.10.4, CLOSE): the peer reads the end of the stream. */
    void shutdownOutput(long now) {
        if (finQueued) {
            return;
        }
        switch (state) {
            case SYN_SENT -> {
                finQueued = true; // sent once established
            }
            case SYN_RECEIVED -> finQueued = true;
            case ESTABLISHED -> {
                finQueued = true;
                state = TcpState.FIN_WAIT_1;
            }
            case CLOSE_WAIT -> {
                finQueued = true;
                state = TcpState.LAST_ACK;
            }
            default -> {
                // already closing or closed
            }
        }
    }

    /**
     * Closes both directions. Data received and not read is lost, so the peer is told with a reset
     * (RFC 1122 4.2.2.13); otherwise FIN follows what was written, and data that still arrives gets
     * a reset too.
     */
    void close(long now) {
        if (state == TcpState.SYN_SENT) {
            terminate(ConnectionError.ABORTED);
            return;
        }
        inputClosed = true;
        if (receiveBuffer.readable() > 0 && state.synchronizedState() && state != TcpState.TIME_WAIT) {
            reset(sndNxt, ConnectionError.CLOSED_WITH_DATA_PENDING);
            return;
        }
        receiveBuffer.discard();
        shutdownOutput(now);
        if (state == TcpState.FIN_WAIT_2) {
            finWait2At = now + config.finWait2Timeout();
        }
    }

    /**
     * Resets the connection at once (RFC 9293 3.10.5, ABORT). After a graceful end only the
     * unread data is left: it is dropped, and its memory goes back to the pool.
     */
    void abort(long now) {
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> reset(sndNxt, ConnectionError.ABORTED);
            case CLOSED -> receiveBuffer.discard();
            default -> terminate(ConnectionError.ABORTED);
        }
    }

    /** Sends {@code <SEQ=seq><ACK=RCV.NXT><CTL=RST,ACK>} and ends the connection. */
    void reset(int seq, ConnectionError why) {
        resetDue = true;
        resetSeq = seq;
        resetAcks = true;
        terminate(why);
    }

    /** Answers an unacceptable ACK with {@code <SEQ=SEG.ACK><CTL=RST>}; the connection stays as it is. */
    void resetFor(int segmentAck) {
        resetDue = true;
        resetSeq = segmentAck;
        resetAcks = false;
    }

    /**
     * Ends the connection: CLOSED, timers stopped, the send side freed, callers woken by the
     * runtime. After a graceful end ({@code why} null) what was received stays readable until the
     * application reads or closes; after a failure it is dropped with everything else.
     */
    void terminate(ConnectionError why) {
        if (state == TcpState.CLOSED) {
            return;
        }
        if (error == null) {
            error = why;
        }
        state = TcpState.CLOSED;
        timeWaitAt = NEVER;
        release();
        if (why != null || inputClosed) {
            receiveBuffer.discard();
        }
    }

    /** Frees the send side's memory and stops the timers that serve it. */
    private void release() {
        sendBuffer.clear();
        retransmissions.clear();
        retransmitAt = NEVER;
        probeAt = NEVER;
        rackAt = NEVER;
        pacer.wakeAt = NEVER;
        persistAt = NEVER;
        finWait2At = NEVER;
        delayedAckAt = NEVER;
    }

    /**
     * TIME-WAIT for 2 MSL (RFC 9293 3.6): the four-tuple stays taken; everything we sent was
     * acknowledged, so only data the application has not read yet is still held.
     */
    void enterTimeWait(long now) {
        state = TcpState.TIME_WAIT;
        release();
        timeWaitAt = now + config.timeWait();
    }

    // ---- segments and time

    /** A segment for this connection arrived. @return why it was dropped, or null when it was used */
    DropReason segment(Segment seg, long now) {
        return arrival.segment(seg, now);
    }

    /**
     * Writes the next packet to send into {@code out} (a whole IPv4 packet, at offset 0).
     *
     * @return its length, or 0 when nothing is to be sent now
     */
    int poll(byte[] out, long now) {
        return transmitter.poll(out, now);
    }

    /** Runs the timers that are due. */
    void timer(long now) {
        if (timeWaitAt <= now) {
            timeWaitAt = NEVER;
            terminate(null);
            return;
        }
        if (finWait2At <= now && state == TcpState.FIN_WAIT_2) {
            reset(sndNxt, ConnectionError.TIMED_OUT);
            return;
        }
        if (delayedAckAt <= now) {
            delayedAckAt = NEVER;
            ackNow = true;
        }
        if (pacer.wakeAt <= now) {
            pacer.wakeAt = NEVER; // the segment it held may go: poll sends it
        }
        if (retransmitAt <= now) {
            recovery.onTimeout(now);
        } else {
            if (rackAt <= now) {
                recovery.onReorderTimeout(now);
            }
            if (probeAt <= now) {
                recovery.onProbeTimeout(now);
            }
        }
        if (persistAt <= now) {
            persistExpired(now);
        }
    }

    /**
     * The persist timer fired (RFC 9293 3.8.6.1): probe the window (with what it takes, if it is
     * open, see {@link Transmitter}), back off, give up only when unanswered.
     */
    private void persistExpired(long now) {
        if (++retries > config.maxRetransmissions()) {
            reset(sndNxt, ConnectionError.TIMED_OUT);
            return;
        }
        probeDue = true;
        persistBackoff = Math.min(persistBackoff + 1, 30);
        persistAt = now + persistTimeout();
    }

    long persistTimeout() {
        long t = Math.max(rto.rto(), config.minRto());
        for (int i = 0; i < persistBackoff && t < config.maxRto(); i++) {
            t <<= 1;
        }
        return Math.min(t, config.maxRto());
    }

    /**
     * Arms or stops the persist timer, when the transmitter found nothing it may send: it runs
     * while data waits and nothing is in flight. Then the peer's window holds it back: closed, or
     * smaller than sender SWS avoidance sends into (RFC 9293 3.8.6.2.1). Either way no ACK is
     * coming, and a window update the peer sent may have been lost.
     */
    void updatePersist(long now) {
        boolean stalled = state.synchronizedState() && state != TcpState.TIME_WAIT && retransmissions.isEmpty()
                && (unsentData() > 0 || finQueued && !finSent);
        if (!stalled) {
            persistAt = NEVER;
            persistBackoff = 0;
        } else if (persistAt == NEVER) {
            persistAt = now + persistTimeout();
        }
    }

    /** When {@link #timer} must be called next, or {@link #NEVER}. */
    long nextDeadline() {
        return Math.min(Math.min(Math.min(retransmitAt, persistAt), Math.min(timeWaitAt, finWait2At)),
                Math.min(Math.min(delayedAckAt, probeAt), Math.min(rackAt, pacer.wakeAt)));
    }

    /**
     * Whether an answer to a doubtful segment (a challenge ACK, RFC 5961 7; an ACK for a segment
     * outside the window) may go out now: a few a second per connection, so two confused ends
     * cannot ACK each other forever and an attacker gets no amplification.
     */
    boolean answerAllowed(long now) {
        if (now - rateWindowStart >= 1_000_000_000L) {
            rateWindowStart = now;
            rateCount = 0;
        }
        return rateCount++ < config.challengeAcksPerSecond();
    }

    // ---- derived values

    /** RCV.NXT: after the in-order data, plus one for the peer's FIN once reached. */
    int rcvNxt() {
        return irs + 1 + (int) receiveBuffer.next() + (peerFin ? 1 : 0);
    }

    /** The stream offset of sequence number {@code seq} on the send side. */
    long sendOffset(int seq) {
        return sendBuffer.head() + (seq - sndUna) - (Seq.gt(sndUna, iss) ? 0 : 1);
    }

    /** Bytes written and never sent. */
    int unsentData() {
        long sentEnd = sendOffset(sndNxt) - (finSent ? 1 : 0);
        return (int) (sendBuffer.tail() - Math.max(sentEnd, sendBuffer.head()));
    }

    /** Our timestamp clock: milliseconds, from this connection's offset (RFC 7323 5.4). */
    int tsNow(long now) {
        return (int) (now / 1_000_000L) + tsOffset;
    }

    /** Bytes the application can read now. */
    int readable() {
        return receiveBuffer.readable();
    }

    boolean endOfStream() {
        return peerFin && receiveBuffer.readable() == 0;
    }

    /** Bytes {@link #write} would take now. */
    int writeSpace() {
        return sendBuffer.free();
    }

    boolean closed() {
        return state == TcpState.CLOSED;
    }

    /**
     * Whether {@link #poll} would send nothing now: the common case of a connection that only
     * receives, between two ACKs (every second full segment is ACKed at once, the others wait
     * for the next or the delayed-ACK timer). Conservative: false whenever anything is due, in
     * flight, unsent, timed for the persist or pacing timer, or the state is not ESTABLISHED.
     * Changes nothing.
     */
    boolean nothingDue() {
        return state == TcpState.ESTABLISHED && !resetDue && !synDue && !ackNow && !probeDue && !tailProbeDue
                && !recovery.retransmitNow && retransmissions.isEmpty() && !finQueued && unsentData() == 0
                && persistAt == NEVER && pacer.wakeAt == NEVER;
    }

    /**
     * {@link #nothingDue}, for a caller that then skips the poll: when true, does what that poll
     * would have done, mark the delivery-rate sampler application-limited and clear the persist
     * backoff (as {@link Transmitter} and {@link #updatePersist} do when they find no data).
     */
    boolean nothingToSend() {
        if (!nothingDue()) {
            return false;
        }
        persistBackoff = 0;
        if (cc.cwnd() > 0) {
            rate.applicationLimited(0);
        }
        return true;
    }

    /** Everything written was acknowledged, FIN included when one was sent. */
    boolean allAcknowledged() {
        return retransmissions.isEmpty() && unsentData() == 0;
    }

    @Override
    public String toString() {
        return state + " snd.una " + Seq.unsigned(sndUna) + " snd.nxt " + Seq.unsigned(sndNxt) + " snd.wnd " + sndWnd
                + " rcv.nxt " + Seq.unsigned(rcvNxt()) + " rcv.adv " + Seq.unsigned(rcvAdv) + " mss " + mss + " " + cc
                + " pipe " + retransmissions.pipe() + " rto " + rto.rto() / 1_000_000 + " ms" + (error != null ? " " + error : "");
    }
}
