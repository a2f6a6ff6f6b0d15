package org.wgkaraf.netif.tcp;

import org.wgkaraf.netif.ip.DropReason;

/**
 * What arrived and the application has not read, with reassembly: a ring over the stream from the
 * next byte to read, {@code capacity} wide, which is also the widest window we offer. Data in
 * order extends the readable part; data beyond a gap is stored at its place right away, anywhere
 * in the window, and its range remembered, so the out-of-order queue spans the whole window at no
 * cost beyond the bytes themselves. Stream offset 0 is the first byte after the peer's SYN.
 */
final class ReceiveBuffer {
    /** What {@link #store} made of a segment's data. */
    enum Stored {
        /** In order: the readable part grew (and may have swallowed out-of-order ranges). */
        IN_ORDER,
        /** In order while data beyond a gap is held: a hole was filled, wholly or in part (RFC 5681 4.2: ACK at once). */
        FILLED_HOLE,
        /** Beyond a gap: kept for later. */
        OUT_OF_ORDER,
        /** Every byte was here already. */
        DUPLICATE,
        /** Not kept: see {@link #dropReason()}. */
        DROPPED
    }

    private final ChunkRing ring;
    private final int capacity;
    private final OutOfOrderRanges outOfOrder;
    /** The next byte the application reads. */
    private long user;
    /** One past the in-order data: RCV.NXT as a stream offset. */
    private long next;
    private DropReason dropReason;
    /** The range of the last segment stored beyond a gap, or of the last duplicate (D-SACK). */
    private long lastStart;
    private long lastEnd;

    ReceiveBuffer(ChunkPool pool, int capacity, int maxRanges) {
        this.ring = new ChunkRing(pool, capacity);
        this.capacity = capacity;
        this.outOfOrder = new OutOfOrderRanges(maxRanges);
    }

    /**
     * Stores the data {@code b[off, off + len)} whose first byte is at stream offset
     * {@code offset}. Only the part within {@code [next, user + capacity)} is kept; the caller
     * trims what lies outside the window it offered, this is the last line of defence.
     */
    Stored store(long offset, byte[] b, int off, int len) {
        long segmentEnd = offset + len;
        if (segmentEnd <= next) {
            lastStart = offset;
            lastEnd = segmentEnd;
            return Stored.DUPLICATE;
        }
        long s = Math.max(offset, next);
        long e = Math.min(segmentEnd, user + capacity);
        if (e <= s) {
            dropReason = DropReason.TCP_OUT_OF_WINDOW;
            return Stored.DROPPED;
        }
        if (s > next && outOfOrder.covers(s, e)) {
            lastStart = s;
            lastEnd = e;
            return Stored.DUPLICATE;
        }
        if (ring.ensure(s, e) < e) {
            dropReason = DropReason.TCP_MEMORY_LIMIT;
            return Stored.DROPPED;
        }
        if (s > next) {
            if (!outOfOrder.add(s, e)) {
                dropReason = DropReason.TCP_OUT_OF_ORDER_LIMIT;
                return Stored.DROPPED; // its chunks are reused when the gap fills, or freed on close
            }
            ring.put(s, b, off + (int) (s - offset), (int) (e - s));
            lastStart = s;
            lastEnd = e;
            return Stored.OUT_OF_ORDER;
        }
        ring.put(s, b, off + (int) (s - offset), (int) (e - s));
        boolean hadGap = !outOfOrder.isEmpty();
        next = outOfOrder.advance(e);
        return hadGap ? Stored.FILLED_HOLE : Stored.IN_ORDER;
    }

    /**
     * Copies readable bytes out.
     *
     * @return the bytes copied, 0 when none is readable
     */
    int read(byte[] b, int off, int len) {
        int n = (int) Math.min(len, next - user);
        if (n <= 0) {
            return 0;
        }
        ring.get(user, b, off, n);
        ring.release(user, user + n);
        user += n;
        return n;
    }

    /** Bytes in order, not yet read. */
    int readable() {
        return (int) (next - user);
    }

    /** Room after the in-order data: the window we can offer from RCV.NXT. */
    int window() {
        return capacity - readable();
    }

    long next() {
        return next;
    }

    long user() {
        return user;
    }

    int capacity() {
        return capacity;
    }

    OutOfOrderRanges outOfOrder() {
        return outOfOrder;
    }

    boolean hasOutOfOrder() {
        return !outOfOrder.isEmpty();
    }

    /** Why the last {@link Stored#DROPPED} was dropped. */
    DropReason dropReason() {
        return dropReason;
    }

    long lastStart() {
        return lastStart;
    }

    long lastEnd() {
        return lastEnd;
    }

    /** Skips what was received and not read (the application closed its input): frees its memory. */
    void discard() {
        ring.releaseAll();
        outOfOrder.clear();
        user = next;
    }

    int chunks() {
        return ring.chunks();
    }
}
