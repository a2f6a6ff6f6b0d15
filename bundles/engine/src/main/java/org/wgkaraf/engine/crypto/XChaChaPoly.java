package org.wgkaraf.engine.crypto;

import java.util.Arrays;
import org.bouncycastle.util.Pack;

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha): HChaCha20 derives a subkey from the key and the
 * first 16 bytes of the 24-byte nonce; ChaCha20-Poly1305 then runs with the last 8 bytes.
 * BouncyCastle has no XChaCha20, so HChaCha20 is written here over the ChaCha20 quarter round.
 */
public final class XChaChaPoly {
    public static final int NONCE_SIZE = 24;

    private XChaChaPoly() {
    }

    public static void seal(byte[] key, byte[] nonce24, byte[] plain, byte[] aad, byte[] out, int outOff) {
        byte[] sub = hchacha20(key, nonce24);
        try {
            ChaChaPoly.seal(sub, tailNonce(nonce24), plain, 0, plain.length, aad, out, outOff);
        } finally {
            Arrays.fill(sub, (byte) 0);
        }
    }

    public static boolean open(byte[] key, byte[] nonce24, byte[] in, int inOff, int len, byte[] aad, byte[] out, int outOff) {
        byte[] sub = hchacha20(key, nonce24);
        try {
            return ChaChaPoly.open(sub, tailNonce(nonce24), in, inOff, len, aad, out, outOff);
        } finally {
            Arrays.fill(sub, (byte) 0);
        }
    }

    private static byte[] tailNonce(byte[] nonce24) {
        byte[] n = new byte[12];
        System.arraycopy(nonce24, 16, n, 4, 8);
        return n;
    }

    /** HChaCha20(key, nonce[0..16)) -> 32-byte subkey. */
    public static byte[] hchacha20(byte[] key, byte[] nonce) {
        int[] x = new int[16];
        x[0] = 0x61707865;
        x[1] = 0x3320646e;
        x[2] = 0x79622d32;
        x[3] = 0x6b206574;
        for (int i = 0; i < 8; i++) {
            x[4 + i] = Pack.littleEndianToInt(key, 4 * i);
        }
        for (int i = 0; i < 4; i++) {
            x[12 + i] = Pack.littleEndianToInt(nonce, 4 * i);
        }
        for (int round = 0; round < 10; round++) {
            quarter(x, 0, 4, 8, 12);
            quarter(x, 1, 5, 9, 13);
            quarter(x, 2, 6, 10, 14);
            quarter(x, 3, 7, 11, 15);
            quarter(x, 0, 5, 10, 15);
            quarter(x, 1, 6, 11, 12);
            quarter(x, 2, 7, 8, 13);
            quarter(x, 3, 4, 9, 14);
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 4; i++) {
            Pack.intToLittleEndian(x[i], out, 4 * i);
            Pack.intToLittleEndian(x[12 + i], out, 16 + 4 * i);
        }
        Arrays.fill(x, 0);
        return out;
    }

    private static void quarter(int[] x, int a, int b, int c, int d) {
        x[a] += x[b];
        x[d] = Integer.rotateLeft(x[d] ^ x[a], 16);
        x[c] += x[d];
        x[b] = Integer.rotateLeft(x[b] ^ x[c], 12);
        x[a] += x[b];
        x[d] = Integer.rotateLeft(x[d] ^ x[a], 8);
        x[c] += x[d];
        x[b] = Integer.rotateLeft(x[b] ^ x[c], 7);
    }
}
