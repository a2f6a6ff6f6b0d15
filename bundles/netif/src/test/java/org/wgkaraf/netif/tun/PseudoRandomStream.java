package org.wgkaraf.netif.tun;

/**
 * A reproducible byte stream from a seed (xorshift64*), so a receiver can check every byte a sender
 * in another process sent without the data travelling twice.
 */
public final class PseudoRandomStream {
    private long state;
    private long word;
    private int left;

    public PseudoRandomStream(long seed) {
        state = seed == 0 ? 0x9e3779b97f4a7c15L : seed;
    }

    /** Writes the next {@code len} bytes of the stream into {@code b} at {@code off}. */
    public void next(byte[] b, int off, int len) {
        int i = 0;
        for (; i < len && left > 0; i++) {
            b[off + i] = (byte) word;
            word >>>= 8;
            left--;
        }
        // Whole words at a time: the receiver checks 100 MB without becoming the bottleneck.
        for (; len - i >= 8; i += 8) {
            long w = step();
            for (int k = 0; k < 8; k++) {
                b[off + i + k] = (byte) (w >>> (8 * k));
            }
        }
        for (; i < len; i++) {
            if (left == 0) {
                word = step();
                left = 8;
            }
            b[off + i] = (byte) word;
            word >>>= 8;
            left--;
        }
    }

    private long step() {
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        return state * 0x2545f4914f6cdd1dL;
    }
}
