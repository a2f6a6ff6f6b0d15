package org.wgkaraf.api.engine;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/** A Curve25519 public key: 32 bytes, printed as base64 like {@code wg pubkey} does. */
public final class PublicKey {
    private final byte[] bytes;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PublicKey of(byte[] raw) {
        return new PublicKey(Keys.checkLength("public key", raw));
    }

    /** @throws IllegalArgumentException with a message a user can act on */
    public static PublicKey fromBase64(String base64) {
        return new PublicKey(Keys.decode("public key", base64));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toBase64();
    }
}
