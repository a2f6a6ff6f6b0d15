package org.wgkaraf.engine.core;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * TAI64N timestamps for handshake initiations: 8 bytes of big-endian seconds counted from
 * 2^62 + 10 (WireGuard's TAI64 label, taking TAI as UTC + 10 s), then 4 bytes of big-endian
 * nanoseconds. A responder drops an initiation whose timestamp is not greater than the last one it
 * accepted from us, so the timestamps issued here strictly increase within the process, whatever
 * the wall clock does; {@link #advanceTo} carries that guarantee across a restart.
 *
 * <p>The nanoseconds are rounded down to a multiple of 2^24 ns (about 16.8 ms), as wireguard-go
 * does, so that the timestamp does not reveal a fine-grained clock reading. Only when that would
 * not move past the last timestamp issued is the last one plus 1 ns used instead. Thread-safe.
 */
public final class Tai64n {

    /** Bytes in a timestamp. */
    public static final int LENGTH = 12;

    private static final long LABEL = (1L << 62) + 10;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int WHITENER_MASK = (1 << 24) - 1;

    private final LongSupplier wallClockNanos;
    /** The last timestamp issued or the floor set, as unsigned TAI64 seconds and nanoseconds. */
    private long lastSeconds;
    private int lastNanos;

    /** @param wallClockNanos nanoseconds since the Unix epoch */
    public Tai64n(LongSupplier wallClockNanos) {
        this.wallClockNanos = wallClockNanos;
    }

    /** Timestamps from the system's wall clock. */
    public static Tai64n system() {
        return new Tai64n(() -> {
            Instant now = Instant.now();
            return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
        });
    }

    /** Where a floor is kept across restarts of the process. */
    @FunctionalInterface
    public interface FloorStore {
        /** Stores {@code floor} (12 bytes) durably before returning. */
        void save(byte[] floor) throws java.io.IOException;
    }

    private FloorStore store;
    private LongSupplier monotonicNanos;
    private long everyNanos;
    private boolean saved;
    private long savedAt;
    private long savedSeconds;
    private int savedNanos;

    /**
     * Persists the last timestamp issued, so that after a restart with the clock set back
     * {@link #advanceTo} makes the next one newer than those sent before. The value saved is the
     * timestamp itself, never one ahead of it: timestamps stay on the wall clock, and a floor
     * lost (a clean start, a fresh installation) costs nothing while the clock is right. (A
     * floor saved ahead of the clock would push every restart's timestamps further ahead, and
     * losing it would leave the module behind its own past: its server would refuse it until the
     * clock caught up.) At most one write per {@code every}, the first at once; {@link #flush}
     * writes the last one at shutdown. So only a crash with the clock set back at the same time
     * can lose up to {@code every} of timestamps.
     *
     * @param monotonicNanos a monotonic clock, for spacing the writes
     */
    public synchronized void persistTo(FloorStore store, java.time.Duration every, LongSupplier monotonicNanos) {
        this.store = store;
        this.everyNanos = every.toNanos();
        this.monotonicNanos = monotonicNanos;
        this.saved = false;
    }

    /** Saves the last timestamp issued, if a newer one than the last saved was issued. */
    public synchronized void flush() {
        if (store != null && (!saved || compare(lastSeconds, lastNanos, savedSeconds, savedNanos) > 0)
                && (lastSeconds != 0 || lastNanos != 0)) {
            save(lastSeconds, lastNanos);
        }
    }

    private void save(long seconds, int nanos) {
        byte[] floor = new byte[LENGTH];
        write(seconds, nanos, floor, 0);
        try {
            store.save(floor);
            saved = true;
            savedAt = monotonicNanos.getAsLong();
            savedSeconds = seconds;
            savedNanos = nanos;
        } catch (java.io.IOException e) {
            // Still send: refusing handshakes would be worse. The next timestamp tries again.
            org.slf4j.LoggerFactory.getLogger(Tai64n.class).warn("cannot persist the handshake timestamp floor: {}", e.toString());
        }
    }

    /** Writes the next timestamp to {@code out[off .. off + 12)}. */
    public synchronized void now(byte[] out, int off) {
        Objects.checkFromIndexSize(off, LENGTH, out.length);
        long unixNanos = wallClockNanos.getAsLong();
        long seconds = LABEL + Math.floorDiv(unixNanos, NANOS_PER_SECOND);
        int nanos = (int) Math.floorMod(unixNanos, NANOS_PER_SECOND) & ~WHITENER_MASK;
        if (compare(seconds, nanos, lastSeconds, lastNanos) <= 0) {
            seconds = lastSeconds;
            nanos = lastNanos + 1;
            if (nanos == NANOS_PER_SECOND) {
                seconds++;
                nanos = 0;
            }
        }
        lastSeconds = seconds;
        lastNanos = nanos;
        if (store != null && (!saved || monotonicNanos.getAsLong() - savedAt >= everyNanos)) {
            save(seconds, nanos);
        }
        write(seconds, nanos, out, off);
    }

    /** Makes every later timestamp strictly greater than the one at {@code floor[off ..]}. */
    public synchronized void advanceTo(byte[] floor, int off) {
        Objects.checkFromIndexSize(off, LENGTH, floor.length);
        long seconds = readLong(floor, off);
        int nanos = readInt(floor, off + 8);
        if (Integer.compareUnsigned(nanos, (int) NANOS_PER_SECOND) >= 0) {
            throw new IllegalArgumentException("not a TAI64N timestamp: nanoseconds "
                    + Integer.toUnsignedString(nanos) + " exceed a second");
        }
        if (compare(seconds, nanos, lastSeconds, lastNanos) > 0) {
            lastSeconds = seconds;
            lastNanos = nanos;
        }

    }

    /** Writes the last timestamp issued, or the floor if higher; twelve zero bytes before either. */
    public synchronized void last(byte[] out, int off) {
        write(lastSeconds, lastNanos, out, off);
    }

    /** Orders two 12-byte timestamps as unsigned big-endian numbers. */
    public static int compare(byte[] a, int aOff, byte[] b, int bOff) {
        return Arrays.compareUnsigned(a, aOff, aOff + LENGTH, b, bOff, bOff + LENGTH);
    }

    private static int compare(long seconds, int nanos, long otherSeconds, int otherNanos) {
        int c = Long.compareUnsigned(seconds, otherSeconds);
        return c != 0 ? c : Integer.compare(nanos, otherNanos);
    }

    private static void write(long seconds, int nanos, byte[] out, int off) {
        for (int i = 0; i < 8; i++) {
            out[off + i] = (byte) (seconds >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[off + 8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
    }

    private static long readLong(byte[] a, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (a[off + i] & 0xff);
        }
        return v;
    }

    private static int readInt(byte[] a, int off) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (a[off + i] & 0xff);
        }
        return v;
    }
}
