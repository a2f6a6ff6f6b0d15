package org.wgkaraf.engine.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * BLAKE2s (RFC 7693) and the constructions WireGuard builds on it: HASH, MAC (keyed, 16 bytes),
 * HMAC-BLAKE2s and the HKDF-style KDF of the whitepaper (section 5.4).
 */
public final class Blake2s {
    public static final int HASH_SIZE = 32;
    public static final int MAC_SIZE = 16;
    private static final int BLOCK = 64;

    private Blake2s() {
    }

    /** HASH(a || b || ...) with a 32-byte digest. */
    public static void hash(byte[] out, byte[]... parts) {
        Blake2sDigest d = new Blake2sDigest(256);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        d.doFinal(out, 0);
    }

    /** MAC(key, data): keyed BLAKE2s with a 16-byte digest; key is 1-32 bytes. */
    public static void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        keyed(key, data, off, len, out, outOff, MAC_SIZE);
    }

    /**
     * Keyed BLAKE2s (RFC 7693 section 2.5) with an {@code outLen}-byte digest, 1-32; key is 1-32
     * bytes. The digest length is a parameter of the hash, not a truncation.
     */
    public static void keyed(byte[] key, byte[] data, int off, int len, byte[] out, int outOff, int outLen) {
        if (key.length < 1 || key.length > 32 || outLen < 1 || outLen > HASH_SIZE) {
            throw new IllegalArgumentException("BLAKE2s key and digest are 1 to 32 bytes");
        }
        Blake2sDigest d = new Blake2sDigest(key, outLen, null, null);
        d.update(data, off, len);
        d.doFinal(out, outOff);
        d.clearKey();
    }

    /** HMAC(key, data) with BLAKE2s (RFC 2104, 64-byte block, 32-byte output). */
    public static void hmac(byte[] key, byte[] out, byte[]... data) {
        byte[] k = new byte[BLOCK];
        if (key.length > BLOCK) {
            hash(k, key);
        } else {
            System.arraycopy(key, 0, k, 0, key.length);
        }
        byte[] pad = new byte[BLOCK];
        byte[] inner = new byte[HASH_SIZE];
        try {
            for (int i = 0; i < BLOCK; i++) {
                pad[i] = (byte) (k[i] ^ 0x36);
            }
            Blake2sDigest d = new Blake2sDigest(256);
            d.update(pad, 0, BLOCK);
            for (byte[] p : data) {
                d.update(p, 0, p.length);
            }
            d.doFinal(inner, 0);
            for (int i = 0; i < BLOCK; i++) {
                pad[i] = (byte) (k[i] ^ 0x5c);
            }
            d.update(pad, 0, BLOCK);
            d.update(inner, 0, HASH_SIZE);
            d.doFinal(out, 0);
        } finally {
            Arrays.fill(k, (byte) 0);
            Arrays.fill(pad, (byte) 0);
            Arrays.fill(inner, (byte) 0);
        }
    }

    /**
     * KDF_n(key, input) of the whitepaper: t0 = HMAC(key, input); t_i = HMAC(t0, t_{i-1} || i).
     * Fills each of {@code outs} (1 to 3 arrays of 32 bytes) in order.
     */
    public static void kdf(byte[] key, byte[] input, byte[]... outs) {
        if (outs.length < 1 || outs.length > 3) {
            throw new IllegalArgumentException("KDF yields 1 to 3 keys");
        }
        byte[] t0 = new byte[HASH_SIZE];
        byte[] prev = new byte[0];
        byte[] counter = new byte[1];
        try {
            hmac(key, t0, input);
            for (int i = 0; i < outs.length; i++) {
                counter[0] = (byte) (i + 1);
                hmac(t0, outs[i], prev, counter);
                prev = outs[i];
            }
        } finally {
            Arrays.fill(t0, (byte) 0);
        }
    }
}
