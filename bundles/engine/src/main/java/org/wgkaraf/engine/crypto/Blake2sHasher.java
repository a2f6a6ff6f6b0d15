package org.wgkaraf.engine.crypto;

import java.util.Arrays;

/**
 * BLAKE2s (RFC 7693), reusable and allocation-free: unkeyed with a 32-byte digest unless a
 * message starts with {@link #startKeyed} (WireGuard's MAC: keyed, 16 bytes). The handshake's
 * HASH and HMAC run about a hundred compressions per handshake, and BouncyCastle's digest
 * allocates a message schedule per compression and new state at every reset, which was half of
 * what a handshake still allocated once its KDF reused one digest; and MAC1 is checked on every
 * handshake datagram, a flood's included.
 *
 * <p>Not thread-safe. {@link #doFinal} wipes the message buffer and the message schedule, so
 * an instance holds no input between messages.
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
    private final int[] m = new int[16];
    private final byte[] buffer = new byte[BLOCK];
    private int buffered;
    /** Bytes compressed so far (the counter t). */
    private long counter;
    /** The digest length of the current message. */
    private int outLength;

    public Blake2sHasher() {
        start(0, Blake2s.HASH_SIZE);
    }

    /** The parameter block folded into the IV: digest length, key length, fanout 1, depth 1. */
    private void start(int keyLength, int digestLength) {
        System.arraycopy(IV, 0, h, 0, 8);
        h[0] ^= 0x01010000 | keyLength << 8 | digestLength;
        buffered = 0;
        counter = 0;
        outLength = digestLength;
    }

    /**
     * Starts a keyed message (RFC 7693 section 2.5) with a {@code digestLength}-byte digest: the
     * key, 1 to 32 bytes, padded with zeros to a block, is the message's first block. The next
     * {@link #doFinal} writes that many bytes; the one after is unkeyed and 32 bytes again.
     */
    public void startKeyed(byte[] key, int digestLength) {
        if (key.length < 1 || key.length > Blake2s.HASH_SIZE || digestLength < 1 || digestLength > Blake2s.HASH_SIZE) {
            throw new IllegalArgumentException("BLAKE2s key and digest are 1 to 32 bytes");
        }
        start(key.length, digestLength);
        System.arraycopy(key, 0, buffer, 0, key.length);
        Arrays.fill(buffer, key.length, BLOCK, (byte) 0);
        buffered = BLOCK;
    }

    /**
     * MAC(key, data) of the whitepaper: keyed BLAKE2s with a 16-byte digest, written at
     * {@code out[outOff]}; {@code out} may be {@code data} (the input is consumed first).
     */
    public void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        startKeyed(key, Blake2s.MAC_SIZE);
        update(data, off, len);
        doFinal(out, outOff);
    }

    /**
     * Starts an unkeyed message with one whole block that more input will follow (an HMAC pad),
     * compresses it at once and saves the chaining value after it in {@code state} (8 words):
     * {@link #resume} then continues any number of messages from there without compressing that
     * block again. Leaves this hasher ready for a new message.
     */
    public void saveAfterBlock(byte[] block, int[] state) {
        if (block.length != BLOCK || state.length != 8) {
            throw new IllegalArgumentException("a whole 64-byte block, and 8 words to hold the state");
        }
        start(0, Blake2s.HASH_SIZE);
        counter = BLOCK;
        compress(block, false);
        System.arraycopy(h, 0, state, 0, 8);
        Arrays.fill(m, 0);
        start(0, Blake2s.HASH_SIZE);
    }

    /**
     * Continues an unkeyed 32-byte-digest message from a state {@link #saveAfterBlock} saved. At
     * least one more byte must follow: the saved block was compressed as not the last.
     */
    public void resume(int[] state) {
        start(0, Blake2s.HASH_SIZE);
        System.arraycopy(state, 0, h, 0, 8);
        counter = BLOCK;
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

    /**
     * Writes the digest (32 bytes, or the length {@link #startKeyed} gave) at {@code out[outOff]}
     * and starts a new unkeyed message.
     */
    public void doFinal(byte[] out, int outOff) {
        if (buffered == 0 && counter != 0) { // only a resumed message gets here: its saved block was not compressed as the last
            throw new IllegalStateException("a resumed message needs at least one byte after its saved block");
        }
        counter += buffered;
        Arrays.fill(buffer, buffered, BLOCK, (byte) 0);
        compress(buffer, true);
        for (int i = 0; i < outLength; i++) {
            out[outOff + i] = (byte) (h[i >>> 2] >>> 8 * (i & 3));
        }
        Arrays.fill(buffer, (byte) 0);
        Arrays.fill(m, 0);
        start(0, Blake2s.HASH_SIZE);
    }

    /**
     * The compression function F (RFC 7693 section 3.2). The working vector lives in sixteen
     * locals, which the JIT keeps in registers; each group of eight lines is one G (section 3.1)
     * on a column, then on a diagonal.
     */
    private void compress(byte[] block, boolean last) {
        for (int i = 0; i < 16; i++) {
            int j = 4 * i;
            m[i] = (block[j] & 0xff) | (block[j + 1] & 0xff) << 8 | (block[j + 2] & 0xff) << 16 | block[j + 3] << 24;
        }
        int v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3], v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];
        int v8 = IV[0], v9 = IV[1], v10 = IV[2], v11 = IV[3];
        int v12 = IV[4] ^ (int) counter;
        int v13 = IV[5] ^ (int) (counter >>> 32);
        int v14 = last ? ~IV[6] : IV[6];
        int v15 = IV[7];
        for (byte[] s : SIGMA) {
                v0 += v4 + m[s[0]];
                v12 = Integer.rotateRight(v12 ^ v0, 16);
                v8 += v12;
                v4 = Integer.rotateRight(v4 ^ v8, 12);
                v0 += v4 + m[s[1]];
                v12 = Integer.rotateRight(v12 ^ v0, 8);
                v8 += v12;
                v4 = Integer.rotateRight(v4 ^ v8, 7);
                v1 += v5 + m[s[2]];
                v13 = Integer.rotateRight(v13 ^ v1, 16);
                v9 += v13;
                v5 = Integer.rotateRight(v5 ^ v9, 12);
                v1 += v5 + m[s[3]];
                v13 = Integer.rotateRight(v13 ^ v1, 8);
                v9 += v13;
                v5 = Integer.rotateRight(v5 ^ v9, 7);
                v2 += v6 + m[s[4]];
                v14 = Integer.rotateRight(v14 ^ v2, 16);
                v10 += v14;
                v6 = Integer.rotateRight(v6 ^ v10, 12);
                v2 += v6 + m[s[5]];
                v14 = Integer.rotateRight(v14 ^ v2, 8);
                v10 += v14;
                v6 = Integer.rotateRight(v6 ^ v10, 7);
                v3 += v7 + m[s[6]];
                v15 = Integer.rotateRight(v15 ^ v3, 16);
                v11 += v15;
                v7 = Integer.rotateRight(v7 ^ v11, 12);
                v3 += v7 + m[s[7]];
                v15 = Integer.rotateRight(v15 ^ v3, 8);
                v11 += v15;
                v7 = Integer.rotateRight(v7 ^ v11, 7);
                v0 += v5 + m[s[8]];
                v15 = Integer.rotateRight(v15 ^ v0, 16);
                v10 += v15;
                v5 = Integer.rotateRight(v5 ^ v10, 12);
                v0 += v5 + m[s[9]];
                v15 = Integer.rotateRight(v15 ^ v0, 8);
                v10 += v15;
                v5 = Integer.rotateRight(v5 ^ v10, 7);
                v1 += v6 + m[s[10]];
                v12 = Integer.rotateRight(v12 ^ v1, 16);
                v11 += v12;
                v6 = Integer.rotateRight(v6 ^ v11, 12);
                v1 += v6 + m[s[11]];
                v12 = Integer.rotateRight(v12 ^ v1, 8);
                v11 += v12;
                v6 = Integer.rotateRight(v6 ^ v11, 7);
                v2 += v7 + m[s[12]];
                v13 = Integer.rotateRight(v13 ^ v2, 16);
                v8 += v13;
                v7 = Integer.rotateRight(v7 ^ v8, 12);
                v2 += v7 + m[s[13]];
                v13 = Integer.rotateRight(v13 ^ v2, 8);
                v8 += v13;
                v7 = Integer.rotateRight(v7 ^ v8, 7);
                v3 += v4 + m[s[14]];
                v14 = Integer.rotateRight(v14 ^ v3, 16);
                v9 += v14;
                v4 = Integer.rotateRight(v4 ^ v9, 12);
                v3 += v4 + m[s[15]];
                v14 = Integer.rotateRight(v14 ^ v3, 8);
                v9 += v14;
                v4 = Integer.rotateRight(v4 ^ v9, 7);
        }
        h[0] ^= v0 ^ v8;
        h[1] ^= v1 ^ v9;
        h[2] ^= v2 ^ v10;
        h[3] ^= v3 ^ v11;
        h[4] ^= v4 ^ v12;
        h[5] ^= v5 ^ v13;
        h[6] ^= v6 ^ v14;
        h[7] ^= v7 ^ v15;
    }
}
