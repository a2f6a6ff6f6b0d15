package org.wgkaraf.engine.crypto;

/**
 * A plain BLAKE2s written from RFC 7693 section 3, for tests only: an implementation independent
 * of BouncyCastle to check {@link Blake2s} against, digest lengths other than 32 included.
 */
final class ReferenceBlake2s {
    private static final int[] IV = {
        0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
    };
    private static final int[][] SIGMA = {
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

    private ReferenceBlake2s() {
    }

    /** BLAKE2s with an {@code outLen}-byte digest; {@code key} may be empty (unkeyed). */
    static byte[] digest(byte[] key, byte[] data, int outLen) {
        int[] h = IV.clone();
        h[0] ^= 0x01010000 ^ (key.length << 8) ^ outLen;
        // A key is padded to a full block and hashed as the first block of the message.
        byte[] message;
        if (key.length > 0) {
            message = new byte[64 + data.length];
            System.arraycopy(key, 0, message, 0, key.length);
            System.arraycopy(data, 0, message, 64, data.length);
        } else {
            message = data;
        }
        int blocks = Math.max(1, (message.length + 63) / 64);
        byte[] block = new byte[64];
        for (int b = 0; b < blocks; b++) {
            java.util.Arrays.fill(block, (byte) 0);
            int n = Math.min(64, message.length - 64 * b);
            System.arraycopy(message, 64 * b, block, 0, n);
            boolean last = b == blocks - 1;
            long counter = last ? message.length : 64L * (b + 1);
            compress(h, block, counter, last);
        }
        byte[] out = new byte[outLen];
        for (int i = 0; i < outLen; i++) {
            out[i] = (byte) (h[i / 4] >>> (8 * (i % 4)));
        }
        return out;
    }

    private static void compress(int[] h, byte[] block, long counter, boolean last) {
        int[] v = new int[16];
        System.arraycopy(h, 0, v, 0, 8);
        System.arraycopy(IV, 0, v, 8, 8);
        v[12] ^= (int) counter;
        v[13] ^= (int) (counter >>> 32);
        if (last) {
            v[14] = ~v[14];
        }
        int[] m = new int[16];
        for (int i = 0; i < 16; i++) {
            m[i] = (block[4 * i] & 0xff) | (block[4 * i + 1] & 0xff) << 8
                    | (block[4 * i + 2] & 0xff) << 16 | (block[4 * i + 3] & 0xff) << 24;
        }
        for (int[] s : SIGMA) {
            mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
            mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
            mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
            mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
            mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
            mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
            mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
            mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for (int i = 0; i < 8; i++) {
            h[i] ^= v[i] ^ v[i + 8];
        }
    }

    /** The mixing function G with BLAKE2s's rotations 16, 12, 8, 7. */
    private static void mix(int[] v, int a, int b, int c, int d, int x, int y) {
        v[a] = v[a] + v[b] + x;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 16);
        v[c] = v[c] + v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 12);
        v[a] = v[a] + v[b] + y;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 8);
        v[c] = v[c] + v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 7);
    }
}
