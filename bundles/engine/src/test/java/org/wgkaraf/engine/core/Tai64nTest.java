package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class Tai64nTest {

    private static final long SECOND = 1_000_000_000L;

    private static byte[] next(Tai64n t) {
        byte[] out = new byte[12];
        t.now(out, 0);
        return out;
    }

    private static long seconds(byte[] stamp) {
        return ByteBuffer.wrap(stamp, 0, 8).getLong();
    }

    private static int nanos(byte[] stamp) {
        return ByteBuffer.wrap(stamp, 8, 4).getInt();
    }

    @Test
    void formatOfAKnownUnixTime() {
        // 2023-11-14T22:13:20.123456789Z. Seconds: 1_700_000_000 = 0x6553F100, plus 2^62 + 10
        // = 0x400000006553F10A. Nanoseconds: 123_456_789 = 0x075BCD15, rounded down to a
        // multiple of 2^24 = 0x07000000.
        Tai64n t = new Tai64n(() -> 1_700_000_000L * SECOND + 123_456_789L);
        byte[] out = new byte[16];
        t.now(out, 2);
        assertArrayEquals(new byte[] {0, 0,
                0x40, 0x00, 0x00, 0x00, 0x65, 0x53, (byte) 0xF1, 0x0A,
                0x07, 0x00, 0x00, 0x00,
                0, 0}, out);
    }

    @Test
    void formatOfTheUnixEpoch() {
        Tai64n t = new Tai64n(() -> 0L);
        assertArrayEquals(new byte[] {0x40, 0, 0, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0}, next(t));
    }

    @Test
    void nanosecondsAreRoundedDownToMultiplesOfTwoToTheTwentyFour() {
        AtomicLong clock = new AtomicLong(1_600_000_000L * SECOND);
        Tai64n t = new Tai64n(clock::get);
        Random rnd = new Random(24);
        for (int i = 0; i < 1000; i++) {
            // Steps longer than the rounding unit, so the whitened value always moves forward.
            clock.addAndGet((1 << 24) + rnd.nextInt(500_000_000));
            byte[] stamp = next(t);
            long trueNanos = clock.get() % SECOND;
            int issued = nanos(stamp);
            assertEquals(0, issued & ((1 << 24) - 1), "whitened nanoseconds " + issued);
            assertTrue(issued <= trueNanos && trueNanos - issued < (1 << 24));
            assertEquals((1L << 62) + 10 + clock.get() / SECOND, seconds(stamp));
        }
        Tai64n fresh = new Tai64n(() -> 1_600_000_000L * SECOND + 999_999_999L);
        assertEquals(0x3B000000, nanos(next(fresh)), "999_999_999 = 0x3B9AC9FF rounds to 0x3B000000");
    }

    @Test
    void strictlyIncreasingWithAFrozenClock() {
        Tai64n t = new Tai64n(() -> 1_700_000_000L * SECOND + 5);
        byte[] previous = next(t);
        assertEquals(0, nanos(previous));
        for (int i = 1; i <= 10_000; i++) {
            byte[] stamp = next(t);
            assertTrue(Tai64n.compare(stamp, 0, previous, 0) > 0, "call " + i);
            assertEquals(i, nanos(stamp), "one nanosecond past the last");
            previous = stamp;
        }
    }

    @Test
    void strictlyIncreasingWhenTheClockStepsBack() {
        AtomicLong clock = new AtomicLong(1_700_000_000L * SECOND);
        Tai64n t = new Tai64n(clock::get);
        byte[] before = next(t);
        clock.addAndGet(-3600 * SECOND);
        byte[] after = next(t);
        assertTrue(Tai64n.compare(after, 0, before, 0) > 0);
        assertEquals(seconds(before), seconds(after));
        assertEquals(nanos(before) + 1, nanos(after));
        clock.set(1_700_000_001L * SECOND + 50_000_000L);
        byte[] recovered = next(t);
        assertEquals(seconds(before) + 1, seconds(recovered), "the wall clock is used again once past");
        assertEquals(50_000_000 & ~((1 << 24) - 1), nanos(recovered));
    }

    @Test
    void advanceToAFarFloorMakesLaterStampsGreater() {
        Tai64n t = new Tai64n(() -> 1_700_000_000L * SECOND);
        byte[] floor = new byte[12];
        ByteBuffer.wrap(floor).putLong((1L << 62) + 10 + 2_000_000_000L).putInt(999_999_999);
        t.advanceTo(floor, 0);
        byte[] last = new byte[12];
        t.last(last, 0);
        assertArrayEquals(floor, last);
        byte[] stamp = next(t);
        assertTrue(Tai64n.compare(stamp, 0, floor, 0) > 0);
        assertEquals(seconds(floor) + 1, seconds(stamp), "carries into the seconds");
        assertEquals(0, nanos(stamp));
        t.last(last, 0);
        assertArrayEquals(stamp, last);

        byte[] lower = new byte[12];
        ByteBuffer.wrap(lower).putLong((1L << 62) + 10 + 1_800_000_000L).putInt(0);
        t.advanceTo(lower, 0);
        t.last(last, 0);
        assertArrayEquals(stamp, last, "a lower floor changes nothing");
    }

    @Test
    void advanceToRejectsNanosecondsBeyondASecond() {
        Tai64n t = new Tai64n(() -> 0L);
        byte[] bad = new byte[12];
        ByteBuffer.wrap(bad).putLong(1L << 62).putInt(1_000_000_000);
        assertThrows(IllegalArgumentException.class, () -> t.advanceTo(bad, 0));
    }

    @Test
    void lastIsZeroBeforeAnyStamp() {
        Tai64n t = new Tai64n(() -> 1_700_000_000L * SECOND);
        byte[] last = new byte[12];
        last[3] = 7;
        t.last(last, 0);
        assertArrayEquals(new byte[12], last);
    }

    @Test
    void compareIsUnsignedBytewise() {
        byte[] a = new byte[14];
        byte[] b = new byte[12];
        a[2] = (byte) 0x80;
        b[0] = 0x7F;
        assertTrue(Tai64n.compare(a, 2, b, 0) > 0);
        assertTrue(Tai64n.compare(b, 0, a, 2) < 0);
        b[0] = (byte) 0x80;
        assertEquals(0, Tai64n.compare(a, 2, b, 0));
        a[13] = 1;
        assertTrue(Tai64n.compare(a, 2, b, 0) > 0, "the last nanosecond byte counts");
    }

    @Test
    void concurrentCallersNeverGetTheSameStamp() throws Exception {
        Tai64n t = new Tai64n(() -> 1_700_000_000L * SECOND);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                results.add(pool.submit(() -> {
                    List<String> stamps = new ArrayList<>();
                    for (int i = 0; i < 5000; i++) {
                        stamps.add(java.util.HexFormat.of().formatHex(next(t)));
                    }
                    return stamps;
                }));
            }
            Set<String> all = new HashSet<>();
            for (Future<List<String>> f : results) {
                all.addAll(f.get(30, TimeUnit.SECONDS));
            }
            assertEquals(20_000, all.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFloorSavedIsTheTimestampSentNeverOneAheadOfIt() {
        AtomicLong wall = new AtomicLong(1_700_000_000L * SECOND);
        AtomicLong mono = new AtomicLong();
        List<byte[]> saves = new ArrayList<>();
        Tai64n t = new Tai64n(wall::get);
        t.persistTo(saves::add, java.time.Duration.ofMinutes(1), mono::get);

        byte[] first = next(t);
        assertEquals(1, saves.size(), "the first timestamp is saved before it goes out");
        assertArrayEquals(first, saves.get(0), "the floor is the timestamp itself");
        wall.addAndGet(30 * SECOND);
        mono.addAndGet(30 * SECOND);
        byte[] second = next(t);
        assertEquals(1, saves.size(), "no second write within the minute");
        wall.addAndGet(31 * SECOND);
        mono.addAndGet(31 * SECOND);
        byte[] third = next(t);
        assertEquals(2, saves.size());
        assertArrayEquals(third, saves.get(1));
        t.flush();
        assertEquals(2, saves.size(), "nothing newer than the last save to flush");
        assertTrue(Tai64n.compare(second, 0, third, 0) < 0);
    }

    @Test
    void restartsWithTheClockRightKeepTimestampsOnTheWallClock() {
        AtomicLong wall = new AtomicLong(1_700_000_000L * SECOND);
        AtomicLong mono = new AtomicLong();
        List<byte[]> saves = new ArrayList<>();
        byte[] floor = null;
        for (int restart = 0; restart < 5; restart++) {
            Tai64n t = new Tai64n(wall::get);
            if (floor != null) {
                t.advanceTo(floor, 0);
            }
            t.persistTo(saves::add, java.time.Duration.ofMinutes(1), mono::get);
            byte[] sent = next(t);
            Tai64n reference = new Tai64n(wall::get);
            assertEquals(seconds(next(reference)), seconds(sent), "restart " + restart + ": on the wall clock, not ahead");
            t.flush();
            floor = saves.get(saves.size() - 1);
            wall.addAndGet(10 * SECOND);
            mono.addAndGet(10 * SECOND);
        }
    }

    @Test
    void flushSavesTheLastTimestampIssuedSinceTheLastWrite() {
        AtomicLong wall = new AtomicLong(1_700_000_000L * SECOND);
        List<byte[]> saves = new ArrayList<>();
        Tai64n t = new Tai64n(wall::get);
        t.persistTo(saves::add, java.time.Duration.ofMinutes(1), () -> 0L);
        next(t);
        wall.addAndGet(SECOND);
        byte[] last = next(t);
        t.flush();
        assertArrayEquals(last, saves.get(saves.size() - 1));
    }
}
