package org.wgkaraf.engine.crypto;

import java.util.Arrays;

/** {@link TransportCipher} over BouncyCastle's ChaCha20-Poly1305. */
public final class BcTransportCipher implements TransportCipher {
    public static final Factory FACTORY = new Factory() {
        @Override
        public String name() {
            return "bouncycastle";
        }

        @Override
        public TransportCipher create(byte[] key) {
            return new BcTransportCipher(key);
        }
    };

    private final byte[] key;

    private BcTransportCipher(byte[] key) {
        this.key = key.clone();
    }

    @Override
    public int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        ChaChaPoly.seal(key, ChaChaPoly.nonce(counter), in, inOff, len, null, out, outOff);
        return len + ChaChaPoly.TAG_SIZE;
    }

    @Override
    public int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        return ChaChaPoly.open(key, counter, in, inOff, len, null, out, outOff) ? len - ChaChaPoly.TAG_SIZE : -1;
    }

    @Override
    public void destroy() {
        Arrays.fill(key, (byte) 0);
    }
}
