package org.wgkaraf.engine.core;

/**
 * The two clocks the protocol needs: a monotonic one for every timer, and the wall clock for the
 * TAI64N timestamps of handshake initiations and for "latest handshake" figures. Tests pass their
 * own to drive time.
 */
public interface TimeSource {
    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Nanoseconds since the Unix epoch. */
    long wallClockNanos();

    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long wallClockNanos() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    };
}
