package org.wgkaraf.netif.tcp;

/**
 * What the application wrote and the peer has not acknowledged: the stream from SND.UNA on, sent
 * or not yet sent. Segments are cut from it when they are sent and again, possibly differently,
 * when they are retransmitted. Stream offset 0 is the first byte after our SYN.
 */
final class SendBuffer {
    private final ChunkRing ring;
    private final int capacity;
    /** The first byte not yet acknowledged. */
    private long head;
    /** One past the last byte written. */
    private long tail;

    SendBuffer(ChunkPool pool, int capacity) {
        this.ring = new ChunkRing(pool, capacity);
        this.capacity = capacity;
    }

    /**
     * Takes as much of {@code b[off, off + len)} as there is room for (per connection, and in the
     * pool's budget).
     *
     * @return the bytes taken; 0 when full
     */
    int write(byte[] b, int off, int len) {
        int n = Math.min(len, capacity - size());
        if (n <= 0) {
            return 0;
        }
        n = (int) (ring.ensure(tail, tail + n) - tail);
        ring.put(tail, b, off, n);
        tail += n;
        return n;
    }

    /** Copies bytes of the stream, which must lie in {@code [head, tail)}. */
    void copy(long offset, byte[] dst, int off, int len) {
        if (offset < head || offset + len > tail) {
            throw new IllegalArgumentException("bytes " + offset + "+" + len + " are not in the buffer [" + head + ", " + tail + ")");
        }
        ring.get(offset, dst, off, len);
    }

    /** The peer acknowledged everything before {@code offset}. */
    void acknowledge(long offset) {
        if (offset > head) {
            long to = Math.min(offset, tail);
            ring.release(head, to);
            head = to;
        }
    }

    long head() {
        return head;
    }

    long tail() {
        return tail;
    }

    int size() {
        return (int) (tail - head);
    }

    int free() {
        return capacity - size();
    }

    int capacity() {
        return capacity;
    }

    /** Chunks held now (for tests and status). */
    int chunks() {
        return ring.chunks();
    }

    /** Drops everything (reset, abort): the chunks go back to the pool. */
    void clear() {
        ring.releaseAll();
        head = tail;
    }
}
