package org.wgkaraf.engine.crypto;

import java.util.Arrays;

/**
 * Unkeyed BLAKE2s with a 32-byte digest (RFC 7693), reusable and allocation-free: the handshake's
 * HASH and HMAC run about a hundred compressions per handshake, and BouncyCastle's digest
 * allocates a message schedule per compression and new state at every reset, which was half of
 * what a handshake still allocated once its KDF reused one digest.
 *
 * <p>Not thread-safe. {@link #doFinal} wipes the message buffer and the working state, so an
 * instance holds no input between messages.
 */
public final class Blake2sHasher {
    private static final int BLOCK = 64;
    private static final int[] IV = {
        0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
    };
    /** The message word order of each of the ten rounds (RFC 7693 section 2.7). */
    private static final byte[][] SIGMA = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
        {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
        {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
        {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
        {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
        {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
        {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
        {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
        {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
        {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    };

    private final int[] h = new int[8];
    private final int[] v = new int[16];
    private final int[] m = new int[16];
    private final byte[] buffer = new byte[BLOCK];
    private int buffered;
    /** Bytes compressed so far (the counter t). */
    private long counter;

    public Blake2sHasher() {
        reset();
    }

    private void reset() {
        System.arraycopy(IV, 0, h, 0, 8);
        h[0] ^= 0x01010000 | Blake2s.HASH_SIZE; // fanout 1, depth 1, no key, 32-byte digest
        buffered = 0;
        counter = 0;
    }

    public void update(byte[] in, int off, int len) {
        if (off < 0 || len < 0 || len > in.length - off) {
            throw new IndexOutOfBoundsException("bad range of input");
        }
        while (len > 0) {
            if (buffered == BLOCK) { // a full block is compressed only once more input follows: the last one is final
                counter += BLOCK;
                compress(buffer, false);
                buffered = 0;
            }
            int n = Math.min(len, BLOCK - buffered);
            System.arraycopy(in, off, buffer, buffered, n);
            buffered += n;
            off += n;
            len -= n;
        }
    }

    /** Writes the 32-byte digest at {@code out[outOff]} and starts a new message. */
    public void doFinal(byte[] out, int outOff) {
        counter += buffered;
        Arrays.fill(buffer, buffered, BLOCK, (byte) 0);
        compress(buffer, true);
        for (int i = 0; i < 8; i++) {
            int w = h[i];
            out[outOff + 4 * i] = (byte) w;
            out[outOff + 4 * i + 1] = (byte) (w >>> 8);
            out[outOff + 4 * i + 2] = (byte) (w >>> 16);
            out[outOff + 4 * i + 3] = (byte) (w >>> 24);
        }
        Arrays.fill(buffer, (byte) 0);
        Arrays.fill(v, 0);
        Arrays.fill(m, 0);
        reset();
    }

    private void compress(byte[] block, boolean last) {
        for (int i = 0; i < 16; i++) {
            int j = 4 * i;
            m[i] = (block[j] & 0xff) | (block[j + 1] & 0xff) << 8 | (block[j + 2] & 0xff) << 16 | block[j + 3] << 24;
        }
        System.arraycopy(h, 0, v, 0, 8);
        System.arraycopy(IV, 0, v, 8, 8);
        v[12] ^= (int) counter;
        v[13] ^= (int) (counter >>> 32);
        if (last) {
            v[14] = ~v[14];
        }
        for (byte[] s : SIGMA) {
            g(0, 4, 8, 12, m[s[0]], m[s[1]]);
            g(1, 5, 9, 13, m[s[2]], m[s[3]]);
            g(2, 6, 10, 14, m[s[4]], m[s[5]]);
            g(3, 7, 11, 15, m[s[6]], m[s[7]]);
            g(0, 5, 10, 15, m[s[8]], m[s[9]]);
            g(1, 6, 11, 12, m[s[10]], m[s[11]]);
            g(2, 7, 8, 13, m[s[12]], m[s[13]]);
            g(3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for (int i = 0; i < 8; i++) {
            h[i] ^= v[i] ^ v[i + 8];
        }
    }

    /** The mixing function G (RFC 7693 section 3.1) on four words of the working state. */
    private void g(int a, int b, int c, int d, int x, int y) {
        int[] w = v;
        w[a] += w[b] + x;
        w[d] = Integer.rotateRight(w[d] ^ w[a], 16);
        w[c] += w[d];
        w[b] = Integer.rotateRight(w[b] ^ w[c], 12);
        w[a] += w[b] + y;
        w[d] = Integer.rotateRight(w[d] ^ w[a], 8);
        w[c] += w[d];
        w[b] = Integer.rotateRight(w[b] ^ w[c], 7);
    }
}
