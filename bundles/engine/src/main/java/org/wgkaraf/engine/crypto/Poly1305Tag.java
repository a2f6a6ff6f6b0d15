package org.wgkaraf.engine.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Poly1305 (RFC 8439 section 2.5) as the AEAD of section 2.8 uses it with empty associated data:
 * the tag of {@code ciphertext || zero pad to 16 || LE64(0) || LE64(ciphertext length)}.
 *
 * <p>The accumulator is held in five 26-bit limbs in longs, so that every product of a limb and a
 * key limb (at most 2^27 times 5 * 2^26) and every sum of five of them fits in 63 bits without
 * carries between multiplications: 25 multiplications per 16-byte block, no 128-bit arithmetic,
 * which C2 compiles to plain 64-bit multiplies. Blocks go two at a time with r^2 (10 products per
 * limb, each under 2^57.3, sums under 2^61), which halves the serial carry chains. Nothing here
 * branches on secret data, and nothing is allocated after construction. Not thread-safe.
 *
 * <p>The carry chain after each multiplication is written out where it is needed (key setup, one
 * block, two blocks) rather than called: the five limbs live in locals, which C2 keeps in
 * registers, and Java cannot return five longs from a method without an array or an object.
 */
final class Poly1305Tag {
    static final int TAG_SIZE = 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long M26 = 0x3ffffff;
    /** The 2^128 bit of each full block, as it lands in the top limb. */
    private static final long HIBIT = 1L << 24;

    /** The clamped key r (limbs), 5 * r (limbs 1-4, for the reduction mod 2^130 - 5) and s. */
    private long r0, r1, r2, r3, r4;
    private long s1, s2, s3, s4;
    /** r^2 mod 2^130 - 5 (limbs) and 5 * r^2 (limbs 1-4), for two blocks per step. */
    private long q0, q1, q2, q3, q4;
    private long qs1, qs2, qs3, qs4;
    private long pad0, pad1;
    private long h0, h1, h2, h3, h4;
    private final byte[] partial = new byte[16];

    /** Starts a tag under the one-time key: 32 bytes at {@code key[off]}, r then s. */
    void init(byte[] key, int off) {
        Objects.checkFromIndexSize(off, 32, key.length);
        long lo = (long) LONGS.get(key, off) & 0x0ffffffc0fffffffL;
        long hi = (long) LONGS.get(key, off + 8) & 0x0ffffffc0ffffffcL;
        r0 = lo & M26;
        r1 = (lo >>> 26) & M26;
        r2 = ((lo >>> 52) | (hi << 12)) & M26;
        r3 = (hi >>> 14) & M26;
        r4 = hi >>> 40;
        s1 = r1 * 5;
        s2 = r2 * 5;
        s3 = r3 * 5;
        s4 = r4 * 5;
        long d0 = r0 * r0 + 2 * (r1 * s4 + r2 * s3);
        long d1 = 2 * (r0 * r1 + r2 * s4) + r3 * s3;
        long d2 = 2 * (r0 * r2 + r3 * s4) + r1 * r1;
        long d3 = 2 * (r0 * r3 + r1 * r2) + r4 * s4;
        long d4 = 2 * (r0 * r4 + r1 * r3) + r2 * r2;
        d1 += d0 >>> 26;
        q0 = d0 & M26;
        d2 += d1 >>> 26;
        q1 = d1 & M26;
        d3 += d2 >>> 26;
        q2 = d2 & M26;
        d4 += d3 >>> 26;
        q3 = d3 & M26;
        q0 += (d4 >>> 26) * 5;
        q4 = d4 & M26;
        q1 += q0 >>> 26;
        q0 &= M26;
        qs1 = q1 * 5;
        qs2 = q2 * 5;
        qs3 = q3 * 5;
        qs4 = q4 * 5;
        pad0 = (long) LONGS.get(key, off + 16);
        pad1 = (long) LONGS.get(key, off + 24);
        h0 = h1 = h2 = h3 = h4 = 0;
    }

    /**
     * Writes the tag of {@code len} bytes of ciphertext at {@code ct[off]} (padded, then the
     * lengths block) into {@code mac[macOff..macOff+16]} and forgets the key.
     */
    void tag(byte[] ct, int off, int len, byte[] mac, int macOff) {
        finish(ct, off, len);
        long t0 = h0;
        long t1 = h1;
        clear();
        LONGS.set(mac, macOff, t0);
        LONGS.set(mac, macOff + 8, t1);
    }

    /**
     * True when the tag of {@code len} bytes at {@code ct[off]} equals the 16 bytes at
     * {@code expected[expOff]}, compared in constant time; forgets the key either way.
     */
    boolean verify(byte[] ct, int off, int len, byte[] expected, int expOff) {
        Objects.checkFromIndexSize(expOff, TAG_SIZE, expected.length);
        finish(ct, off, len);
        long diff = (h0 ^ (long) LONGS.get(expected, expOff)) | (h1 ^ (long) LONGS.get(expected, expOff + 8));
        clear();
        return diff == 0;
    }

    /** Absorbs the padded ciphertext and the lengths; leaves the 128-bit tag in h0 (low) and h1. */
    private void finish(byte[] ct, int off, int len) {
        Objects.checkFromIndexSize(off, len, ct.length);
        int whole = len & ~15;
        blocks(ct, off, whole, HIBIT);
        if (whole < len) {
            System.arraycopy(ct, off + whole, partial, 0, len - whole);
            Arrays.fill(partial, len - whole, 16, (byte) 0);
            blocks(partial, 0, 16, HIBIT);
        }
        LONGS.set(partial, 0, 0L);
        LONGS.set(partial, 8, (long) len);
        blocks(partial, 0, 16, HIBIT);
        Arrays.fill(partial, (byte) 0);
        finalReduce();
    }

    /**
     * The plain Poly1305 MAC of RFC 8439 section 2.5 over any message (the last partial block ends
     * in a 1 byte instead of the 2^128 bit); the AEAD never needs it, the known-answer tests do.
     */
    void mac(byte[] msg, int off, int len, byte[] mac, int macOff) {
        Objects.checkFromIndexSize(off, len, msg.length);
        int whole = len & ~15;
        blocks(msg, off, whole, HIBIT);
        if (whole < len) {
            System.arraycopy(msg, off + whole, partial, 0, len - whole);
            partial[len - whole] = 1;
            Arrays.fill(partial, len - whole + 1, 16, (byte) 0);
            blocks(partial, 0, 16, 0);
        }
        finalReduce();
        long t0 = h0;
        long t1 = h1;
        clear();
        LONGS.set(mac, macOff, t0);
        LONGS.set(mac, macOff + 8, t1);
    }

    /**
     * h = (h + block + hibit) * r mod 2^130 - 5 for each 16-byte block; {@code len} is a multiple of
     * 16, {@code hibit} the 2^128 bit as it lands in the top limb (or 0 for a padded final block).
     */
    private void blocks(byte[] m, int off, int len, long hibit) {
        long a0 = h0, a1 = h1, a2 = h2, a3 = h3, a4 = h4;
        final long k0 = r0, k1 = r1, k2 = r2, k3 = r3, k4 = r4;
        final long t1 = s1, t2 = s2, t3 = s3, t4 = s4;
        final int end = off + len;
        if (len >= 32) {
            // Two blocks per step: h = (h + m1) r^2 + m2 r. The two products are independent, so
            // the multiplier works on both while one carry chain serves two blocks.
            final long u0 = q0, u1 = q1, u2 = q2, u3 = q3, u4 = q4;
            final long v1 = qs1, v2 = qs2, v3 = qs3, v4 = qs4;
            for (; end - off >= 32; off += 32) {
                long lo = (long) LONGS.get(m, off);
                long hi = (long) LONGS.get(m, off + 8);
                a0 += lo & M26;
                a1 += (lo >>> 26) & M26;
                a2 += ((lo >>> 52) | (hi << 12)) & M26;
                a3 += (hi >>> 14) & M26;
                a4 += (hi >>> 40) | hibit;
                lo = (long) LONGS.get(m, off + 16);
                hi = (long) LONGS.get(m, off + 24);
                long b0 = lo & M26;
                long b1 = (lo >>> 26) & M26;
                long b2 = ((lo >>> 52) | (hi << 12)) & M26;
                long b3 = (hi >>> 14) & M26;
                long b4 = (hi >>> 40) | hibit;

                long d0 = a0 * u0 + a1 * v4 + a2 * v3 + a3 * v2 + a4 * v1 + b0 * k0 + b1 * t4 + b2 * t3 + b3 * t2 + b4 * t1;
                long d1 = a0 * u1 + a1 * u0 + a2 * v4 + a3 * v3 + a4 * v2 + b0 * k1 + b1 * k0 + b2 * t4 + b3 * t3 + b4 * t2;
                long d2 = a0 * u2 + a1 * u1 + a2 * u0 + a3 * v4 + a4 * v3 + b0 * k2 + b1 * k1 + b2 * k0 + b3 * t4 + b4 * t3;
                long d3 = a0 * u3 + a1 * u2 + a2 * u1 + a3 * u0 + a4 * v4 + b0 * k3 + b1 * k2 + b2 * k1 + b3 * k0 + b4 * t4;
                long d4 = a0 * u4 + a1 * u3 + a2 * u2 + a3 * u1 + a4 * u0 + b0 * k4 + b1 * k3 + b2 * k2 + b3 * k1 + b4 * k0;

                d1 += d0 >>> 26;
                a0 = d0 & M26;
                d2 += d1 >>> 26;
                a1 = d1 & M26;
                d3 += d2 >>> 26;
                a2 = d2 & M26;
                d4 += d3 >>> 26;
                a3 = d3 & M26;
                a0 += (d4 >>> 26) * 5;
                a4 = d4 & M26;
                a1 += a0 >>> 26;
                a0 &= M26;
            }
        }
        for (; off < end; off += 16) {
            long lo = (long) LONGS.get(m, off);
            long hi = (long) LONGS.get(m, off + 8);
            a0 += lo & M26;
            a1 += (lo >>> 26) & M26;
            a2 += ((lo >>> 52) | (hi << 12)) & M26;
            a3 += (hi >>> 14) & M26;
            a4 += (hi >>> 40) | hibit;

            long d0 = a0 * k0 + a1 * t4 + a2 * t3 + a3 * t2 + a4 * t1;
            long d1 = a0 * k1 + a1 * k0 + a2 * t4 + a3 * t3 + a4 * t2;
            long d2 = a0 * k2 + a1 * k1 + a2 * k0 + a3 * t4 + a4 * t3;
            long d3 = a0 * k3 + a1 * k2 + a2 * k1 + a3 * k0 + a4 * t4;
            long d4 = a0 * k4 + a1 * k3 + a2 * k2 + a3 * k1 + a4 * k0;

            // Partial reduction: limbs back under 2^26 (a1 just over), what passes 2^130 comes back times 5.
            d1 += d0 >>> 26;
            a0 = d0 & M26;
            d2 += d1 >>> 26;
            a1 = d1 & M26;
            d3 += d2 >>> 26;
            a2 = d2 & M26;
            d4 += d3 >>> 26;
            a3 = d3 & M26;
            a0 += (d4 >>> 26) * 5;
            a4 = d4 & M26;
            a1 += a0 >>> 26;
            a0 &= M26;
        }
        h0 = a0;
        h1 = a1;
        h2 = a2;
        h3 = a3;
        h4 = a4;
    }

    /** h mod 2^130 - 5, fully reduced without branches, plus s mod 2^128, into h0 (low) and h1. */
    private void finalReduce() {
        long a0 = h0, a1 = h1, a2 = h2, a3 = h3, a4 = h4;
        a2 += a1 >>> 26;
        a1 &= M26;
        a3 += a2 >>> 26;
        a2 &= M26;
        a4 += a3 >>> 26;
        a3 &= M26;
        a0 += (a4 >>> 26) * 5;
        a4 &= M26;
        a1 += a0 >>> 26;
        a0 &= M26;

        // g = h + 5 - 2^130; if that does not borrow, h >= p and g is the reduced value.
        long g0 = a0 + 5;
        long g1 = a1 + (g0 >>> 26);
        g0 &= M26;
        long g2 = a2 + (g1 >>> 26);
        g1 &= M26;
        long g3 = a3 + (g2 >>> 26);
        g2 &= M26;
        long g4 = a4 + (g3 >>> 26) - (1L << 26);
        g3 &= M26;
        long keepH = g4 >> 63; // all ones when g borrowed, i.e. h < p
        a0 = (a0 & keepH) | (g0 & ~keepH);
        a1 = (a1 & keepH) | (g1 & ~keepH);
        a2 = (a2 & keepH) | (g2 & ~keepH);
        a3 = (a3 & keepH) | (g3 & ~keepH);
        a4 = (a4 & keepH) | (g4 & M26 & ~keepH);

        long f0 = a0 | (a1 << 26) | (a2 << 52);
        long f1 = (a2 >>> 12) | (a3 << 14) | (a4 << 40);
        long t0 = f0 + pad0;
        long carry = ((f0 & pad0) | ((f0 | pad0) & ~t0)) >>> 63;
        h0 = t0;
        h1 = f1 + pad1 + carry;
    }

    /** Forgets the key and the accumulator. */
    void clear() {
        r0 = r1 = r2 = r3 = r4 = 0;
        s1 = s2 = s3 = s4 = 0;
        q0 = q1 = q2 = q3 = q4 = 0;
        qs1 = qs2 = qs3 = qs4 = 0;
        pad0 = pad1 = 0;
        h0 = h1 = h2 = h3 = h4 = 0;
        Arrays.fill(partial, (byte) 0);
    }
}
