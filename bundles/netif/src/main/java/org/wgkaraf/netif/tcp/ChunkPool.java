package org.wgkaraf.netif.tcp;

/**
 * The memory every connection's send and receive buffers are made of: fixed-size chunks, taken as
 * data arrives and given back as soon as it is acknowledged or read, within one budget for the
 * whole layer. A connection therefore costs memory only for the bytes it holds, and no peer can
 * make the layer hold more than the budget. Freed chunks are kept for reuse, so a busy connection
 * allocates nothing once warm. Thread-safe; the lock is held for a few instructions and nothing
 * is called under it.
 */
final class ChunkPool {
    static final int CHUNK_SHIFT = 14;
    /** 16 KiB: twelve full segments, and small enough that an idle connection holds little. */
    static final int CHUNK = 1 << CHUNK_SHIFT;

    /** Free chunks kept for reuse (4 MiB); beyond that they go to the collector. */
    private static final int KEPT = 256;

    private final int budgetChunks;
    private final byte[][] free;
    private int freeCount;
    private int inUse;

    /** @param budgetBytes the most bytes all buffers together may hold */
    ChunkPool(long budgetBytes) {
        this.budgetChunks = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / CHUNK));
        this.free = new byte[Math.min(budgetChunks, KEPT)][];
    }

    /** A chunk (its content is whatever the last user left), or null when the budget is spent. */
    synchronized byte[] take() {
        if (inUse >= budgetChunks) {
            return null;
        }
        inUse++;
        if (freeCount > 0) {
            byte[] c = free[--freeCount];
            free[freeCount] = null;
            return c;
        }
        return new byte[CHUNK];
    }

    synchronized void give(byte[] chunk) {
        inUse--;
        if (freeCount < free.length) {
            free[freeCount++] = chunk;
        }
    }

    /** Bytes held by buffers now. */
    synchronized long bytesInUse() {
        return (long) inUse * CHUNK;
    }

    long budgetBytes() {
        return (long) budgetChunks * CHUNK;
    }
}
