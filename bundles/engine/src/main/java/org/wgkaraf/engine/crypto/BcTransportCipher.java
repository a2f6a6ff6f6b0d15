package org.wgkaraf.engine.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Pack;

/**
 * {@link TransportCipher} that composes RFC 8439's AEAD from BouncyCastle's ChaCha7539Engine and
 * Poly1305. BouncyCastle's own ChaCha20Poly1305 allocates parameter objects and the one-time key
 * block on every init; driving the two primitives directly with reused parameter objects makes the
 * per-packet path allocation-free.
 */
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

    private static final int KEY_SIZE = 32;
    private static final int TAG_SIZE = ChaChaPoly.TAG_SIZE;
    private static final byte[] ZEROS = new byte[64];

    private final KeyedChaCha chacha = new KeyedChaCha();
    private final Poly1305 poly = new Poly1305();
    private final NonceParameter nonce = new NonceParameter();
    private final OneTimeKey oneTimeKey = new OneTimeKey();
    /** The first keystream block: its first 32 bytes are the Poly1305 key (RFC 8439 2.6). */
    private final byte[] block0 = new byte[64];
    private final byte[] lengths = new byte[16];
    private final byte[] tag = new byte[TAG_SIZE];
    private boolean destroyed;

    private BcTransportCipher(byte[] key) {
        if (key.length != KEY_SIZE) {
            throw new IllegalArgumentException("transport key must be 32 bytes");
        }
        // The KeyParameter copies the key; the engine unpacks it into its state, then the copy goes.
        KeyParameter initial = new KeyParameter(key);
        chacha.init(true, new ParametersWithIV(initial, new byte[12]));
        Arrays.fill(initial.getKey(), (byte) 0);
    }

    @Override
    public int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        start(counter);
        chacha.processBytes(in, inOff, len, out, outOff);
        authenticate(out, outOff, len, out, outOff + len);
        return len + TAG_SIZE;
    }

    @Override
    public int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (len < TAG_SIZE) {
            checkLive();
            return -1;
        }
        int plainLen = len - TAG_SIZE;
        start(counter);
        // Authenticate before decrypting: a forged packet costs one MAC and leaves out untouched,
        // and in == out works because the ciphertext is read in full before it is overwritten.
        authenticate(in, inOff, plainLen, tag, 0);
        if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(TAG_SIZE, tag, 0, in, inOff + plainLen)) {
            return -1;
        }
        chacha.processBytes(in, inOff, plainLen, out, outOff);
        return plainLen;
    }

    /** Sets the nonce to 0^32 || LE64(counter) and keys Poly1305 from keystream block 0. */
    private void start(long counter) {
        checkLive();
        Pack.longToLittleEndian(counter, nonce.iv, 4);
        chacha.init(true, nonce);
        chacha.processBytes(ZEROS, 0, 64, block0, 0);
        System.arraycopy(block0, 0, oneTimeKey.key, 0, KEY_SIZE);
        poly.init(oneTimeKey);
        Arrays.fill(block0, (byte) 0);
        Arrays.fill(oneTimeKey.key, (byte) 0);
    }

    /** Poly1305 over ciphertext || pad16 || LE64(aad length = 0) || LE64(ciphertext length). */
    private void authenticate(byte[] ct, int ctOff, int ctLen, byte[] mac, int macOff) {
        poly.update(ct, ctOff, ctLen);
        int pad = -ctLen & 15;
        poly.update(ZEROS, 0, pad);
        Pack.longToLittleEndian(0L, lengths, 0);
        Pack.longToLittleEndian(ctLen, lengths, 8);
        poly.update(lengths, 0, 16);
        poly.doFinal(mac, macOff);
    }

    private void checkLive() {
        if (destroyed) {
            throw new IllegalStateException("transport cipher used after destroy");
        }
    }

    @Override
    public void destroy() {
        // Re-keying with zeros overwrites the key words in the engine state and its keystream.
        chacha.init(true, new ParametersWithIV(new KeyParameter(new byte[KEY_SIZE]), new byte[12]));
        poly.init(new KeyParameter(new byte[KEY_SIZE]));
        Arrays.fill(tag, (byte) 0);
        destroyed = true;
    }

    /** The key as the engine holds it; for the key-zeroing test. */
    byte[] keyMaterial() {
        return chacha.key();
    }

    /** Exposes the key words of the state (RFC 8439 2.3: words 4 to 11) for {@link #keyMaterial()}. */
    private static final class KeyedChaCha extends ChaCha7539Engine {
        byte[] key() {
            byte[] k = new byte[KEY_SIZE];
            Pack.intToLittleEndian(engineState, 4, 8, k, 0);
            return k;
        }
    }

    /** A nonce we rewrite in place; a null key tells the engine to keep its key (re-IV only). */
    private static final class NonceParameter extends ParametersWithIV {
        final byte[] iv = new byte[12];

        NonceParameter() {
            super(null, new byte[12]);
        }

        @Override
        public byte[] getIV() {
            return iv;
        }
    }

    /** A Poly1305 key we rewrite in place for each packet. */
    private static final class OneTimeKey extends KeyParameter {
        final byte[] key = new byte[KEY_SIZE];

        OneTimeKey() {
            super(new byte[KEY_SIZE]);
        }

        @Override
        public byte[] getKey() {
            return key;
        }
    }
}
