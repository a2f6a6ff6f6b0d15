package org.wgkaraf.engine.core;

/** Test time: both clocks move only when the test says so. */
final class FakeClock implements TimeSource {
    private long nanos = 1_000_000_000_000L;
    private long wallOffset = 1_700_000_000_000_000_000L - nanos;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long wallClockNanos() {
        return nanos + wallOffset;
    }

    void advanceMillis(long ms) {
        nanos += ms * 1_000_000L;
    }

    void advanceSeconds(double s) {
        nanos += (long) (s * 1e9);
    }

    /** Steps only the wall clock (e.g. backwards after a power loss). */
    void stepWallClock(long deltaNanos) {
        wallOffset += deltaNanos;
    }
}
