package org.wgkaraf.api.engine;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * A 32-byte secret: a Curve25519 private key or a pre-shared key. It never prints itself
 * ({@link #toString()} is {@code (hidden)}), and {@link #destroy()} zeroes it.
 */
public final class SecretKey {
    private final byte[] bytes;
    private volatile boolean destroyed;

    private SecretKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies {@code raw}; the caller should zero its own array. */
    public static SecretKey of(byte[] raw) {
        return new SecretKey(Keys.checkLength("secret key", raw));
    }

    /** @throws IllegalArgumentException with a message a user can act on, never quoting the value */
    public static SecretKey fromBase64(String base64) {
        return new SecretKey(Keys.decode("key", base64));
    }

    /** A copy of the secret; the caller zeroes it when done. */
    public byte[] toBytes() {
        if (destroyed) {
            throw new IllegalStateException("secret key was destroyed");
        }
        return bytes.clone();
    }

    /** Base64, as {@code wg genkey} prints it. Only for writing the key where the user asked it to go. */
    public String toBase64() {
        byte[] copy = toBytes();
        try {
            return Base64.getEncoder().encodeToString(copy);
        } finally {
            Arrays.fill(copy, (byte) 0);
        }
    }

    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 0x5ec12e7; // never derived from the secret
    }

    @Override
    public String toString() {
        return "(hidden)";
    }
}
