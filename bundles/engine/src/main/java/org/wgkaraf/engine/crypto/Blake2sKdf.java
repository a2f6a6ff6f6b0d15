package org.wgkaraf.engine.crypto;

import java.util.Arrays;

/**
 * The whitepaper's HASH, HMAC and KDF (section 5.4) over one {@link Blake2sHasher} and scratch arrays
 * that this object owns and reuses, for the handshake: a handshake runs sixteen KDFs and about as
 * many HASHes, and making a digest, pads and intermediate keys for each was most of the 95 KB a
 * handshake allocated.
 *
 * <p>Not thread-safe: one instance per device, used under the device's lock (or one per caller).
 * Every scratch array that held key material is zeroed before a call returns, so an instance
 * keeps no secret between calls. Outputs may be the same arrays as the inputs: each input is
 * consumed before its output is written.
 */
public final class Blake2sKdf {
    private static final int BLOCK = 64;
    private static final int SIZE = Blake2s.HASH_SIZE;

    private final Blake2sHasher digest = new Blake2sHasher();
    private final byte[] pad = new byte[BLOCK];
    private final byte[] inner = new byte[SIZE];
    private final byte[] t0 = new byte[SIZE];
    private final byte[] counter = new byte[1];
    /** The chaining values after t0's inner and outer pad blocks, while a KDF runs. */
    private final int[] innerState = new int[8];
    private final int[] outerState = new int[8];

    /** HASH(a || b[bOff, bOff + bLen)) into {@code out} (32 bytes). */
    public void hash(byte[] out, byte[] a, byte[] b, int bOff, int bLen) {
        digest.update(a, 0, a.length);
        digest.update(b, bOff, bLen);
        digest.doFinal(out, 0);
    }

    /**
     * KDF_n(key, input) with n = 1, 2 or 3 by how many outputs are non-null: t0 = HMAC(key, input),
     * t1 = HMAC(t0, 0x1), t_i = HMAC(t0, t_{i-1} || i). {@code key} is 32 bytes (a chaining key);
     * each output 32 bytes.
     */
    public void kdf(byte[] key, byte[] input, int inOff, int inLen, byte[] out1, byte[] out2, byte[] out3) {
        if (key.length != SIZE || out1 == null || (out2 == null && out3 != null)) {
            throw new IllegalArgumentException("KDF takes a 32-byte key and yields 1 to 3 keys in order");
        }
        try {
            hmac(key, input, inOff, inLen, null, 0, t0);
            counter[0] = 1;
            if (out2 == null) { // one output: saving t0's pad states would cost what it saves
                hmac(t0, counter, 0, 1, null, 0, out1);
                return;
            }
            // t0 keys two or three HMACs: its inner and outer pad blocks are compressed once.
            padStates(t0);
            hmacFromPads(counter, 0, 1, null, 0, out1);
            counter[0] = 2;
            hmacFromPads(out1, 0, SIZE, counter, 1, out2);
            if (out3 != null) {
                counter[0] = 3;
                hmacFromPads(out2, 0, SIZE, counter, 1, out3);
            }
        } finally {
            Arrays.fill(t0, (byte) 0);
            Arrays.fill(inner, (byte) 0);
            Arrays.fill(pad, (byte) 0);
            Arrays.fill(innerState, 0);
            Arrays.fill(outerState, 0);
            counter[0] = 0;
        }
    }

    /**
     * HMAC-BLAKE2s (RFC 2104, 64-byte block) of {@code data[off, off + len)} followed by the first
     * {@code tailLen} bytes of {@code tail}, under a 32-byte key, into {@code out}.
     */
    private void hmac(byte[] key, byte[] data, int off, int len, byte[] tail, int tailLen, byte[] out) {
        keyPad(key, 0x36);
        digest.update(pad, 0, BLOCK);
        digest.update(data, off, len);
        if (tailLen > 0) {
            digest.update(tail, 0, tailLen);
        }
        digest.doFinal(inner, 0);
        keyPad(key, 0x5c);
        digest.update(pad, 0, BLOCK);
        digest.update(inner, 0, SIZE);
        digest.doFinal(out, 0);
    }

    /** The states after {@code key}'s inner and outer pad blocks, for {@link #hmacFromPads}. */
    private void padStates(byte[] key) {
        keyPad(key, 0x36);
        digest.saveAfterBlock(pad, innerState);
        keyPad(key, 0x5c);
        digest.saveAfterBlock(pad, outerState);
    }

    /** {@link #hmac} under the key whose pad states {@link #padStates} saved: two compressions fewer. */
    private void hmacFromPads(byte[] data, int off, int len, byte[] tail, int tailLen, byte[] out) {
        digest.resume(innerState);
        digest.update(data, off, len);
        if (tailLen > 0) {
            digest.update(tail, 0, tailLen);
        }
        digest.doFinal(inner, 0);
        digest.resume(outerState);
        digest.update(inner, 0, SIZE);
        digest.doFinal(out, 0);
    }

    /** The 32-byte key padded to a block with zeros, XORed with {@code fill} (0x36 inner, 0x5c outer). */
    private void keyPad(byte[] key, int fill) {
        for (int i = 0; i < SIZE; i++) {
            pad[i] = (byte) (key[i] ^ fill);
        }
        Arrays.fill(pad, SIZE, BLOCK, (byte) fill);
    }
}
