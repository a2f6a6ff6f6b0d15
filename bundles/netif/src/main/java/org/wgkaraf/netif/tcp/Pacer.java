package org.wgkaraf.netif.tcp;

/**
 * Spreads a connection's data segments over time at the rate its congestion controller asks for
 * (BBR's pacing rate), instead of sending whatever the window allows the moment an ACK opens it.
 * Each segment sent moves the earliest departure of the next one ({@link #next}) on by its size
 * over the rate; a segment may leave while that departure is at most {@link #horizon} ahead of
 * now, so segments go in small bursts (about half the horizon each) rather than one by one: the
 * runtime releases them from the layer's one timer thread, and a wake-up per segment would cost
 * more than the bursts do. A blocked send sets {@link #wakeAt}, a connection timer like the others.
 * <p>
 * The first {@value #UNPACED_SEGMENTS} segments go unpaced (the initial window, as Linux does),
 * and the pacing rate counts data bytes, as the delivery rate the model measures does.
 */
final class Pacer {
    /** The shortest horizon: a timer that wakes this late costs no rate. */
    static final long MIN_HORIZON = 2_000_000L;
    /** The initial window goes at once: there is no rate to pace at before an RTT is known. */
    static final int UNPACED_SEGMENTS = 10;

    /** Earliest departure of the next paced segment (nanoseconds, the connection's clock). */
    private long next;
    /** When a segment the pacer held back may go: a deadline for the timer, or {@link Tcb#NEVER}. */
    long wakeAt = Tcb.NEVER;
    /** Data segments sent, up to {@link #UNPACED_SEGMENTS}. */
    private int segments;
    /** The rate of the last decision, bytes per second (0: not pacing), and how often it held a segment back. */
    long rate;
    long held;

    /**
     * How far ahead of now the next departure may be: 2 ms, or two full segments at slow rates
     * (a burst is never less than a segment).
     */
    static long horizon(long rate, int mss) {
        return Math.max(MIN_HORIZON, 2L * mss * 1_000_000_000L / rate);
    }

    /**
     * May a data segment leave now? If not, {@link #wakeAt} says when to ask again.
     *
     * @param rate bytes per second, or 0 for no pacing
     */
    boolean mayRelease(long rate, int mss, long now) {
        this.rate = rate;
        if (rate <= 0 || segments < UNPACED_SEGMENTS) {
            wakeAt = Tcb.NEVER;
            return true;
        }
        long horizon = horizon(rate, mss);
        if (next - now <= horizon) {
            wakeAt = Tcb.NEVER;
            return true;
        }
        // Wake when half the horizon is free again: a burst of about half of it can go then,
        // and a timer up to half a horizon late still loses no time.
        wakeAt = next - horizon / 2;
        held++;
        return false;
    }

    /** A data segment of {@code bytes} left now (at {@code rate}, from {@link #mayRelease}). */
    void sent(int bytes, long now) {
        if (segments < UNPACED_SEGMENTS) {
            segments++;
        }
        if (rate > 0) {
            next = Math.max(next, now) + bytes * 1_000_000_000L / rate;
        }
    }

    /** The earliest departure of the next paced segment. */
    long next() {
        return next;
    }
}
