package org.wgkaraf.engine.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * ChaCha20 (RFC 8439 sections 2.3 and 2.4) written for HotSpot's C2. Long runs go many blocks
 * at a time through {@link ChaCha20Lanes}, which C2 vectorizes; the rest (and short packets) one
 * block at a time, with the state in 32 locals for the whole block and each double round spelled
 * out so no array is touched between rounds. The keystream is XORed eight bytes at a time
 * through a little-endian long view of the caller's arrays. Nothing is allocated after
 * construction.
 *
 * <p>The nonce is WireGuard's: 32 zero bits, then the 64-bit counter in little-endian order (state
 * words 13 to 15). Not thread-safe; one instance serves one direction of one keypair.
 */
final class ChaCha20Keystream {
    static final int KEY_SIZE = 32;
    static final int BLOCK_SIZE = 64;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** "expand 32-byte k" as four little-endian words. */
    private static final int C0 = 0x61707865;
    private static final int C1 = 0x3320646e;
    private static final int C2 = 0x79622d32;
    private static final int C3 = 0x6b206574;

    /**
     * Minimum length, in bytes, for which {@link ChaCha20Lanes} computes its blocks at once: a
     * call costs about as much as fourteen blocks one at a time.
     */
    static final int LANES_MIN_BYTES = 14 * BLOCK_SIZE + 1;

    /** The input state: words 0-3 constants, 4-11 key, 12 unused (the block counter is passed in), 13-15 nonce. */
    private final int[] state = new int[16];
    private final ChaCha20Lanes lanes = new ChaCha20Lanes(state);
    /** The keystream of a final partial block, as longs; zeroed after use. */
    private final long[] tail = new long[BLOCK_SIZE / 8];

    /** Copies the 32-byte key at {@code key[off]} into the state. */
    ChaCha20Keystream(byte[] key, int off) {
        Objects.checkFromIndexSize(off, KEY_SIZE, key.length);
        state[0] = C0;
        state[1] = C1;
        state[2] = C2;
        state[3] = C3;
        for (int w = 0; w < 8; w++) {
            state[4 + w] = (int) INTS.get(key, off + 4 * w);
        }
    }

    /** Sets the nonce to 0^32 || LE64(counter). */
    void setNonce(long counter) {
        state[13] = 0;
        state[14] = (int) counter;
        state[15] = (int) (counter >>> 32);
    }

    /**
     * {@code out[outOff..] = in[inOff..] XOR keystream}, {@code len} bytes, starting at block
     * {@code block}. {@code in} and {@code out} may be the same array at the same offset: each
     * eight bytes are read before they are written.
     */
    void xor(int block, byte[] in, int inOff, byte[] out, int outOff, int len) {
        Objects.checkFromIndexSize(inOff, len, in.length);
        Objects.checkFromIndexSize(outOff, len, out.length);
        int done = 0;
        for (; len - done >= LANES_MIN_BYTES; done += ChaCha20Lanes.BYTES, block += ChaCha20Lanes.LANES) {
            lanes.xor(block, in, inOff + done, out, outOff + done, Math.min(ChaCha20Lanes.BYTES, len - done));
        }
        if (done >= len) {
            return;
        }
        // The key words are read into locals once per call; C2 keeps what fits in registers.
        final int[] s = state;
        final int j4 = s[4], j5 = s[5], j6 = s[6], j7 = s[7], j8 = s[8], j9 = s[9], j10 = s[10], j11 = s[11];
        final int j14 = s[14], j15 = s[15];
        while (done < len) {
            int x0 = C0, x1 = C1, x2 = C2, x3 = C3;
            int x4 = j4, x5 = j5, x6 = j6, x7 = j7;
            int x8 = j8, x9 = j9, x10 = j10, x11 = j11;
            int x12 = block, x13 = 0, x14 = j14, x15 = j15;
            for (int r = 0; r < 10; r++) {
                // Column round.
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16);
                x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8);
                x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16);
                x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8);
                x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16);
                x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8);
                x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16);
                x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8);
                x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
                // Diagonal round.
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16);
                x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8);
                x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16);
                x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8);
                x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16);
                x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8);
                x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16);
                x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8);
                x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
            }
            long w0 = pair(x0 + C0, x1 + C1);
            long w1 = pair(x2 + C2, x3 + C3);
            long w2 = pair(x4 + j4, x5 + j5);
            long w3 = pair(x6 + j6, x7 + j7);
            long w4 = pair(x8 + j8, x9 + j9);
            long w5 = pair(x10 + j10, x11 + j11);
            long w6 = pair(x12 + block, x13);
            long w7 = pair(x14 + j14, x15 + j15);
            int i = inOff + done;
            int o = outOff + done;
            if (len - done >= BLOCK_SIZE) {
                LONGS.set(out, o, (long) LONGS.get(in, i) ^ w0);
                LONGS.set(out, o + 8, (long) LONGS.get(in, i + 8) ^ w1);
                LONGS.set(out, o + 16, (long) LONGS.get(in, i + 16) ^ w2);
                LONGS.set(out, o + 24, (long) LONGS.get(in, i + 24) ^ w3);
                LONGS.set(out, o + 32, (long) LONGS.get(in, i + 32) ^ w4);
                LONGS.set(out, o + 40, (long) LONGS.get(in, i + 40) ^ w5);
                LONGS.set(out, o + 48, (long) LONGS.get(in, i + 48) ^ w6);
                LONGS.set(out, o + 56, (long) LONGS.get(in, i + 56) ^ w7);
                done += BLOCK_SIZE;
            } else {
                xorTail(w0, w1, w2, w3, w4, w5, w6, w7, in, i, out, o, len - done);
                done = len;
            }
            block++;
        }
    }

    private static long pair(int low, int high) {
        return (low & 0xffffffffL) | ((long) high << 32);
    }

    /** The last, partial block: whole longs first, then single bytes. */
    private void xorTail(long w0, long w1, long w2, long w3, long w4, long w5, long w6, long w7,
            byte[] in, int i, byte[] out, int o, int n) {
        long[] ks = tail;
        ks[0] = w0; ks[1] = w1; ks[2] = w2; ks[3] = w3; ks[4] = w4; ks[5] = w5; ks[6] = w6; ks[7] = w7;
        int b = 0;
        for (; n - b >= 8; b += 8) {
            LONGS.set(out, o + b, (long) LONGS.get(in, i + b) ^ ks[b >>> 3]);
        }
        long last = ks[b >>> 3];
        for (; b < n; b++, last >>>= 8) {
            out[o + b] = (byte) (in[i + b] ^ last);
        }
        Arrays.fill(ks, 0L);
    }

    /** Zeroes the key words, the counter and any keystream held. */
    void destroy() {
        Arrays.fill(state, 4, 16, 0);
        lanes.clear();
        Arrays.fill(tail, 0L);
    }

    /** The key as held, little-endian; for the key-zeroing test. */
    byte[] key() {
        byte[] k = new byte[KEY_SIZE];
        for (int w = 0; w < 8; w++) {
            INTS.set(k, 4 * w, state[4 + w]);
        }
        return k;
    }
}
