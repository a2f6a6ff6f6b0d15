package org.wgkaraf.engine.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.engine.core.CoreOutput;
import org.wgkaraf.engine.core.Device;
import org.wgkaraf.engine.core.TimeSource;

/**
 * The tunnel's timer thread, {@code wg-timer-<tunnel>}: runs the device's expired timers, then
 * sleeps until its next deadline (at most {@link #MAX_WAIT}), or until another thread arms an
 * earlier one ({@link #wakeIfEarlier}).
 *
 * <p>Locks: it holds the engine lock while it runs, and releases it while it waits (the wait is
 * on a condition of that lock). Calls out of the engine: none; the device may ask the resolver
 * for a lookup, which only queues it.
 */
final class TimerLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TimerLoop.class);
    /** A deadline in the past of a clock that jumped is still met within this. */
    static final long MAX_WAIT = TimeUnit.MILLISECONDS.toNanos(500);

    private final String tunnel;
    private final ReentrantLock lock;
    private final Condition wake;
    private final Device device;
    private final CoreOutput output;
    private final TimeSource time;
    private final Thread thread;
    /** Guarded by the lock. */
    private long scheduledWake = Long.MAX_VALUE;
    /** Guarded by the lock. */
    private boolean stopped;

    TimerLoop(String tunnel, ReentrantLock lock, Device device, CoreOutput output, TimeSource time) {
        this.tunnel = tunnel;
        this.lock = lock;
        this.wake = lock.newCondition();
        this.device = device;
        this.output = output;
        this.time = time;
        this.thread = new Thread(this::run, "wg-timer-" + tunnel);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        lock.lock();
        try {
            while (!stopped) {
                long now = time.nanoTime();
                try {
                    device.tick(now, output);
                } catch (RuntimeException e) {
                    LOG.warn("timer of tunnel {} failed", tunnel, e);
                }
                long next = device.nextDeadline();
                long wait = Math.min(MAX_WAIT, Math.max(0, next == Long.MAX_VALUE ? MAX_WAIT : next - now));
                scheduledWake = now + wait;
                if (wait > 0) {
                    wake.awaitNanos(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock, after anything that may have armed a timer earlier than the next wake-up. */
    void wakeIfEarlier() {
        if (device.nextDeadline() < scheduledWake) {
            wake.signal();
        }
    }

    /** Under the lock: the thread ends at its next wake-up, which this brings forward to now. */
    void stop() {
        stopped = true;
        wake.signalAll();
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    boolean isAlive() {
        return thread.isAlive();
    }
}
