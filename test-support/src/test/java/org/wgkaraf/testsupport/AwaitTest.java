package org.wgkaraf.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AwaitTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private final AtomicInteger checks = new AtomicInteger();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aConditionThatHoldsIsCheckedOnce() {
        Await.until("true", LONG, () -> checks.incrementAndGet() > 0);
        assertEquals(1, checks.get());
    }

    @Test
    void aConditionIsCheckedAgainUntilItHolds() {
        Await.until("the third check", LONG, () -> checks.incrementAndGet() == 3);
        assertEquals(3, checks.get());
    }

    @Test
    void theFailureSaysWhatWasAwaitedAndAfterHowLong() {
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until("the moon turns blue", Duration.ofMillis(50), () -> false));
        assertEquals("timed out after 50 ms waiting until the moon turns blue", e.getMessage());
    }

    @Test
    void theDeadlineIsKept() {
        long start = System.nanoTime();
        assertThrows(AssertionError.class, () -> Await.until("never", Duration.ofMillis(200), () -> false));
        assertTrue(System.nanoTime() - start >= 200_000_000L, "failed before the deadline");
    }

    @Test
    void theConditionIsCheckedOnceMoreAtTheDeadline() {
        long start = System.nanoTime();
        Duration timeout = Duration.ofMillis(150);
        Await.until("the deadline", timeout, () -> System.nanoTime() - start >= timeout.toNanos());
    }

    @Test
    void diagnosticsAreAppendedOnFailureOnly() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.until("never", Duration.ofMillis(10), () -> false, () -> "state: 42"));
        assertEquals("timed out after 10 ms waiting until never\nstate: 42", e.getMessage());

        Await.until("at once", LONG, () -> true, () -> {
            throw new AssertionError("diagnostics evaluated on success");
        });
    }

    @Test
    void diagnosticsThatThrowDoNotHideTheFailure() {
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until("never", Duration.ofMillis(10), () -> false, () -> {
            throw new IllegalStateException("broken");
        }));
        assertTrue(e.getMessage().startsWith("timed out after 10 ms waiting until never\n(diagnostics failed: "), e.getMessage());
    }

    @Test
    void aCheckThatThrowsCountsAsNotYet() {
        Await.until("the second check", LONG, () -> {
            if (checks.incrementAndGet() == 1) {
                throw new IllegalStateException("not ready");
            }
            return true;
        });
        assertEquals(2, checks.get());
    }

    @Test
    void theLastExceptionIsReportedAsTheCause() {
        IllegalStateException failure = new IllegalStateException("wg show failed");
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until("a peer", Duration.ofMillis(10), () -> {
            throw failure;
        }));
        assertSame(failure, e.getCause());
        assertTrue(e.getMessage().contains("\n  last error: java.lang.IllegalStateException: wg show failed"), e.getMessage());
    }

    @Test
    void anErrorEndsTheWaitAtOnce() {
        AssertionError stop = new AssertionError("seen enough");
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until("never", LONG, () -> {
            checks.incrementAndGet();
            throw stop;
        }));
        assertSame(stop, e);
        assertEquals(1, checks.get());
    }

    @Test
    void valueReturnsTheValueAccepted() {
        int v = Await.value("three", LONG, checks::incrementAndGet, n -> n >= 3);
        assertEquals(3, v);
    }

    @Test
    void valueReportsTheLastValueObserved() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.value("a negative count", Duration.ofMillis(30), checks::incrementAndGet, n -> n < 0));
        assertEquals("timed out after 30 ms waiting until a negative count\n  last observed: " + checks.get(), e.getMessage());
    }

    @Test
    void valueReportsNoValueWhenNoneWasObserved() {
        AssertionError e = assertThrows(AssertionError.class, () -> Await.value("a value", Duration.ofMillis(10), () -> {
            throw new IllegalStateException("nothing yet");
        }, v -> true));
        assertFalse(e.getMessage().contains("last observed"), e.getMessage());
        assertTrue(e.getMessage().contains("last error"), e.getMessage());
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        Thread.currentThread().interrupt();
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until("never", LONG, () -> false));
        assertEquals("interrupted while waiting until never", e.getMessage());
        assertTrue(Thread.currentThread().isInterrupted());
        assertTrue(e.getCause() instanceof InterruptedException);
    }

    @Test
    void anInterruptFromAnotherThreadEndsTheWait() throws Exception {
        Thread waiter = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            Await.until("the waiter checked", LONG, () -> checks.get() > 0);
            waiter.interrupt();
        });
        interrupter.start();
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until("never", LONG, () -> checks.incrementAndGet() < 0));
        assertTrue(e.getMessage().startsWith("interrupted"), e.getMessage());
        assertTrue(Thread.interrupted());
        interrupter.join();
    }

    @Test
    void theDefaultPauseBacksOffToTwentyMilliseconds() {
        assertThrows(AssertionError.class, () -> Await.until("never", Duration.ofMillis(300), () -> checks.incrementAndGet() < 0));
        // At once, after 1, 2, 4, 8 and 16 ms, then every 20 ms: at most 21 checks in 300 ms.
        assertTrue(checks.get() <= 21, checks.get() + " checks in 300 ms");
    }

    @Test
    void everySetsAFixedPause() {
        assertThrows(AssertionError.class,
                () -> Await.every(Duration.ofMillis(100)).until("never", Duration.ofMillis(250), () -> checks.incrementAndGet() < 0));
        // At 0, 100 and 200 ms, and at the deadline.
        assertTrue(checks.get() <= 4, checks.get() + " checks in 250 ms");
        assertTrue(checks.get() >= 2, "checked at once and at the deadline");
    }

    @Test
    void everyRefusesAPauseThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> Await.every(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Await.every(Duration.ofMillis(-1)));
    }
}
