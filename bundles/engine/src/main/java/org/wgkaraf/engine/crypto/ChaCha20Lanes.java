package org.wgkaraf.engine.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Twenty-four consecutive ChaCha20 blocks at once, laid out so that HotSpot's C2 vectorizes them
 * (its "superword" pass turns a loop over array elements into SIMD instructions). The working
 * state is word-major: word {@code w} of block {@code j} is {@code x[w * LANES + j]}, so each
 * quarter-round step is the same operation on {@link #LANES} neighbouring ints, a loop C2 compiles to
 * AVX2 (or SSE) vector code with no flags and no incubator API. A column round is one loop over
 * the four rows; a diagonal round is four loops with the rows' columns rotated.
 *
 * <p>Twenty-four because a 1420-byte packet (WireGuard's default MTU payload) needs 23 blocks
 * after the one that keys Poly1305, so one call covers it. Measured per block (CPU time, 2-core
 * EPYC, AVX2): 16 lanes 79 ns, 24 lanes 91 ns, 32 lanes 80 ns, one block at a time 150 ns; eight
 * lanes were no faster than one block at a time (C2 probably unrolls a loop of eight fully and
 * then has nothing to vectorize). 24 wins at 1420 bytes, where 16 needs a second, mostly idle call or seven scalar
 * blocks; it loses about 13% on 16 KB packets, which WireGuard does not send. The scalar
 * {@link ChaCha20Keystream} loop handles what is left.
 *
 * <p>Holds keystream between calls; {@link #clear()} zeroes it. Not thread-safe.
 */
final class ChaCha20Lanes {
    static final int LANES = 24;
    static final int BYTES = LANES * ChaCha20Keystream.BLOCK_SIZE;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Four words of every block, i.e. one row of the 4x4 state for all lanes. */
    private static final int ROW = 4 * LANES;

    /** The caller's input state: constants, key, (counter unused), nonce. */
    private final int[] state;
    private final int[] x = new int[16 * LANES];

    ChaCha20Lanes(int[] state) {
        if (state.length != 16) {
            throw new IllegalArgumentException("ChaCha20 state is 16 words");
        }
        this.state = state;
    }

    /**
     * {@code out = in XOR keystream} for {@code len} bytes (at most {@link #BYTES}) from block
     * {@code first} on; {@code in == out} at the same offset is fine. Bounds are the caller's.
     */
    void xor(int first, byte[] in, int inOff, byte[] out, int outOff, int len) {
        int[] x = this.x;
        int[] s = state;
        for (int w = 0; w < 16; w++) {
            Arrays.fill(x, w * LANES, (w + 1) * LANES, s[w]);
        }
        for (int j = 0; j < LANES; j++) {
            x[12 * LANES + j] = first + j;
        }
        for (int r = 0; r < 10; r++) {
            quarter(x, 0, ROW, 2 * ROW, 3 * ROW, ROW);
            quarter(x, 0, ROW + LANES, 2 * ROW + 2 * LANES, 3 * ROW + 3 * LANES, LANES);
            quarter(x, LANES, ROW + 2 * LANES, 2 * ROW + 3 * LANES, 3 * ROW, LANES);
            quarter(x, 2 * LANES, ROW + 3 * LANES, 2 * ROW, 3 * ROW + LANES, LANES);
            quarter(x, 3 * LANES, ROW, 2 * ROW + LANES, 3 * ROW + 2 * LANES, LANES);
        }
        for (int w = 0; w < 16; w++) {
            add(x, w * LANES, s[w]);
        }
        for (int j = 0; j < LANES; j++) {
            x[12 * LANES + j] += first + j;
        }
        int full = len >>> 6;
        for (int j = 0; j < full; j++) {
            int i = inOff + (j << 6);
            int o = outOff + (j << 6);
            for (int w = 0; w < 16; w += 2) {
                LONGS.set(out, o + 4 * w, (long) LONGS.get(in, i + 4 * w) ^ pair(x[w * LANES + j], x[(w + 1) * LANES + j]));
            }
        }
        for (int b = full << 6; b < len; b++) {
            int word = x[((b & 63) >>> 2) * LANES + (b >>> 6)];
            out[outOff + b] = (byte) (in[inOff + b] ^ (word >>> (8 * (b & 3))));
        }
    }

    private static long pair(int lo, int hi) {
        return (lo & 0xffffffffL) | ((long) hi << 32);
    }

    private static void add(int[] x, int off, int v) {
        for (int j = 0; j < LANES; j++) {
            x[off + j] += v;
        }
    }

    /** The quarter round on words a, b, c, d (offsets into x) of {@code n} neighbouring lanes. */
    private static void quarter(int[] x, int a, int b, int c, int d, int n) {
        for (int i = 0; i < n; i++) {
            int va = x[a + i];
            int vb = x[b + i];
            int vc = x[c + i];
            int vd = x[d + i];
            va += vb;
            vd = Integer.rotateLeft(vd ^ va, 16);
            vc += vd;
            vb = Integer.rotateLeft(vb ^ vc, 12);
            va += vb;
            vd = Integer.rotateLeft(vd ^ va, 8);
            vc += vd;
            vb = Integer.rotateLeft(vb ^ vc, 7);
            x[a + i] = va;
            x[b + i] = vb;
            x[c + i] = vc;
            x[d + i] = vd;
        }
    }

    /** Zeroes the keystream and working state. */
    void clear() {
        Arrays.fill(x, 0);
    }
}
