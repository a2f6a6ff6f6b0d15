package org.wgkaraf.netif.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.DropReason;

/**
 * One connection of the userspace layer: a {@link Tcb} behind a lock, with the blocking streams
 * the application uses. Every entry (a segment from the receive thread, a timer, an application
 * call) takes the lock, calls the core, updates what others wait on, and releases it; then
 * {@link #pump()} sends what the core has to send, one packet at a time, WITHOUT the lock, so no
 * TCP lock is ever held while the tunnel is entered. One thread at a time pumps a connection (the
 * {@code sending} token), so its packets leave in the order the core made them.
 */
final class UserspaceConnection implements TcpConnection {
    /** Readers are woken for this much data even without PSH (or at the delayed-ACK tick). */
    private static final int WAKE_READER_BYTES = 32 * 1024;

    final UserspaceTcp layer;
    final Tcb tcb;
    final ReentrantLock lock = new ReentrantLock();
    final Condition readable = lock.newCondition();
    final Condition writable = lock.newCondition();
    private final Condition opened = lock.newCondition();
    private final ConnectionInput input = new ConnectionInput(this);
    private final ConnectionOutput output = new ConnectionOutput(this);
    /** When the timer thread must run this connection's timers; read without the lock. */
    volatile long deadline = Tcb.NEVER;
    private boolean sending;
    boolean closedByApplication;
    /** The passive connection's listener, until it is established (or ends). */
    private UserspaceListener listener;
    /** What the layer counts this connection as (see {@link ConnectionCounts#recount}). */
    private int category;
    private boolean removed;
    /** Segments received since a {@link ReceiveBurst} held this connection, 0 when not held. */
    private int heldSegments;
    /** Waiting in the layer's output queue (so it is queued once, however many segments came). */
    final java.util.concurrent.atomic.AtomicBoolean queuedForOutput = new java.util.concurrent.atomic.AtomicBoolean();

    UserspaceConnection(UserspaceTcp layer, Tcb tcb, UserspaceListener listener) {
        this.layer = layer;
        this.tcb = tcb;
        this.listener = listener;
        this.category = ConnectionCounts.GONE; // counted from its first state on, in updated()
    }

    // ---- entries from the layer

    /** Starts an active open. */
    void connect(long now) {
        lock.lock();
        try {
            tcb.connect(now);
            updated(now, false);
        } finally {
            lock.unlock();
        }
        pump();
    }

    /** Starts a passive open from the SYN that reached the listener. */
    void acceptSyn(Segment syn, long now) {
        lock.lock();
        try {
            tcb.acceptSyn(syn, now);
            updated(now, false);
        } finally {
            lock.unlock();
        }
        layer.output(this);
    }

    /**
     * A segment arrived (on a tunnel's receive thread): its answers go out on the output thread.
     * A segment that calls for no answer (a data segment whose ACK is delayed) does not wake
     * that thread: on a connection that receives in bulk that is every other segment. With a
     * {@code burst}, what the segment calls for waits for the end of the burst (see
     * {@link ReceiveBurst}).
     */
    DropReason segment(Segment seg, long now, ReceiveBurst burst) {
        DropReason r;
        boolean outputNow = false;
        boolean hold = false;
        lock.lock();
        try {
            r = tcb.segment(seg, now);
            updated(now, false);
            boolean quiet = tcb.nothingToSend();
            if (burst == null) {
                outputNow = !quiet;
            } else if (heldSegments > 0) {
                if (++heldSegments >= ReceiveBurst.MAX_HELD && !quiet) {
                    heldSegments = 1; // still held: the burst's end sends what comes after this
                    outputNow = true;
                }
            } else if (!quiet) {
                heldSegments = 1;
                hold = true;
            }
        } finally {
            lock.unlock();
        }
        if (hold) {
            burst.hold(this);
        } else if (outputNow) {
            layer.output(this);
        }
        return r;
    }

    /** The burst that held this connection ended. */
    void releaseFromBurst() {
        lock.lock();
        try {
            heldSegments = 0;
        } finally {
            lock.unlock();
        }
    }

    /** A SYN for this four-tuple while in TIME-WAIT: may it open a new connection (RFC 6191, RFC 9293 3.6.1)? */
    boolean replaceableBy(Segment syn) {
        lock.lock();
        try {
            if (tcb.state != TcpState.TIME_WAIT) {
                return false;
            }
            boolean newer = tcb.tsOk && syn.hasTimestamps ? Seq.gt(syn.tsVal, tcb.tsRecent) : Seq.gt(syn.seq, tcb.rcvNxt());
            if (newer) {
                tcb.terminate(null);
                updated(layer.now(), false);
            }
            return newer;
        } finally {
            lock.unlock();
        }
    }

    void timer(long now) {
        lock.lock();
        try {
            if (tcb.nextDeadline() <= now) {
                tcb.timer(now);
            }
            updated(now, true);
        } finally {
            lock.unlock();
        }
        pump();
    }

    /**
     * After any call into the core, under the lock: hand an established passive connection to
     * its listener, keep the layer's counts, wake who waits, and tell the timer the next deadline.
     */
    void updated(long now, boolean fromTimer) {
        if (listener != null && tcb.state != TcpState.SYN_RECEIVED) {
            UserspaceListener l = listener;
            listener = null;
            l.forget(this);
            if (tcb.state.synchronizedState() && !l.queue.offer(this)) {
                layer.ip().count(DropReason.TCP_BACKLOG_FULL);
                tcb.abort(now);
            }
        }
        int c = ConnectionCounts.category(tcb.state, listener != null);
        if (c != category) {
            int before = category;
            category = c;
            if (!layer.counts().recount(before, c)) {
                tcb.terminate(null); // over the TIME-WAIT limit: end it now rather than wait 2 MSL
                category = ConnectionCounts.category(tcb.state, false);
                layer.counts().recount(c, category);
            }
        }
        if (lock.hasWaiters(readable)) {
            int n = tcb.readable();
            if (n > 0 && (tcb.pushed || n >= WAKE_READER_BYTES || fromTimer) || tcb.peerFin || tcb.closed()) {
                readable.signalAll();
            }
        }
        tcb.pushed = false;
        if (lock.hasWaiters(writable)
                && (tcb.writeSpace() >= Math.min(tcb.sendBuffer.capacity() / 4, 64 * 1024) || tcb.closed())) {
            writable.signalAll();
        }
        if (lock.hasWaiters(opened) && tcb.state != TcpState.SYN_SENT && tcb.state != TcpState.SYN_RECEIVED) {
            opened.signalAll();
        }
        long d = tcb.nextDeadline();
        deadline = d;
        layer.deadlineSet(d);
    }

    /**
     * Sends what the core has to send, one packet at a time, without holding the lock while
     * sending. The packets of one pump are a burst: the tunnel may send their datagrams together,
     * and does at the end, when the burst is flushed (also without the lock).
     */
    void pump() {
        lock.lock();
        if (sending) {
            lock.unlock();
            return; // the thread that pumps now sends what we added too
        }
        sending = true;
        boolean closed;
        int source = tcb.localAddress;
        boolean sent = false;
        Scratch scratch = layer.takeScratch();
        byte[] buf = scratch.out;
        try {
            while (true) {
                long now = layer.now();
                int n = tcb.poll(buf, now);
                if (n == 0) {
                    updated(now, false);
                    break;
                }
                lock.unlock();
                try {
                    layer.transmitMore(source, buf, n);
                    sent = true;
                } finally {
                    lock.lock();
                }
            }
        } finally {
            sending = false;
            closed = tcb.closed();
            lock.unlock();
            layer.giveScratch(scratch);
            if (sent) {
                layer.flushTransmitted(source);
            }
        }
        if (closed) {
            removeOnce();
        }
    }

    private void removeOnce() {
        synchronized (this) {
            if (removed) {
                return;
            }
            removed = true;
        }
        layer.remove(this);
    }

    /** Waits until the handshake is over or {@code nanos} pass; true if established (or beyond). */
    boolean awaitOpen(long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (tcb.state == TcpState.SYN_SENT || tcb.state == TcpState.SYN_RECEIVED) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = opened.awaitNanos(nanos);
            }
            return tcb.state != TcpState.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    ConnectionError error() {
        lock.lock();
        try {
            return tcb.error;
        } finally {
            lock.unlock();
        }
    }

    TcpState state() {
        lock.lock();
        try {
            return tcb.state;
        } finally {
            lock.unlock();
        }
    }

    String describe() {
        lock.lock();
        try {
            return tcb + " recovery " + tcb.recovery.phase + " (" + tcb.recovery.fastRecoveries + " fast, "
                    + tcb.recovery.timeouts + " timeouts)";
        } finally {
            lock.unlock();
        }
    }

    /** Buffer memory held, for status. */
    long bufferedBytes() {
        lock.lock();
        try {
            return (long) tcb.sendBuffer.size() + tcb.readable();
        } finally {
            lock.unlock();
        }
    }

    /** The layer closes: reset without waiting. */
    void shutdownNow() {
        abort();
    }

    /** Ends a half-open connection without a word (SYN flood defence, listener gone). */
    void drop() {
        lock.lock();
        try {
            tcb.terminate(null);
            updated(layer.now(), false);
        } finally {
            lock.unlock();
        }
        pump();
    }

    // ---- TcpConnection

    @Override
    public InetSocketAddress local() {
        return new InetSocketAddress(Bytes.address(tcb.localAddress), tcb.localPort);
    }

    @Override
    public InetSocketAddress remote() {
        return new InetSocketAddress(Bytes.address(tcb.remoteAddress), tcb.remotePort);
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void shutdownOutput() {
        lock.lock();
        try {
            tcb.shutdownOutput(layer.now());
            updated(layer.now(), false);
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        pump();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closedByApplication) {
                return;
            }
            closedByApplication = true;
            tcb.close(layer.now());
            updated(layer.now(), false);
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        pump();
    }

    @Override
    public void abort() {
        lock.lock();
        try {
            closedByApplication = true;
            tcb.abort(layer.now());
            updated(layer.now(), false);
            readable.signalAll();
            writable.signalAll();
            opened.signalAll();
        } finally {
            lock.unlock();
        }
        pump();
    }

    @Override
    public String toString() {
        return "TCP " + Bytes.dotted(tcb.localAddress) + ":" + tcb.localPort + " <-> " + Bytes.dotted(tcb.remoteAddress) + ":"
                + tcb.remotePort;
    }

    /** The exception a read or write meets once the connection ended; called under the lock. */
    IOException failure(String doing) {
        ConnectionError e = tcb.error;
        if (closedByApplication && (e == null || e == ConnectionError.ABORTED || e == ConnectionError.CLOSED_WITH_DATA_PENDING)) {
            return new IOException("cannot " + doing + ": the connection " + this + " was closed");
        }
        return new IOException("cannot " + doing + ": " + (e != null ? e.message() : "connection closed") + " (" + this + ")");
    }
}
