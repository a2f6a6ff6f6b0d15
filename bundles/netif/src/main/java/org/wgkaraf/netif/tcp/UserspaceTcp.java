package org.wgkaraf.netif.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpStatus;
import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.DropReason;
import org.wgkaraf.netif.spi.AcceptQueue;

/**
 * The userspace TCP layer: the connections of every tunnel interface of the IPv4 layer, the
 * listeners, the limits ({@link ConnectionCounts}), and two threads ({@link LayerThreads}: one for
 * every timer, one to send what arriving segments make connections send), started with the first
 * connection. Segments arrive on the tunnel's receive thread through {@link #input}; the
 * application's threads call the connections' streams; nothing else runs TCP code.
 * <p>
 * Locking: each connection has its own lock; the table, the listeners and the buffer pool have
 * leaf locks taken under it or alone. No TCP lock is ever held while a packet goes to the IPv4
 * layer (and on into the tunnel): packets are built under the connection's lock and sent after
 * it is released (see {@link UserspaceConnection#pump()}).
 */
public final class UserspaceTcp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserspaceTcp.class);
    private static final int EPHEMERAL_FIRST = 49152;
    private static final int EPHEMERAL_LAST = 65535;

    private final IpLink ip;
    private final LongSupplier clock;
    private final TcpConfig config;
    private final IsnGenerator isn;
    /** Half of the memory budget for what applications write, half for what peers send. */
    private final ChunkPool sendPool;
    private final ChunkPool receivePool;
    private final ConnectionTable table;
    private final Map<Integer, UserspaceListener> listeners = new ConcurrentHashMap<>();
    private final Scratch.Pool scratch;
    private final ConnectionCounts counts;
    /** The secret behind ISNs and timestamp offsets, and where ephemeral ports start. */
    private final SecureRandom random;
    private final AtomicInteger identification;
    private final LayerThreads threads;
    private volatile boolean closed;

    /** The product's layer: default limits, a timer thread. */
    public UserspaceTcp(IpLink ip, LongSupplier clock) {
        this(ip, clock, TcpConfig.DEFAULTS, true, new SecureRandom());
    }

    /**
     * @param runTimer false for tests, which call {@link #tick} with their own clock
     * @param random   every random choice of the layer (a seeded one makes a test repeatable)
     */
    UserspaceTcp(IpLink ip, LongSupplier clock, TcpConfig config, boolean runTimer, SecureRandom random) {
        this.ip = ip;
        this.clock = clock;
        this.config = config;
        this.random = random;
        this.counts = new ConnectionCounts(config);
        this.identification = new AtomicInteger(random.nextInt());
        this.isn = new IsnGenerator(random);
        this.sendPool = new ChunkPool(config.memoryBudget() / 2);
        this.receivePool = new ChunkPool(config.memoryBudget() / 2);
        this.table = new ConnectionTable(random.nextInt());
        this.scratch = new Scratch.Pool(SegmentWriter.OPTIONS + 40 + config.mss());
        this.threads = new LayerThreads(this, runTimer, config.maxConnections() + config.maxHalfOpen() + config.maxTimeWait() + 16);
    }

    IpLink ip() {
        return ip;
    }

    long now() {
        return clock.getAsLong();
    }

    Scratch takeScratch() {
        return scratch.take();
    }

    void giveScratch(Scratch s) {
        scratch.give(s);
    }

    // ---- inbound

    /**
     * A TCP segment that arrived for one of our addresses (the IPv4 header was checked).
     *
     * @param broadcast it was sent to a broadcast address: never answered (RFC 1122 4.2.3.10)
     * @return why it was dropped, or null when it was used
     */
    public DropReason input(int source, int destination, byte[] b, int off, int len, boolean broadcast) {
        return input(source, destination, b, off, len, broadcast, null);
    }

    /**
     * As {@link #input(int, int, byte[], int, int, boolean)}, one segment of a receive burst: what
     * it makes its connection send waits for {@link ReceiveBurst#flush} (null: goes at once).
     */
    public DropReason input(int source, int destination, byte[] b, int off, int len, boolean broadcast, ReceiveBurst burst) {
        Scratch s = takeScratch();
        try {
            return input(source, destination, b, off, len, broadcast, burst, s);
        } finally {
            giveScratch(s);
        }
    }

    /** A burst for an interface whose receive thread flushes when its socket has nothing waiting. */
    public ReceiveBurst newBurst() {
        return new ReceiveBurst(this);
    }

    private DropReason input(int source, int destination, byte[] b, int off, int len, boolean broadcast, ReceiveBurst burst,
            Scratch s) {
        Segment seg = s.segment;
        DropReason r = SegmentParser.parse(source, destination, b, off, len, seg);
        if (r != null) {
            return r;
        }
        if (broadcast) {
            return seg.rst() ? DropReason.TCP_RESET_RECEIVED : DropReason.TCP_NO_LISTENER;
        }
        long now = now();
        UserspaceConnection c = table.get(destination, seg.destinationPort, source, seg.sourcePort);
        if (c != null) {
            if (!(seg.syn() && !seg.hasAck() && c.replaceableBy(seg))) {
                return c.segment(seg, now, burst);
            }
            c.pump(); // the TIME-WAIT connection it replaces leaves the table
        }
        if (seg.rst()) {
            return DropReason.TCP_RESET_RECEIVED;
        }
        UserspaceListener l = closed ? null : listeners.get(seg.destinationPort);
        if (l == null) {
            answerReset(seg, s.out);
            return DropReason.TCP_NO_LISTENER;
        }
        if (seg.hasAck()) {
            answerReset(seg, s.out); // RFC 9293 3.10.7.2: any acknowledgment is bad in LISTEN
            return DropReason.TCP_NO_CONNECTION;
        }
        if (!seg.syn()) {
            return DropReason.TCP_NO_SYN;
        }
        if (seg.fin()) {
            return DropReason.TCP_BAD_FLAGS; // SYN with FIN: a scanner's probe, never a genuine open
        }
        return synToListener(l, seg, now, s.out);
    }

    /** A SYN for a listening port: a new half-open connection, within the limits. */
    private DropReason synToListener(UserspaceListener l, Segment seg, long now, byte[] out) {
        if (!l.queue.hasRoom()) {
            answerReset(seg, out);
            return DropReason.TCP_BACKLOG_FULL;
        }
        if (counts.halfOpenFull(l.halfOpenCount())) {
            // SYN flood defence: the oldest half-open connection of this port makes room, so a
            // flood cannot lock genuine clients out for the SYN-ACK retry time.
            UserspaceConnection victim = l.takeOldestHalfOpen();
            if (victim == null) {
                if (counts.atConnectionLimit()) {
                    answerReset(seg, out);
                    return DropReason.TCP_CONNECTION_LIMIT;
                }
                return DropReason.TCP_SYN_QUEUE_FULL;
            }
            victim.drop();
            ip.count(DropReason.TCP_SYN_QUEUE_FULL);
        }
        int local = seg.destination;
        int remote = seg.source;
        Tcb tcb = new Tcb(config, sendPool, receivePool, local, seg.destinationPort, remote, seg.sourcePort, true,
                isn.isn(local, seg.destinationPort, remote, seg.sourcePort, now),
                isn.timestampOffset(local, seg.destinationPort, remote, seg.sourcePort));
        UserspaceConnection c = new UserspaceConnection(this, tcb, l);
        if (!table.add(c)) {
            return DropReason.TCP_DUPLICATE; // the same SYN arrived twice at once
        }
        if (!l.addHalfOpen(c)) {
            c.drop(); // the listener closed meanwhile
            return DropReason.TCP_NO_LISTENER;
        }
        startTimer();
        c.acceptSyn(seg, now);
        return null;
    }

    /** The reset for a segment that has no connection (RFC 9293 3.10.7.1), sent at once. */
    private void answerReset(Segment seg, byte[] out) {
        int n = SegmentWriter.resetFor(seg, out, identification.incrementAndGet() & 0xffff);
        transmit(seg.destination, out, n);
    }

    /** Sends what {@code c} has to send, on the output thread (see {@link LayerThreads#output}). */
    void output(UserspaceConnection c) {
        threads.output(c);
    }

    void transmit(int source, byte[] packet, int length) {
        transmit(source, packet, length, false);
    }

    /** As {@link #transmit}, one packet of a burst that {@link #flushTransmitted} ends. */
    void transmitMore(int source, byte[] packet, int length) {
        transmit(source, packet, length, true);
    }

    private void transmit(int source, byte[] packet, int length, boolean more) {
        try {
            if (more) {
                ip.sendMore(source, packet, length);
            } else {
                ip.send(source, packet, length);
            }
        } catch (RuntimeException e) {
            ip.count(DropReason.INTERNAL_ERROR);
            LOG.warn("the tunnel failed on a TCP packet from {}", Bytes.dotted(source), e);
        }
    }

    /** The end of a burst from {@code source}: the tunnel sends what it held back. */
    void flushTransmitted(int source) {
        try {
            ip.flush(source);
        } catch (RuntimeException e) {
            ip.count(DropReason.INTERNAL_ERROR);
            LOG.warn("the tunnel failed to send TCP packets from {}", Bytes.dotted(source), e);
        }
    }

    // ---- listening and connecting

    /** Listens on {@code port} of every interface of the layer; established connections go to {@code queue}. */
    public AutoCloseable listen(int port, AcceptQueue queue) throws IOException {
        if (closed) {
            throw new IOException("the userspace TCP layer is closed");
        }
        UserspaceListener l = new UserspaceListener(this, port, queue);
        if (listeners.putIfAbsent(port, l) != null) {
            throw new IOException("TCP port " + port + " is listened on already");
        }
        return l;
    }

    void unlisten(UserspaceListener l) {
        listeners.remove(l.port, l);
    }

    /** An active open to {@code address:port}; returns once established. See {@link org.wgkaraf.api.netif.TcpService#connect}. */
    public TcpConnection connect(Inet4Address address, int port, Duration timeout) throws IOException, InterruptedException {
        UserspaceConnection c = open(address, port);
        boolean open;
        try {
            open = c.awaitOpen(Math.max(1, timeout.toNanos()));
        } catch (InterruptedException e) {
            c.abort();
            throw e;
        }
        if (open) {
            return c;
        }
        ConnectionError e = c.error();
        c.abort();
        if (e == ConnectionError.REFUSED) {
            throw new ConnectException(address.getHostAddress() + ":" + port + " refused the connection (reset)");
        }
        throw new SocketTimeoutException("no answer from " + address.getHostAddress() + ":" + port + " within "
                + timeout.toMillis() + " ms");
    }

    /** Starts an active open: a new connection in SYN-SENT, its SYN sent. {@link #connect} waits for it. */
    UserspaceConnection open(Inet4Address address, int port) throws IOException {
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("TCP port " + port + " is outside 1-65535");
        }
        if (closed) {
            throw new IOException("the userspace TCP layer is closed");
        }
        int remote = Bytes.address(address);
        int local = ip.sourceFor(remote);
        if (counts.atConnectionLimit()) {
            throw new IOException("cannot connect to " + address.getHostAddress() + ":" + port + ": " + config.maxConnections()
                    + " TCP connections are open, the most this module allows");
        }
        UserspaceConnection c = newOutgoing(local, remote, port);
        startTimer();
        c.connect(now());
        return c;
    }

    /** A connection from a free ephemeral port (RFC 6056: a random start, then the next free one). */
    private UserspaceConnection newOutgoing(int local, int remote, int remotePort) throws IOException {
        int range = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        int start = random.nextInt(range);
        long now = now();
        for (int i = 0; i < range; i++) {
            int port = EPHEMERAL_FIRST + (start + i) % range;
            if (listeners.containsKey(port) || table.get(local, port, remote, remotePort) != null) {
                continue;
            }
            Tcb tcb = new Tcb(config, sendPool, receivePool, local, port, remote, remotePort, false, isn.isn(local, port, remote, remotePort, now),
                    isn.timestampOffset(local, port, remote, remotePort));
            UserspaceConnection c = new UserspaceConnection(this, tcb, null);
            if (table.add(c)) {
                return c;
            }
        }
        throw new IOException("no free TCP port among " + EPHEMERAL_FIRST + "-" + EPHEMERAL_LAST + " to reach "
                + Bytes.dotted(remote) + ":" + remotePort);
    }

    // ---- bookkeeping

    /** The connections by category, against the limits. */
    ConnectionCounts counts() {
        return counts;
    }

    void remove(UserspaceConnection c) {
        table.remove(c);
    }

    // ---- the timer

    /** A connection's next deadline changed: the timer thread may have to wake earlier. */
    void deadlineSet(long deadline) {
        threads.deadlineSet(deadline);
    }

    private void startTimer() {
        threads.start();
    }

    /**
     * Runs every connection timer due at {@code now}.
     *
     * @return the earliest deadline left
     */
    long tick(long now) {
        long next = Tcb.NEVER;
        for (UserspaceConnection c : table.snapshot()) {
            long d = c.deadline;
            if (d <= now) {
                c.timer(now);
                d = c.deadline;
            }
            next = Math.min(next, d);
        }
        return next;
    }

    // ---- status and closing

    /** Connections by state, listening ports and buffered bytes; drops are the IPv4 layer's counters. */
    public TcpStatus status(Map<DropReason, Long> drops) {
        Map<String, Integer> states = new TreeMap<>();
        for (UserspaceConnection c : table.snapshot()) {
            TcpState s = c.state();
            if (s != TcpState.CLOSED) {
                states.merge(s.name(), 1, Integer::sum);
            }
        }
        List<Integer> ports = new ArrayList<>(listeners.keySet());
        ports.sort(null);
        Map<String, Long> counted = new TreeMap<>();
        drops.forEach((reason, n) -> {
            if (n > 0 && reason.name().startsWith("TCP_")) {
                counted.put(reason.name(), n);
            }
        });
        return new TcpStatus(states, ports, counted, sendPool.bytesInUse() + receivePool.bytesInUse());
    }

    /** One line per connection with the core's variables: for diagnostics, never parsed. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        for (UserspaceConnection c : table.snapshot()) {
            s.append(c).append(": ").append(c.describe()).append('\n');
        }
        return s.toString();
    }

    /** Connections in the table (any state), for tests. */
    int connections() {
        return table.size();
    }

    /** Every connection in the table, for tests. */
    UserspaceConnection[] snapshot() {
        return table.snapshot();
    }

    int halfOpen() {
        return counts.halfOpen();
    }

    long bytesInUse() {
        return sendPool.bytesInUse() + receivePool.bytesInUse();
    }

    TcpConfig config() {
        return config;
    }

    /** Resets every connection, stops listening and stops the timer thread. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (UserspaceListener l : List.copyOf(listeners.values())) {
            l.close();
        }
        for (UserspaceConnection c : table.snapshot()) {
            c.shutdownNow();
        }
        threads.close();
    }
}
