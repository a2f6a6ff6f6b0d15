package org.wgkaraf.engine.crypto;

import java.security.SecureRandom;

/** Curve25519 Diffie-Hellman (RFC 7748), over BouncyCastle. */
public final class X25519 {
    public static final int KEY_SIZE = 32;

    private X25519() {
    }

    /** A random clamped private key, as {@code wg genkey} makes. */
    public static void generatePrivateKey(SecureRandom random, byte[] out) {
        org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(random, out);
        clamp(out);
    }

    public static void clamp(byte[] k) {
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
    }

    public static void publicKey(byte[] privateKey, byte[] out) {
        org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(privateKey, 0, out, 0);
    }

    /**
     * Computes the shared secret. Returns false when it is all zeros (the peer sent a low-order
     * point); the handshake must then be refused.
     */
    public static boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) {
        return org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0);
    }
}
