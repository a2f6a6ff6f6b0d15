package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    private static final long REJECT = ReplayWindow.REJECT_AFTER_MESSAGES;
    private static final long WINDOW = ReplayWindow.WINDOW_SIZE;
    private static final long LIM = WINDOW + 1;

    /** One call of the kernel's table: the counter offered and whether it must be accepted. */
    private record Step(long counter, boolean accepted) {
    }

    private static Step t(long counter, boolean accepted) {
        return new Step(counter, accepted);
    }

    private static void run(ReplayWindow w, String name, List<Step> steps) {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            assertEquals(s.accepted(), w.accept(s.counter(), REJECT),
                    name + " step " + (i + 1) + ": counter " + Long.toUnsignedString(s.counter()));
        }
    }

    @Test
    void acceptedAnyIsTrueOnlyAfterAnAcceptanceAndUntilAReset() {
        ReplayWindow w = new ReplayWindow();
        assertFalse(w.acceptedAny());
        assertTrue(w.check(0));
        assertFalse(w.acceptedAny(), "a check records nothing");
        assertTrue(w.accept(0, REJECT)); // counter 0, the first packet of a session
        assertTrue(w.acceptedAny());
        w.reset();
        assertFalse(w.acceptedAny());
        assertFalse(w.accept(REJECT, REJECT));
        assertFalse(w.acceptedAny(), "a refused counter records nothing");
    }

    @Test
    void whitepaperLimitIsTwoToTheSixtyFourMinusTwoToTheThirteenMinusOne() {
        assertEquals("18446744073709543423", Long.toUnsignedString(REJECT));
        assertEquals(8128, ReplayWindow.WINDOW_SIZE);
    }

    // The cases of the Linux kernel's drivers/net/wireguard/selftest/counter.c, in its order.
    @Test
    void kernelSelftestSequence() {
        run(new ReplayWindow(), "sequence", List.of(
                t(0, true), t(1, true), t(1, false), t(9, true), t(8, true), t(7, true), t(7, false),
                t(LIM, true), t(LIM - 1, true), t(LIM - 1, false), t(LIM - 2, true),
                t(2, true), t(2, false), t(LIM + 16, true), t(3, false), t(LIM + 16, false),
                t(LIM * 4, true), t(LIM * 4 - (LIM - 1), true), t(10, false),
                t(LIM * 4 - LIM, false), t(LIM * 4 - (LIM + 1), false),
                t(LIM * 4 - (LIM - 2), true), t(LIM * 4 + 1 - LIM, false), t(0, false),
                t(REJECT, false), t(REJECT - 1, true), t(REJECT, false), t(REJECT - 1, false),
                t(REJECT - 2, true), t(REJECT + 1, false), t(REJECT + 2, false),
                t(REJECT - 2, false), t(REJECT - 3, true), t(0, false)));
    }

    @Test
    void kernelSelftestAscendingFullWindowThenZero() {
        List<Step> steps = new ArrayList<>();
        for (long i = 1; i <= WINDOW; i++) {
            steps.add(t(i, true));
        }
        steps.add(t(0, true));
        steps.add(t(0, false));
        run(new ReplayWindow(), "ascending from 1", steps);
    }

    @Test
    void kernelSelftestAscendingFromTwoThenOneThenZero() {
        List<Step> steps = new ArrayList<>();
        for (long i = 2; i <= WINDOW + 1; i++) {
            steps.add(t(i, true));
        }
        steps.add(t(1, true));
        steps.add(t(0, false));
        run(new ReplayWindow(), "ascending from 2", steps);
    }

    @Test
    void kernelSelftestDescendingWholeWindow() {
        List<Step> steps = new ArrayList<>();
        for (long i = WINDOW + 1; i-- > 0; ) {
            steps.add(t(i, true));
        }
        run(new ReplayWindow(), "descending to 0", steps);
    }

    @Test
    void kernelSelftestDescendingOnePastTheWindow() {
        List<Step> steps = new ArrayList<>();
        for (long i = WINDOW + 2; i-- > 1; ) {
            steps.add(t(i, true));
        }
        steps.add(t(0, false));
        run(new ReplayWindow(), "descending to 1", steps);
    }

    @Test
    void kernelSelftestDescendingThenTopAgainThenZero() {
        List<Step> steps = new ArrayList<>();
        for (long i = WINDOW + 1; i-- > 1; ) {
            steps.add(t(i, true));
        }
        steps.add(t(WINDOW + 1, true));
        steps.add(t(0, false));
        run(new ReplayWindow(), "descending, new top", steps);
    }

    @Test
    void kernelSelftestDescendingThenZeroThenTop() {
        List<Step> steps = new ArrayList<>();
        for (long i = WINDOW + 1; i-- > 1; ) {
            steps.add(t(i, true));
        }
        steps.add(t(0, true));
        steps.add(t(WINDOW + 1, true));
        run(new ReplayWindow(), "descending, zero, new top", steps);
    }

    @Test
    void checkReportsWithoutRecording() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.check(5));
        assertTrue(w.check(5));
        assertTrue(w.accept(5, REJECT));
        assertFalse(w.check(5));
        assertTrue(w.check(4));
        assertFalse(w.check(REJECT));
        assertFalse(w.check(7, 7), "a counter at the caller's limit is refused");
        assertTrue(w.check(6, 7));
    }

    @Test
    void resetForgetsEverything() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.accept(100_000, REJECT));
        assertFalse(w.accept(0, REJECT));
        w.reset();
        assertTrue(w.accept(0, REJECT));
        assertTrue(w.accept(100_000, REJECT));
    }

    @Test
    void jumpFarAheadClearsBitsThatAliasIntoTheNewWindow() {
        ReplayWindow w = new ReplayWindow();
        for (long i = 0; i < 200; i++) {
            assertTrue(w.accept(i, REJECT));
        }
        // 8192 + i falls on the same bit of the ring as i: it must read as unseen.
        long top = ReplayWindow.BITS_TOTAL + 150;
        assertTrue(w.accept(top, REJECT));
        for (long i = top - WINDOW; i < top; i++) {
            assertTrue(w.check(i), "counter " + i);
        }
        assertFalse(w.check(top - WINDOW - 1));
        assertTrue(w.accept(ReplayWindow.BITS_TOTAL + 5, REJECT));
        assertFalse(w.accept(ReplayWindow.BITS_TOTAL + 5, REJECT));
    }

    /**
     * Counters 0..n-1, each delivered at its own index plus a random delay below the window, a few
     * lost, some duplicated later: every first delivery is accepted, every repeat refused, and the
     * lost ones are refused once the window has moved past them.
     */
    @Test
    void reorderedWithinWindowAcceptedOnceDuplicatesAndStaleRefused() {
        Random rnd = new Random(6479);
        int n = 200_000;
        int maxDelay = (int) WINDOW - 1;
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            // Sort key in the high bits, counter in the low 32 bits.
            long key = i + (long) rnd.nextInt(maxDelay + 1);
            order[i] = (key << 32) | i;
        }
        java.util.Arrays.sort(order);
        Set<Long> lost = new HashSet<>();
        ReplayWindow w = new ReplayWindow();
        List<Long> delivered = new ArrayList<>();
        long highest = -1;
        int duplicates = 0;
        for (long entry : order) {
            long c = entry & 0xffff_ffffL;
            if (rnd.nextInt(100) == 0) {
                lost.add(c);
                continue;
            }
            assertTrue(c > highest - WINDOW, "the test's displacement bound");
            assertTrue(w.accept(c, REJECT), "first delivery of " + c);
            delivered.add(c);
            highest = Math.max(highest, c);
            if (rnd.nextInt(10) == 0) {
                long again = delivered.get(rnd.nextInt(delivered.size()));
                assertFalse(w.check(again), "duplicate " + again);
                assertFalse(w.accept(again, REJECT), "duplicate " + again);
                duplicates++;
            }
        }
        assertTrue(duplicates > 10_000 && lost.size() > 1_000, "the test exercised both paths");
        long finalHighest = highest;
        for (long c : lost) {
            boolean inWindow = c >= finalHighest - WINDOW;
            assertEquals(inWindow, w.accept(c, REJECT), "late delivery of lost counter " + c);
        }
    }

    /** Random offers against a plain model: a set of seen counters and the highest one. */
    @Test
    void agreesWithModelOnRandomOffers() {
        Random rnd = new Random(42);
        ReplayWindow w = new ReplayWindow();
        Set<Long> seen = new HashSet<>();
        long highest = -1;
        for (int i = 0; i < 300_000; i++) {
            long base = Math.max(highest, 0);
            long c = switch (rnd.nextInt(4)) {
                case 0 -> base + rnd.nextInt(100);
                case 1 -> Math.max(0, base - rnd.nextInt((int) WINDOW + 200));
                case 2 -> base + rnd.nextInt(3 * ReplayWindow.BITS_TOTAL);
                default -> Math.max(0, base - rnd.nextInt(64));
            };
            boolean expected = !seen.contains(c) && (highest < 0 || c >= highest - WINDOW);
            assertEquals(expected, w.check(c), "check " + c);
            assertEquals(expected, w.accept(c, REJECT), "accept " + c + " at offer " + i);
            if (expected) {
                seen.add(c);
                highest = Math.max(highest, c);
            }
        }
    }
}
