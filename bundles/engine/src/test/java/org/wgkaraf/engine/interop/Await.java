package org.wgkaraf.engine.interop;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * Waits for a condition with a deadline, polling. Interop tests never sleep and hope: they wait
 * until what they need is true, and fail with what they waited for when it does not come.
 */
public final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    /**
     * Polls {@code condition} until it holds. A condition that throws counts as not yet true (a
     * peer being restarted makes {@code wg show} fail for a moment); the last such error is
     * reported if the deadline passes.
     *
     * @param diagnostics evaluated only on failure, appended to the message
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            pause();
        }
        StringBuilder msg = new StringBuilder("timed out after ").append(timeout.toMillis()).append(" ms waiting until ").append(what);
        if (last != null) {
            msg.append("\n  last error: ").append(last.getMessage());
        }
        String extra = safely(diagnostics);
        if (!extra.isBlank()) {
            msg.append('\n').append(extra);
        }
        AssertionFailedError failure = new AssertionFailedError(msg.toString());
        if (last != null) {
            failure.addSuppressed(last);
        }
        throw failure;
    }

    private static String safely(Supplier<String> diagnostics) {
        try {
            return diagnostics.get();
        } catch (RuntimeException e) {
            return "(diagnostics failed: " + e + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted while waiting");
        }
    }
}
