package org.wgkaraf.engine.crypto;

/**
 * The AEAD of one direction of one keypair: ChaCha20-Poly1305 with the key fixed at creation and
 * the counter as nonce, empty associated data. Not thread-safe: a keypair guards its own.
 */
public interface TransportCipher {
    /** Encrypts {@code len} bytes into {@code out}; returns the bytes written (len + 16). */
    int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff);

    /** Decrypts {@code len} bytes (ciphertext + tag); returns the plaintext length, or -1 when forged. */
    int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff);

    /** Zeroes the key. */
    void destroy();

    /** Makes ciphers of one implementation. */
    interface Factory {
        String name();

        /** The cipher copies {@code key}. */
        TransportCipher create(byte[] key);
    }
}
