package org.wgkaraf.netif.registry;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling; fails naming what it waited for. */
final class Waiting {
    static final Duration DEFAULT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 20;

    private Waiting() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition, () -> "");
    }

    static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                String extra = diagnostics.get();
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what
                        + (extra.isBlank() ? "" : "\n" + extra));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }
}
