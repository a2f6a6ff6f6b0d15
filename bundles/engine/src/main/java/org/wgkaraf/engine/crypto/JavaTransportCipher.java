package org.wgkaraf.engine.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * {@link TransportCipher} written here in plain Java (RFC 8439 section 2.8 with empty associated
 * data), from {@link ChaCha20Keystream} and {@link Poly1305Tag}. It exists because neither library
 * is built for this JIT: BouncyCastle's ChaCha20 works on state arrays and its Poly1305 copies each
 * block before use, and JDK 17's cipher has no intrinsic and allocates on every init. Here the
 * block function and the MAC keep their state in locals, read the packet through little-endian
 * long views, and allocate nothing per packet.
 */
public final class JavaTransportCipher implements TransportCipher {
    public static final Factory FACTORY = new Factory() {
        @Override
        public String name() {
            return "java";
        }

        @Override
        public TransportCipher create(byte[] key) {
            return new JavaTransportCipher(key);
        }
    };

    private static final int TAG_SIZE = ChaChaPoly.TAG_SIZE;
    /** Input for the one-time key: encrypting 32 zero bytes with block 0 yields its keystream. */
    private static final byte[] ZEROS = new byte[32];

    private final ChaCha20Keystream chacha;
    private final Poly1305Tag poly = new Poly1305Tag();
    /** The Poly1305 key of the current packet; zeroed as soon as the MAC holds it. */
    private final byte[] oneTimeKey = new byte[32];
    private boolean destroyed;

    private JavaTransportCipher(byte[] key) {
        if (key.length != ChaCha20Keystream.KEY_SIZE) {
            throw new IllegalArgumentException("transport key must be 32 bytes");
        }
        chacha = new ChaCha20Keystream(key, 0);
    }

    @Override
    public int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkLive();
        Objects.checkFromIndexSize(inOff, len, in.length);
        Objects.checkFromIndexSize(outOff, len + TAG_SIZE, out.length);
        start(counter);
        chacha.xor(1, in, inOff, out, outOff, len);
        poly.tag(out, outOff, len, out, outOff + len);
        return len + TAG_SIZE;
    }

    @Override
    public int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkLive();
        if (len < TAG_SIZE) {
            return -1;
        }
        int plainLen = len - TAG_SIZE;
        Objects.checkFromIndexSize(inOff, len, in.length);
        Objects.checkFromIndexSize(outOff, plainLen, out.length);
        start(counter);
        // Authenticate before decrypting: a forged packet costs one MAC and leaves out untouched,
        // and in == out works because the ciphertext is read in full before it is overwritten.
        if (!poly.verify(in, inOff, plainLen, in, inOff + plainLen)) {
            return -1;
        }
        chacha.xor(1, in, inOff, out, outOff, plainLen);
        return plainLen;
    }

    /** Sets the nonce to 0^32 || LE64(counter) and keys Poly1305 from keystream block 0 (RFC 8439 2.6). */
    private void start(long counter) {
        chacha.setNonce(counter);
        chacha.xor(0, ZEROS, 0, oneTimeKey, 0, oneTimeKey.length);
        poly.init(oneTimeKey, 0);
        Arrays.fill(oneTimeKey, (byte) 0);
    }

    private void checkLive() {
        if (destroyed) {
            throw new IllegalStateException("transport cipher used after destroy");
        }
    }

    @Override
    public void destroy() {
        chacha.destroy();
        poly.clear();
        Arrays.fill(oneTimeKey, (byte) 0);
        destroyed = true;
    }

    /** The key as the cipher holds it; for the key-zeroing test. */
    byte[] keyMaterial() {
        return chacha.key();
    }
}
