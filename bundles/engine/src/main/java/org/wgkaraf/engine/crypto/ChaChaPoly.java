package org.wgkaraf.engine.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One-shot ChaCha20-Poly1305 (RFC 8439) with WireGuard's nonce (32 zero bits, then a 64-bit
 * little-endian counter). Used by the handshake; the transport path uses {@link TransportCipher}.
 */
public final class ChaChaPoly {
    public static final int TAG_SIZE = 16;

    private ChaChaPoly() {
    }

    public static byte[] nonce(long counter) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (counter >>> (8 * i));
        }
        return n;
    }

    /** Encrypts {@code plain} into {@code out} at {@code outOff}; writes plain.length + 16 bytes. */
    public static void seal(byte[] key, long counter, byte[] plain, byte[] aad, byte[] out, int outOff) {
        seal(key, nonce(counter), plain, 0, plain.length, aad, out, outOff);
    }

    public static void seal(byte[] key, byte[] nonce, byte[] in, int inOff, int len, byte[] aad, byte[] out, int outOff) {
        ChaCha20Poly1305 c = new ChaCha20Poly1305();
        c.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        int n = c.processBytes(in, inOff, len, out, outOff);
        try {
            c.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Decrypts {@code len} bytes (ciphertext and tag) into {@code out}; returns false when the
     * tag does not match (then {@code out} holds nothing usable).
     */
    public static boolean open(byte[] key, long counter, byte[] in, int inOff, int len, byte[] aad, byte[] out, int outOff) {
        return open(key, nonce(counter), in, inOff, len, aad, out, outOff);
    }

    public static boolean open(byte[] key, byte[] nonce, byte[] in, int inOff, int len, byte[] aad, byte[] out, int outOff) {
        if (len < TAG_SIZE) {
            return false;
        }
        ChaCha20Poly1305 c = new ChaCha20Poly1305();
        c.init(false, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        try {
            int n = c.processBytes(in, inOff, len, out, outOff);
            c.doFinal(out, outOff + n);
            return true;
        } catch (InvalidCipherTextException | RuntimeException e) {
            return false;
        }
    }
}
