package org.wgkaraf.netif.tcp;

import java.util.concurrent.TimeUnit;

/**
 * Every limit and timer constant of the TCP layer, in one place. {@link #DEFAULTS} are the values
 * the product runs with; tests make their own to reach a limit quickly. Durations are nanoseconds.
 *
 * @param mss                 the MSS we announce and the largest we send: the tunnel MTU of 1420
 *                            less 20 bytes of IPv4 and 20 of TCP header
 * @param receiveBuffer       per connection: the widest window we offer (at least 1 MiB)
 * @param sendBuffer          per connection: bytes written and not yet acknowledged
 * @param memoryBudget        all connections' buffers together: half for sending, half for receiving
 * @param maxConnections      connections in any state but TIME-WAIT, half-open ones included
 * @param maxHalfOpen         connections in SYN-RECEIVED, all listeners together (SYN flood)
 * @param maxHalfOpenPerPort  the same for one listener
 * @param maxTimeWait         connections in TIME-WAIT; a connection that would go beyond it is ended at once
 *                            instead of waiting (as Linux does when its TIME-WAIT table is full)
 * @param maxOutOfOrderRanges gaps the reassembly keeps track of, per connection
 * @param maxSegmentsInFlight sent segments remembered for retransmission, per connection
 * @param msl                 Maximum Segment Lifetime; TIME-WAIT lasts twice this
 * @param initialRto          RFC 6298 2.1
 * @param minRto              floor of the retransmission timeout
 * @param maxRto              ceiling of the backed-off timeout
 * @param maxRetransmissions  data or probe retransmissions without answer before the abort
 * @param synRetries          SYN retransmissions before connect fails
 * @param synAckRetries       SYN-ACK retransmissions before a half-open connection is dropped
 * @param delayedAck          the longest an ACK waits for a second segment or data to ride on
 * @param finWait2Timeout     how long a connection closed by the application waits for the
 *                            peer's FIN
 * @param challengeAcksPerSecond challenge ACKs (RFC 5961 5) and answers to unacceptable segments
 *                            a connection sends a second at most
 * @param congestion          how the sender paces itself: {@link Congestion#BBR} (model-based, the
 *                            default) or {@link Congestion#NEW_RENO} (loss-based, RFC 5681/6582)
 * @param pacing              whether BBR spreads its segments over time at its pacing rate
 *                            ({@link Pacer}); without it the window alone limits the sender
 */
record TcpConfig(int mss, int receiveBuffer, int sendBuffer, long memoryBudget, int maxConnections, int maxHalfOpen,
                 int maxHalfOpenPerPort, int maxTimeWait, int maxOutOfOrderRanges, int maxSegmentsInFlight, long msl,
                 long initialRto, long minRto, long maxRto, int maxRetransmissions, int synRetries, int synAckRetries,
                 long delayedAck, long finWait2Timeout, int challengeAcksPerSecond, Congestion congestion,
                 boolean pacing) {

    /** The congestion controllers there are. */
    enum Congestion { NEW_RENO, BBR }

    /** The tunnel interface's MTU (WireGuard's usual 1420). */
    static final int TUNNEL_MTU = 1420;

    /**
     * The product's values, and why:
     * <ul>
     * <li>MSS 1380: 1420 - 40, so a full segment fills the tunnel MTU and is never fragmented.</li>
     * <li>4 MiB each way per connection: the window a loss-tolerant sender needs to keep ~10 MB/s
     *     flowing at 100 ms RTT while it repairs loss (Linux grows its own to 6 MiB); memory is
     *     taken only for bytes actually held, and the budget below bounds them all.</li>
     * <li>64 MiB for all buffers: a module's heap share; a connection holds only what is queued.</li>
     * <li>256 connections, 128 half-open (64 per port), 512 in TIME-WAIT.</li>
     * <li>1024 gaps per connection: a 4 MiB window is 3000 segments, and a fast sender on a lossy
     *     path has dozens of holes in it at once (its retransmissions, tiny when its MSS shrank,
     *     must not be dropped for want of a range).</li>
     * <li>MSL 5 s, so TIME-WAIT lasts 10 s: inside a WireGuard tunnel a segment lives only as
     *     long as a datagram is in flight (a replayed datagram is refused by the tunnel itself),
     *     and keyed ISNs plus timestamps (PAWS) reject old duplicates anyway.</li>
     * <li>RTO from 1 s, at least 200 ms and at most 60 s (Linux: 200 ms and 120 s), 15
     *     retransmissions like Linux's tcp_retries2: about 7.5 minutes of silence before an abort.
     *     A car that loses its uplink for tens of seconds keeps its SSH session, and with a 60 s
     *     ceiling it resumes within a minute of the uplink coming back.</li>
     * <li>6 SYN and 5 SYN-ACK retransmissions (Linux's tcp_syn_retries, tcp_synack_retries).</li>
     * <li>Delayed ACK 40 ms (Linux's minimum), FIN-WAIT-2 60 s (Linux's tcp_fin_timeout).</li>
     * <li>BBR, paced: over the lossy relay pacing cut the segments resent from 18% to 5% of those
     *     sent and the timeouts from 1.7 to 0.3 a transfer (docs/tcp.md).</li>
     * </ul>
     */
    static final TcpConfig DEFAULTS = new TcpConfig(TUNNEL_MTU - 40, 4 << 20, 4 << 20, 64L << 20, 256, 128, 64,
            512, 1024, 4096, TimeUnit.SECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(200),
            TimeUnit.SECONDS.toNanos(60), 15, 6, 5, TimeUnit.MILLISECONDS.toNanos(40), TimeUnit.SECONDS.toNanos(60), 10, Congestion.BBR, true);

    TcpConfig {
        if (mss < 64 || mss > 65495) {
            throw new IllegalArgumentException("MSS " + mss + " is outside 64-65495");
        }
        if (receiveBuffer < mss || sendBuffer < mss) {
            throw new IllegalArgumentException("buffers must hold at least one segment");
        }
        if (receiveBuffer > 1 << 30 || sendBuffer > 1 << 30) {
            throw new IllegalArgumentException("buffers above 1 GiB are not supported");
        }
    }

    /** The window scale we announce: the smallest shift that lets the window cover the buffer. */
    int windowScale() {
        int shift = 0;
        while (shift < TcpHeader.MAX_WINDOW_SCALE && (65535L << shift) < receiveBuffer) {
            shift++;
        }
        return shift;
    }

    long timeWait() {
        return 2 * msl;
    }

    TcpConfig withReceiveBuffer(int bytes) {
        return new TcpConfig(mss, bytes, sendBuffer, memoryBudget, maxConnections, maxHalfOpen, maxHalfOpenPerPort,
                maxTimeWait, maxOutOfOrderRanges, maxSegmentsInFlight, msl, initialRto, minRto, maxRto,
                maxRetransmissions, synRetries, synAckRetries, delayedAck, finWait2Timeout, challengeAcksPerSecond, congestion, pacing);
    }

    TcpConfig withSendBuffer(int bytes) {
        return new TcpConfig(mss, receiveBuffer, bytes, memoryBudget, maxConnections, maxHalfOpen, maxHalfOpenPerPort,
                maxTimeWait, maxOutOfOrderRanges, maxSegmentsInFlight, msl, initialRto, minRto, maxRto,
                maxRetransmissions, synRetries, synAckRetries, delayedAck, finWait2Timeout, challengeAcksPerSecond, congestion, pacing);
    }

    TcpConfig withLimits(int connections, int halfOpen, int halfOpenPerPort, int timeWait) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, memoryBudget, connections, halfOpen, halfOpenPerPort,
                timeWait, maxOutOfOrderRanges, maxSegmentsInFlight, msl, initialRto, minRto, maxRto,
                maxRetransmissions, synRetries, synAckRetries, delayedAck, finWait2Timeout, challengeAcksPerSecond, congestion, pacing);
    }

    TcpConfig withCongestion(Congestion c) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, memoryBudget, maxConnections, maxHalfOpen, maxHalfOpenPerPort,
                maxTimeWait, maxOutOfOrderRanges, maxSegmentsInFlight, msl, initialRto, minRto, maxRto,
                maxRetransmissions, synRetries, synAckRetries, delayedAck, finWait2Timeout, challengeAcksPerSecond, c, pacing);
    }

    TcpConfig withPacing(boolean p) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, memoryBudget, maxConnections, maxHalfOpen, maxHalfOpenPerPort,
                maxTimeWait, maxOutOfOrderRanges, maxSegmentsInFlight, msl, initialRto, minRto, maxRto,
                maxRetransmissions, synRetries, synAckRetries, delayedAck, finWait2Timeout, challengeAcksPerSecond, congestion, p);
    }

    TcpConfig withMemoryBudget(long bytes) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, bytes, maxConnections, maxHalfOpen, maxHalfOpenPerPort,
                maxTimeWait, maxOutOfOrderRanges, maxSegmentsInFlight, msl, initialRto, minRto, maxRto,
                maxRetransmissions, synRetries, synAckRetries, delayedAck, finWait2Timeout, challengeAcksPerSecond, congestion, pacing);
    }
}
