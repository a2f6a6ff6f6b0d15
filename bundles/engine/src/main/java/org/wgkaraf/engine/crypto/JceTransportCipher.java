package org.wgkaraf.engine.crypto;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * {@link TransportCipher} over the running JDK's "ChaCha20-Poly1305" Cipher. The Cipher object is
 * reused; the JCE API still needs a fresh nonce spec per packet and the JDK copies key and nonce on
 * every init, so this path allocates a little per packet (the calibration weighs that in).
 */
public final class JceTransportCipher implements TransportCipher {
    public static final Factory FACTORY = new Factory() {
        @Override
        public String name() {
            return "jce";
        }

        @Override
        public TransportCipher create(byte[] key) {
            return new JceTransportCipher(key);
        }
    };

    static final String ALGORITHM = "ChaCha20-Poly1305";
    private static final int KEY_SIZE = 32;
    private static final int TAG_SIZE = ChaChaPoly.TAG_SIZE;

    private final Cipher cipher;
    private final RawKey key;
    private final byte[] nonce = new byte[12];
    private boolean initialised;
    private long lastCounter;
    private boolean destroyed;

    private JceTransportCipher(byte[] key) {
        if (key.length != KEY_SIZE) {
            throw new IllegalArgumentException("transport key must be 32 bytes");
        }
        this.cipher = newCipher();
        this.key = new RawKey(key.clone());
    }

    /** True when the running JDK offers ChaCha20-Poly1305 (Java 11 and later normally do). */
    public static boolean isAvailable() {
        try {
            newCipher();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * The JDK's own provider first: in Karaf a BouncyCastle JCE provider may be registered ahead
     * of it, and this class is meant to measure the JDK's implementation.
     */
    private static Cipher newCipher() {
        try {
            Provider sun = Security.getProvider("SunJCE");
            return sun != null ? Cipher.getInstance(ALGORITHM, sun) : Cipher.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException(ALGORITHM + " is not available from the JDK's providers", e);
        }
    }

    @Override
    public int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkLive();
        try {
            init(Cipher.ENCRYPT_MODE, counter);
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 seal failed", e);
        }
    }

    @Override
    public int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkLive();
        if (len < TAG_SIZE) {
            return -1;
        }
        try {
            init(Cipher.DECRYPT_MODE, counter);
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 open failed", e);
        }
    }

    /**
     * The JDK refuses to initialise with the key and nonce of the previous init, in either mode. A
     * forged packet followed by the genuine one with the same counter would then be refused, so a
     * repeated counter first passes through a nonce WireGuard never uses (non-zero first word).
     * Sealing twice with one counter is thereby as possible as with BouncyCastle: counters are the
     * keypair's to keep unique.
     */
    private void init(int mode, long counter) throws GeneralSecurityException {
        if (initialised && counter == lastCounter) {
            nonce[0] = 1;
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
            nonce[0] = 0;
        }
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        cipher.init(mode, key, new IvParameterSpec(nonce));
        initialised = true;
        lastCounter = counter;
    }

    private void checkLive() {
        if (destroyed) {
            throw new IllegalStateException("transport cipher used after destroy");
        }
    }

    @Override
    public void destroy() {
        key.destroy();
        // The JDK cipher zeroes its copy of the previous key when it is initialised again.
        try {
            cipher.init(Cipher.DECRYPT_MODE, new RawKey(new byte[KEY_SIZE]), new IvParameterSpec(new byte[12]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not clear the JCE cipher's key", e);
        }
        destroyed = true;
    }

    /** Our copy of the key; for the key-zeroing test. */
    byte[] keyMaterial() {
        return key.bytes.clone();
    }

    /**
     * A raw ChaCha20 key that, unlike SecretKeySpec, can be destroyed. getEncoded returns a copy as
     * the Key contract asks; the JDK cipher owns and later zeroes that copy.
     */
    private static final class RawKey implements SecretKey {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;
        private boolean destroyed;

        RawKey(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public String getAlgorithm() {
            return "ChaCha20";
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return bytes.clone();
        }

        @Override
        public void destroy() {
            Arrays.fill(bytes, (byte) 0);
            destroyed = true;
        }

        @Override
        public boolean isDestroyed() {
            return destroyed;
        }

        @Override
        public String toString() {
            return "RawKey[ChaCha20, 32 bytes]";
        }
    }
}
