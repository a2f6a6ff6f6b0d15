package org.wgkaraf.netif.tcp;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP layer's two threads, started with its first connection:
 * <ul>
 * <li>{@value #TIMER_THREAD} runs every connection's timers, and sends the segments the
 *     {@link Pacer} held back when they are due (a held segment is a deadline like the others).
 *     It sleeps until the earliest deadline; a connection that sets an earlier one wakes it (no
 *     lock: a volatile and {@link LockSupport#unpark}).</li>
 * <li>{@value #OUTPUT_THREAD} sends what segments that arrived make a connection send (ACKs, the
 *     data they release), so a tunnel's receive thread goes back to decrypting at once while the
 *     encryption of the answers runs on the other core.</li>
 * </ul>
 * Neither holds a TCP lock while it sends: both call {@link UserspaceConnection#pump()}.
 */
final class LayerThreads {
    static final String TIMER_THREAD = "wgkaraf-tcp-timer";
    static final String OUTPUT_THREAD = "wgkaraf-tcp-output";
    private static final Logger LOG = LoggerFactory.getLogger(LayerThreads.class);
    /**
     * A timer may fire this late rather than wake the timer thread for every deadline. Pacing
     * deadlines come about a millisecond apart and tolerate about a millisecond of lateness
     * ({@link Pacer}), so the slack stays well below that.
     */
    private static final long TIMER_SLACK = TimeUnit.MICROSECONDS.toNanos(250);
    private static final long MAX_PARK = TimeUnit.SECONDS.toNanos(1);

    private final UserspaceTcp layer;
    private final boolean enabled;
    private final Object start = new Object();
    /** Connections with something to send that a receive thread left to the output thread. */
    private final ArrayBlockingQueue<UserspaceConnection> outputQueue;
    private volatile Thread timer;
    private volatile Thread output;
    /** When the timer thread wakes next; Long.MAX_VALUE while it scans (so any new deadline wakes it again). */
    private volatile long timerWakeAt = Long.MAX_VALUE;
    private volatile boolean closed;

    /**
     * @param enabled false for tests, which call {@link UserspaceTcp#tick} and get their packets
     *                sent on the calling thread
     * @param queueSize at least the number of connections there can be: each is queued once
     */
    LayerThreads(UserspaceTcp layer, boolean enabled, int queueSize) {
        this.layer = layer;
        this.enabled = enabled;
        this.outputQueue = new ArrayBlockingQueue<>(queueSize);
    }

    void start() {
        if (!enabled || timer != null) {
            return;
        }
        synchronized (start) {
            if (timer == null && !closed) {
                Thread t = new Thread(this::timerLoop, TIMER_THREAD);
                t.setDaemon(true);
                timer = t;
                t.start();
                Thread o = new Thread(this::outputLoop, OUTPUT_THREAD);
                o.setDaemon(true);
                output = o;
                o.start();
            }
        }
    }

    /**
     * Has {@code c}'s packets sent by the output thread rather than the calling receive thread.
     * Without a running output thread (tests; or a full queue, which cannot happen while every
     * connection is queued at most once) the caller sends them itself.
     */
    void output(UserspaceConnection c) {
        Thread t = output;
        if (t == null) {
            c.pump();
            return;
        }
        if (!c.queuedForOutput.compareAndSet(false, true)) {
            return; // queued already: the output thread will send this too
        }
        if (!outputQueue.offer(c)) {
            c.queuedForOutput.set(false);
            c.pump();
        }
    }

    private void outputLoop() {
        while (!closed) {
            try {
                UserspaceConnection c = outputQueue.poll(MAX_PARK, TimeUnit.NANOSECONDS);
                if (c != null) {
                    c.queuedForOutput.set(false);
                    c.pump();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("TCP output failed; it carries on", e);
            }
        }
    }

    /** A connection's next deadline changed: wake the timer thread if it would sleep past it. */
    void deadlineSet(long deadline) {
        if (deadline != Tcb.NEVER && deadline + TIMER_SLACK < timerWakeAt) {
            Thread t = timer;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    private void timerLoop() {
        while (!closed) {
            try {
                timerWakeAt = Long.MAX_VALUE;
                long next = layer.tick(layer.now());
                long now = layer.now();
                long wait = next == Tcb.NEVER ? MAX_PARK : Math.min(MAX_PARK, next - now);
                timerWakeAt = now + wait;
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            } catch (RuntimeException e) {
                LOG.error("TCP timer failed; it carries on", e);
            }
        }
    }

    /** Stops both threads and waits for them. */
    void close() {
        synchronized (start) {
            closed = true;
        }
        for (Thread t : new Thread[] {timer, output}) {
            if (t != null) {
                LockSupport.unpark(t);
                t.interrupt();
                if (Thread.currentThread() != t) {
                    try {
                        t.join(TimeUnit.SECONDS.toMillis(5));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }
}
