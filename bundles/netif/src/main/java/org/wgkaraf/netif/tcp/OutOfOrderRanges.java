package org.wgkaraf.netif.tcp;

/**
 * The ranges of stream offsets received beyond the next expected byte: disjoint, sorted, never
 * adjacent (touching ranges are merged), at most {@code limit} of them. Each remembers when it
 * last grew, so SACK blocks can be reported most recent first (RFC 2018 4). The arrays start
 * small and grow up to the limit, so a connection pays for the gaps it has, not the gaps it may.
 */
final class OutOfOrderRanges {
    private final int limit;
    private long[] start = new long[8];
    private long[] end = new long[8];
    private long[] stamp = new long[8];
    private int count;
    private long clock;

    OutOfOrderRanges(int limit) {
        this.limit = limit;
    }

    private boolean room() {
        if (count >= limit) {
            return false;
        }
        if (count < start.length) {
            return true;
        }
        int n = Math.min(limit, start.length * 2);
        start = java.util.Arrays.copyOf(start, n);
        end = java.util.Arrays.copyOf(end, n);
        stamp = java.util.Arrays.copyOf(stamp, n);
        return true;
    }

    int count() {
        return count;
    }

    long start(int i) {
        return start[i];
    }

    long end(int i) {
        return end[i];
    }

    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Adds {@code [s, e)}, merging it with the ranges it overlaps or touches.
     *
     * @return false when it would make one range too many (nothing changed)
     */
    boolean add(long s, long e) {
        int i = 0;
        while (i < count && end[i] < s) {
            i++;
        }
        // Ranges i..j-1 overlap or touch [s, e).
        int j = i;
        while (j < count && start[j] <= e) {
            j++;
        }
        if (i == j) {
            if (!room()) {
                return false;
            }
            System.arraycopy(start, i, start, i + 1, count - i);
            System.arraycopy(end, i, end, i + 1, count - i);
            System.arraycopy(stamp, i, stamp, i + 1, count - i);
            start[i] = s;
            end[i] = e;
            count++;
        } else {
            start[i] = Math.min(s, start[i]);
            end[i] = Math.max(e, end[j - 1]);
            int removed = j - i - 1;
            if (removed > 0) {
                System.arraycopy(start, j, start, i + 1, count - j);
                System.arraycopy(end, j, end, i + 1, count - j);
                System.arraycopy(stamp, j, stamp, i + 1, count - j);
                count -= removed;
            }
        }
        stamp[i] = ++clock;
        return true;
    }

    /**
     * Removes the ranges that now start at or before {@code offset} (the in-order data reached
     * them) and returns the end of the contiguous data from {@code offset} on.
     */
    long advance(long offset) {
        int k = 0;
        while (k < count && start[k] <= offset) {
            offset = Math.max(offset, end[k]);
            k++;
        }
        if (k > 0) {
            System.arraycopy(start, k, start, 0, count - k);
            System.arraycopy(end, k, end, 0, count - k);
            System.arraycopy(stamp, k, stamp, 0, count - k);
            count -= k;
        }
        return offset;
    }

    /** True when every byte of {@code [s, e)} is held already. */
    boolean covers(long s, long e) {
        for (int i = 0; i < count && start[i] <= s; i++) {
            if (end[i] >= e) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes up to {@code max} ranges, most recently grown first, into the two arrays.
     *
     * @return how many were written
     */
    int mostRecent(int max, long[] outStart, long[] outEnd) {
        int n = Math.min(max, count);
        long below = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int best = -1;
            for (int i = 0; i < count; i++) {
                if (stamp[i] < below && (best < 0 || stamp[i] > stamp[best])) {
                    best = i;
                }
            }
            outStart[k] = start[best];
            outEnd[k] = end[best];
            below = stamp[best];
        }
        return n;
    }

    void clear() {
        count = 0;
    }
}
