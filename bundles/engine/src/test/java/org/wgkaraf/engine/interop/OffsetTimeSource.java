package org.wgkaraf.engine.interop;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.wgkaraf.engine.core.TimeSource;

/**
 * The system clocks plus an offset the test can advance, so the engine lives through the 120 s
 * rekey or the 180 s session death in an instant. Monotonic and wall clock move together, as
 * they do when time really passes.
 */
public final class OffsetTimeSource implements TimeSource {
    private final AtomicLong offsetNanos = new AtomicLong();

    @Override
    public long nanoTime() {
        return System.nanoTime() + offsetNanos.get();
    }

    @Override
    public long wallClockNanos() {
        return System.currentTimeMillis() * 1_000_000L + offsetNanos.get();
    }

    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward");
        }
        offsetNanos.addAndGet(d.toNanos());
    }
}
