package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.wgkaraf.netif.ip.DropReason;

/** Reassembly: data in any order anywhere in the window comes out in order, once; memory follows what is held. */
class ReceiveBufferTest {
    private static final int WINDOW = 1 << 20;
    private final ChunkPool pool = new ChunkPool(64L << 20);
    private final ReceiveBuffer buf = new ReceiveBuffer(pool, WINDOW, 64);
    private final byte[] stream = new byte[WINDOW];

    ReceiveBufferTest() {
        new Random(3).nextBytes(stream);
    }

    private ReceiveBuffer.Stored put(int from, int len) {
        return buf.store(from, stream, from, len);
    }

    @Test
    void inOrderDataBecomesReadable() {
        assertEquals(ReceiveBuffer.Stored.IN_ORDER, put(0, 1000));
        byte[] out = new byte[2000];
        assertEquals(1000, buf.read(out, 0, 2000));
        assertArrayEquals(Arrays.copyOf(stream, 1000), Arrays.copyOf(out, 1000));
    }

    @Test
    void rfc2018_theOutOfOrderQueueSpansTheWholeWindow() {
        assertEquals(ReceiveBuffer.Stored.OUT_OF_ORDER, put(WINDOW - 1024, 1024), "the very end of the window is kept");
        for (int s = WINDOW - 2048; s >= 1024; s -= 1024) {
            assertEquals(ReceiveBuffer.Stored.OUT_OF_ORDER, put(s, 1024)); // backwards: one range that grows
        }
        assertEquals(0, buf.readable());
        assertEquals(1, buf.outOfOrder().count());
        assertEquals(ReceiveBuffer.Stored.FILLED_HOLE, put(0, 1024));
        assertEquals(WINDOW, buf.readable(), "the whole window in order at once");
    }

    @Test
    void anyArrivalOrderComesOutInOrder() {
        ReceiveBuffer b = new ReceiveBuffer(pool, WINDOW, 2000);
        java.util.List<Integer> starts = new java.util.ArrayList<>();
        for (int s = 0; s < WINDOW; s += 1000) {
            starts.add(s);
        }
        java.util.Collections.shuffle(starts, new Random(1));
        for (int s : starts) {
            b.store(s, stream, s, Math.min(1000, WINDOW - s));
        }
        assertEquals(WINDOW, b.readable(), "every byte of the window is in order");
        byte[] out = new byte[WINDOW];
        assertEquals(WINDOW, b.read(out, 0, WINDOW));
        assertArrayEquals(stream, out);
    }

    @Test
    void rfc5681_4_2_dataFillingAGapIsReportedSoItIsAckedAtOnce() {
        put(2000, 1000);
        assertEquals(ReceiveBuffer.Stored.FILLED_HOLE, put(0, 2000));
        assertEquals(3000, buf.readable(), "the gap filled and the out-of-order range joined");
        assertEquals(0, buf.outOfOrder().count());
    }

    @Test
    void rfc2883_dataReceivedTwiceIsADuplicateWithItsRange() {
        put(0, 1000);
        assertEquals(ReceiveBuffer.Stored.DUPLICATE, put(0, 1000));
        assertEquals(0, buf.lastStart());
        assertEquals(1000, buf.lastEnd());
        put(3000, 1000);
        assertEquals(ReceiveBuffer.Stored.DUPLICATE, put(3000, 500), "held beyond the gap already");
    }

    @Test
    void dataBeyondTheWindowIsDroppedAndCounted() {
        assertEquals(ReceiveBuffer.Stored.DROPPED, buf.store(WINDOW, new byte[10], 0, 10));
        assertEquals(DropReason.TCP_OUT_OF_WINDOW, buf.dropReason());
    }

    @Test
    void rfc2018_4_rangesAreReportedMostRecentFirst() {
        put(10_000, 100);
        put(20_000, 100);
        put(30_000, 100);
        put(10_100, 100); // the first range grows last
        long[] s = new long[3];
        long[] e = new long[3];
        assertEquals(3, buf.outOfOrder().mostRecent(3, s, e));
        assertEquals(10_000, s[0]);
        assertEquals(10_200, e[0]);
        assertEquals(30_000, s[1]);
        assertEquals(20_000, s[2]);
    }

    @Test
    void tooManyGapsDropTheSegmentThatWouldAddOne() {
        ReceiveBuffer small = new ReceiveBuffer(pool, WINDOW, 2);
        small.store(1000, stream, 1000, 10);
        small.store(3000, stream, 3000, 10);
        assertEquals(ReceiveBuffer.Stored.DROPPED, small.store(5000, stream, 5000, 10));
        assertEquals(DropReason.TCP_OUT_OF_ORDER_LIMIT, small.dropReason());
        assertEquals(ReceiveBuffer.Stored.OUT_OF_ORDER, small.store(1010, stream, 1010, 10), "growing a range is fine");
    }

    @Test
    void memoryIsTakenAsDataArrivesAndGivenBackAsItIsRead() {
        assertEquals(0, pool.bytesInUse());
        put(0, 100_000);
        assertEquals(7 * ChunkPool.CHUNK, pool.bytesInUse(), "100 000 bytes in 16 KiB chunks");
        byte[] out = new byte[100_000];
        buf.read(out, 0, 100_000);
        assertEquals(ChunkPool.CHUNK, pool.bytesInUse(), "only the chunk the next byte falls in");
        buf.discard();
        assertEquals(0, pool.bytesInUse());
    }

    @Test
    void whenTheBudgetIsSpentDataIsDroppedNotStored() {
        ReceiveBuffer tight = new ReceiveBuffer(new ChunkPool(ChunkPool.CHUNK), WINDOW, 8);
        assertEquals(ReceiveBuffer.Stored.IN_ORDER, tight.store(0, stream, 0, ChunkPool.CHUNK));
        assertEquals(ReceiveBuffer.Stored.DROPPED, tight.store(ChunkPool.CHUNK, stream, ChunkPool.CHUNK, 10));
        assertEquals(DropReason.TCP_MEMORY_LIMIT, tight.dropReason());
    }
}
