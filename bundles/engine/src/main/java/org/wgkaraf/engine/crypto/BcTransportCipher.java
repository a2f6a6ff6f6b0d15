package org.wgkaraf.engine.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.engines.ChaChaEngine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Pack;

/**
 * {@link TransportCipher} that composes RFC 8439's AEAD from BouncyCastle's ChaCha20 block function
 * and Poly1305. BouncyCastle's own ChaCha20Poly1305 allocates parameter objects and the one-time
 * key block on every init, and its stream cipher XORs one byte at a time; here the nonce is set in
 * the engine state directly, the keystream is applied eight bytes at a time, and nothing is
 * allocated per packet.
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
    private static final byte[] ZEROS = new byte[16];

    private final PacketChaCha chacha = new PacketChaCha();
    private final Poly1305 poly = new Poly1305();
    private final OneTimeKey oneTimeKey = new OneTimeKey();
    /** Keystream block 0, whose first 32 bytes key Poly1305. */
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
        chacha.xor(in, inOff, len, out, outOff);
        authenticate(out, outOff, len, out, outOff + len);
        return len + TAG_SIZE;
    }

    @Override
    public int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkLive();
        if (len < TAG_SIZE) {
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
        chacha.xor(in, inOff, plainLen, out, outOff);
        return plainLen;
    }

    /** Sets the nonce to 0^32 || LE64(counter) and keys Poly1305 from keystream block 0 (RFC 8439 2.6). */
    private void start(long counter) {
        checkLive();
        chacha.setNonce(counter);
        chacha.nextBlock(block0);
        System.arraycopy(block0, 0, oneTimeKey.key, 0, KEY_SIZE);
        poly.init(oneTimeKey);
        Arrays.fill(block0, (byte) 0);
        Arrays.fill(oneTimeKey.key, (byte) 0);
    }

    /** Poly1305 over ciphertext || pad16 || LE64(aad length = 0) || LE64(ciphertext length). */
    private void authenticate(byte[] ct, int ctOff, int ctLen, byte[] mac, int macOff) {
        poly.update(ct, ctOff, ctLen);
        poly.update(ZEROS, 0, -ctLen & 15);
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
        // Re-keying with zeros overwrites the key words of the engine state and its working block.
        chacha.init(true, new ParametersWithIV(new KeyParameter(new byte[KEY_SIZE]), new byte[12]));
        chacha.wipe();
        poly.init(new KeyParameter(new byte[KEY_SIZE]));
        Arrays.fill(tag, (byte) 0);
        destroyed = true;
    }

    /** The key as the engine holds it; for the key-zeroing test. */
    byte[] keyMaterial() {
        return chacha.key();
    }

    /**
     * ChaCha20 (RFC 8439 2.3-2.4) over BouncyCastle's block function, addressed through the state
     * words: 4-11 key, 12 block counter, 13-15 nonce.
     */
    private static final class PacketChaCha extends ChaCha7539Engine {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private final byte[] keystream = new byte[64];

        void setNonce(long counter) {
            engineState[12] = 0;
            engineState[13] = 0;
            engineState[14] = (int) counter;
            engineState[15] = (int) (counter >>> 32);
        }

        /** Writes the next 64-byte keystream block and steps the block counter. */
        void nextBlock(byte[] out) {
            generateKeyStream(out);
            advanceCounter();
        }

        /**
         * out = in XOR keystream, from the current block on; in == out is fine. Full blocks take the
         * keystream words straight from the block function's output, eight bytes at a time.
         */
        void xor(byte[] in, int inOff, int len, byte[] out, int outOff) {
            int done = 0;
            for (; len - done >= 64; done += 64) {
                ChaChaEngine.chachaCore(rounds, engineState, x);
                advanceCounter();
                int i = inOff + done;
                int o = outOff + done;
                for (int w = 0; w < 16; w += 2, i += 8, o += 8) {
                    long k = (x[w] & 0xffffffffL) | ((long) x[w + 1] << 32);
                    LONGS.set(out, o, (long) LONGS.get(in, i) ^ k);
                }
            }
            if (done < len) {
                nextBlock(keystream);
                for (int i = 0; done + i < len; i++) {
                    out[outOff + done + i] = (byte) (in[inOff + done + i] ^ keystream[i]);
                }
                Arrays.fill(keystream, (byte) 0);
            }
        }

        void wipe() {
            Arrays.fill(keystream, (byte) 0);
            Arrays.fill(x, 0);
        }

        byte[] key() {
            byte[] k = new byte[KEY_SIZE];
            Pack.intToLittleEndian(engineState, 4, 8, k, 0);
            return k;
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
