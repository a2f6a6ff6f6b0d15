package org.wgkaraf.netif.tcp;

/**
 * Bytes of a stream held over a sliding range of stream offsets, at most {@code capacity} wide,
 * in chunks of the {@link ChunkPool}: a chunk exists only while some byte of the range it covers
 * is held. Offsets are longs that only grow (a connection may carry more than 4 GiB).
 */
final class ChunkRing {
    private final ChunkPool pool;
    private final byte[][] slots;

    /** @param capacity the widest range ever held */
    ChunkRing(ChunkPool pool, int capacity) {
        this.pool = pool;
        // A range of capacity bytes touches at most capacity/CHUNK + 1 chunks; one more slot
        // keeps two live chunks from ever sharing a slot.
        this.slots = new byte[capacity / ChunkPool.CHUNK + 2][];
    }

    private int slot(long chunkNumber) {
        return (int) (chunkNumber % slots.length);
    }

    /**
     * Makes sure chunks exist for {@code [from, to)}.
     *
     * @return the end of the part from {@code from} that has chunks: {@code to}, or less when the
     *         pool's budget ran out
     */
    long ensure(long from, long to) {
        long c = from >>> ChunkPool.CHUNK_SHIFT;
        long last = (to - 1) >>> ChunkPool.CHUNK_SHIFT;
        for (; to > from && c <= last; c++) {
            int s = slot(c);
            if (slots[s] == null) {
                byte[] chunk = pool.take();
                if (chunk == null) {
                    return Math.max(from, c << ChunkPool.CHUNK_SHIFT);
                }
                slots[s] = chunk;
            }
        }
        return to;
    }

    /** Copies {@code len} bytes in at {@code offset}; the chunks must exist ({@link #ensure}). */
    void put(long offset, byte[] src, int off, int len) {
        while (len > 0) {
            int in = (int) (offset & (ChunkPool.CHUNK - 1));
            int n = Math.min(len, ChunkPool.CHUNK - in);
            System.arraycopy(src, off, slots[slot(offset >>> ChunkPool.CHUNK_SHIFT)], in, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    /** Copies {@code len} bytes out from {@code offset}. */
    void get(long offset, byte[] dst, int off, int len) {
        while (len > 0) {
            int in = (int) (offset & (ChunkPool.CHUNK - 1));
            int n = Math.min(len, ChunkPool.CHUNK - in);
            System.arraycopy(slots[slot(offset >>> ChunkPool.CHUNK_SHIFT)], in, dst, off, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    /** The bytes of {@code [from, to)} are no longer held: gives back every chunk that now holds none. */
    void release(long from, long to) {
        long first = from >>> ChunkPool.CHUNK_SHIFT; // the chunk holding from was kept for it alone
        long end = to >>> ChunkPool.CHUNK_SHIFT; // chunks below this one end at or before to
        for (long c = first; c < end; c++) {
            int s = slot(c);
            if (slots[s] != null) {
                pool.give(slots[s]);
                slots[s] = null;
            }
        }
    }

    /** Gives every chunk back. */
    void releaseAll() {
        for (int s = 0; s < slots.length; s++) {
            if (slots[s] != null) {
                pool.give(slots[s]);
                slots[s] = null;
            }
        }
    }

    /** Chunks held now (for tests and status). */
    int chunks() {
        int n = 0;
        for (byte[] s : slots) {
            if (s != null) {
                n++;
            }
        }
        return n;
    }
}
