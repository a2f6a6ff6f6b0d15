package org.wgkaraf.testsupport;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits until a condition holds, checking it again and again, and fails at a deadline saying what
 * was awaited. Tests never sleep and hope: they wait for what they need, and a failure tells what
 * did not come, with the last value seen when there is one.
 *
 * <p>The condition is checked at once, then after pauses of 1, 2, 4 ... ms, at most {@link
 * #MAX_PAUSE} apart, and one last time at the deadline: a condition met quickly is seen quickly,
 * and one that runs a command (an {@code ip} or {@code wg} process) does not run it more than a few
 * dozen times a second. {@link #every(Duration)} sets a fixed pause instead, for a condition that
 * costs much more (a Karaf client JVM a check).
 *
 * <p>A check that throws a {@link RuntimeException} counts as "not yet": a peer being restarted makes
 * {@code wg show} fail for a moment. The last such exception is reported, as the cause, if the
 * deadline passes. An {@link Error}, an {@link AssertionError} from a check that has seen enough
 * for example, ends the wait at once.
 *
 * <p>Failures are {@link AssertionError}s, so JUnit 4 and JUnit 5 report them as test failures
 * alike. An interrupt ends the wait with an AssertionError too, the thread's interrupt status set
 * again.
 */
public final class Await {
    /** The longest pause between two checks when none is set with {@link #every(Duration)}. */
    public static final Duration MAX_PAUSE = Duration.ofMillis(20);
    private static final long FIRST_PAUSE_NANOS = 1_000_000L;
    private static final Polling BACKING_OFF = new Polling(0);

    private Await() {
    }

    /** Waits until {@code condition} holds; fails after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        BACKING_OFF.until(what, timeout, condition);
    }

    /**
     * Waits until {@code condition} holds; fails after {@code timeout}.
     *
     * @param diagnostics evaluated only on failure, appended to the message
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
        BACKING_OFF.until(what, timeout, condition, diagnostics);
    }

    /**
     * Observes a value until {@code accept} takes it, and returns that value; fails after {@code
     * timeout} with the last value observed.
     */
    public static <T> T value(String what, Duration timeout, Supplier<? extends T> observe, Predicate<? super T> accept) {
        return BACKING_OFF.value(what, timeout, observe, accept);
    }

    /** Waits with a fixed pause of {@code pause} between two checks. */
    public static Polling every(Duration pause) {
        if (pause.isNegative() || pause.isZero()) {
            throw new IllegalArgumentException("the pause must be positive: " + pause);
        }
        return new Polling(pause.toNanos());
    }

    /** The same waits as {@link Await}'s, with a fixed pause between two checks. */
    public static final class Polling {
        /** 0: back off from 1 ms to {@link #MAX_PAUSE}. */
        private final long pauseNanos;

        private Polling(long pauseNanos) {
            this.pauseNanos = pauseNanos;
        }

        /** As {@link Await#until(String, Duration, BooleanSupplier)}. */
        public void until(String what, Duration timeout, BooleanSupplier condition) {
            until(what, timeout, condition, null);
        }

        /** As {@link Await#until(String, Duration, BooleanSupplier, Supplier)}. */
        public void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
            Objects.requireNonNull(condition, "condition");
            poll(what, timeout, condition::getAsBoolean, Boolean::booleanValue, false, diagnostics);
        }

        /** As {@link Await#value(String, Duration, Supplier, Predicate)}. */
        public <T> T value(String what, Duration timeout, Supplier<? extends T> observe, Predicate<? super T> accept) {
            Objects.requireNonNull(observe, "observe");
            Objects.requireNonNull(accept, "accept");
            return poll(what, timeout, observe, accept, true, null);
        }

        private <T> T poll(String what, Duration timeout, Supplier<? extends T> observe, Predicate<? super T> accept,
                           boolean reportValue, Supplier<String> diagnostics) {
            Objects.requireNonNull(what, "what");
            long timeoutNanos = timeout.toNanos();
            long deadline = System.nanoTime() + timeoutNanos;
            long pause = pauseNanos > 0 ? pauseNanos : FIRST_PAUSE_NANOS;
            boolean observed = false;
            T last = null;
            RuntimeException lastError = null;
            while (true) {
                try {
                    T v = observe.get();
                    observed = true;
                    last = v;
                    if (accept.test(v)) {
                        return v;
                    }
                } catch (RuntimeException e) {
                    lastError = e;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    sleep(Math.min(pause, left));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting until " + what, e);
                }
                if (pauseNanos == 0) {
                    pause = Math.min(pause * 2, MAX_PAUSE.toNanos());
                }
            }
            StringBuilder msg = new StringBuilder("timed out after ").append(Duration.ofNanos(timeoutNanos).toMillis())
                    .append(" ms waiting until ").append(what);
            if (reportValue && observed) {
                msg.append("\n  last observed: ").append(last);
            }
            if (lastError != null) {
                msg.append("\n  last error: ").append(lastError);
            }
            String extra = diagnostics == null ? "" : safely(diagnostics);
            if (!extra.isBlank()) {
                msg.append('\n').append(extra);
            }
            throw new AssertionError(msg.toString(), lastError);
        }
    }

    private static void sleep(long nanos) throws InterruptedException {
        Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
    }

    private static String safely(Supplier<String> diagnostics) {
        try {
            return String.valueOf(diagnostics.get());
        } catch (RuntimeException e) {
            return "(diagnostics failed: " + e + ")";
        }
    }
}
