package org.wgkaraf.engine.core;

import java.util.Arrays;
import org.wgkaraf.engine.crypto.Blake2s;
import org.wgkaraf.engine.crypto.Blake2sKdf;
import org.wgkaraf.engine.crypto.ChaChaPoly;
import org.wgkaraf.engine.crypto.X25519;

/**
 * The Noise IKpsk2 handshake (Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s) with any prologue and
 * payloads, as the whitepaper's section 5.4.2 and 5.4.3 spell it out for WireGuard. WireGuard is
 * this with prologue = IDENTIFIER, a 12-byte timestamp as the first payload and an empty second
 * one; the generic form lets the published Noise vectors test it.
 *
 * <p>Message A (initiator to responder): e, es, s, ss, payload. Message B: e, ee, se, psk, payload.
 * Each instance is one handshake; {@link #destroy()} zeroes its secrets.
 *
 * <p>The start of a WireGuard handshake depends only on the responder's static public key, so the
 * device computes it once per key ({@link #wireGuardStart}) and each handshake begins from that
 * copy ({@link #wireGuard(byte[], Blake2sKdf)}) instead of hashing the protocol name, the
 * identifier and the key again.
 */
public final class Noise {
    private static final byte[] EMPTY = new byte[0];
    /** ChaChaPoly's nonce for the handshake's AEADs: each key seals or opens one message only. */
    private static final byte[] ZERO_NONCE = ChaChaPoly.nonce(0);
    /** The initial chaining key of WireGuard: HASH(CONSTRUCTION). */
    private static final byte[] WG_CHAINING_KEY = new byte[32];

    static {
        Blake2s.hash(WG_CHAINING_KEY, Constants.CONSTRUCTION);
    }

    private final Blake2sKdf kdf;

    private final byte[] ck = new byte[32];
    private final byte[] h = new byte[32];
    private final byte[] key = new byte[32];
    private final byte[] dh = new byte[32];
    private final byte[] ephemeralPrivate = new byte[32];
    private final byte[] ephemeralPublic = new byte[32];
    private final byte[] remoteEphemeral = new byte[32];
    private final byte[] remoteStatic = new byte[32];

    /** Starts a handshake whose responder has static public key {@code responderStatic}. */
    public Noise(byte[] protocolName, byte[] prologue, byte[] responderStatic) {
        this.kdf = new Blake2sKdf();
        if (protocolName.length <= 32) {
            System.arraycopy(protocolName, 0, h, 0, protocolName.length);
        } else {
            Blake2s.hash(h, protocolName);
        }
        System.arraycopy(h, 0, ck, 0, 32);
        mixHash(prologue, 0, prologue.length);
        mixHash(responderStatic, 0, 32);
    }

    private Noise(Blake2sKdf kdf) {
        this.kdf = kdf;
    }

    /** An independent copy (sharing this one's scratch), so a message can be tried without spoiling this state. */
    public Noise copy() {
        Noise c = new Noise(kdf);
        byte[][] from = fields();
        byte[][] to = c.fields();
        for (int i = 0; i < from.length; i++) {
            System.arraycopy(from[i], 0, to[i], 0, 32);
        }
        return c;
    }

    private byte[][] fields() {
        return new byte[][] {ck, h, key, dh, ephemeralPrivate, ephemeralPublic, remoteEphemeral, remoteStatic};
    }

    /** The WireGuard form, computed from the start. */
    public static Noise wireGuard(byte[] responderStatic) {
        return new Noise(Constants.CONSTRUCTION, Constants.IDENTIFIER, responderStatic);
    }

    /**
     * Writes into {@code hashOut} (32 bytes) the handshake hash a WireGuard handshake to the
     * responder {@code responderStatic} starts from: HASH(HASH(HASH(CONSTRUCTION) || IDENTIFIER)
     * || responderStatic). Public data only; it need not be kept secret.
     */
    public static void wireGuardStart(byte[] responderStatic, byte[] hashOut) {
        if (responderStatic.length != 32 || hashOut.length != 32) {
            throw new IllegalArgumentException("keys and hashes are 32 bytes");
        }
        System.arraycopy(wireGuard(responderStatic).h, 0, hashOut, 0, 32);
    }

    /**
     * The WireGuard form from a start precomputed by {@link #wireGuardStart}, hashing with
     * {@code kdf}'s scratch (which the caller must not use from another thread meanwhile).
     */
    public static Noise wireGuard(byte[] start, Blake2sKdf kdf) {
        if (start.length != 32 || kdf == null) {
            throw new IllegalArgumentException("a 32-byte start and a KDF scratch are needed");
        }
        Noise n = new Noise(kdf);
        System.arraycopy(WG_CHAINING_KEY, 0, n.ck, 0, 32);
        System.arraycopy(start, 0, n.h, 0, 32);
        return n;
    }

    public byte[] handshakeHash() {
        return h.clone();
    }

    public byte[] remoteStatic() {
        return remoteStatic.clone();
    }

    public byte[] remoteEphemeral() {
        return remoteEphemeral.clone();
    }

    /** Uses this ephemeral private key instead of a random one (test vectors). */
    public void setEphemeral(byte[] privateKey) {
        System.arraycopy(privateKey, 0, ephemeralPrivate, 0, 32);
        X25519.publicKey(ephemeralPrivate, ephemeralPublic);
    }

    public void generateEphemeral(java.security.SecureRandom random) {
        X25519.generatePrivateKey(random, ephemeralPrivate);
        X25519.publicKey(ephemeralPrivate, ephemeralPublic);
    }

    /**
     * Writes message A into {@code out} at {@code off}: 32 + 48 + payload.length + 16 bytes.
     * {@code staticStatic} is DH(s_i, S_r), precomputed per peer. Returns false on a low-order key.
     */
    public boolean writeA(byte[] staticPublic, byte[] staticStatic, byte[] responderStatic,
                          byte[] payload, byte[] out, int off) {
        // e
        System.arraycopy(ephemeralPublic, 0, out, off, 32);
        mixHash(ephemeralPublic, 0, 32);
        mixKey(ephemeralPublic); // psk modifier: e also feeds the chaining key
        // es
        if (!X25519.sharedSecret(ephemeralPrivate, responderStatic, dh)) {
            return false;
        }
        mixKeyDerive(dh);
        // s
        encryptAndHash(staticPublic, 0, 32, out, off + 32);
        // ss
        mixKeyDerive(staticStatic);
        // payload
        encryptAndHash(payload, 0, payload.length, out, off + 80);
        return true;
    }

    /**
     * Reads the first half of message A (from {@code in} at {@code off}) as the
     * responder with static key {@code staticPrivate}. On success the initiator's static key is
     * {@link #remoteStatic()} and the payload is in {@code payloadOut}. The caller must then check
     * that the initiator is a known peer and pass its DH(s_r, S_i) to {@link #finishReadA}.
     */
    public boolean readA(byte[] staticPrivate, byte[] in, int off) {
        System.arraycopy(in, off, remoteEphemeral, 0, 32);
        mixHash(remoteEphemeral, 0, 32);
        mixKey(remoteEphemeral);
        if (!X25519.sharedSecret(staticPrivate, remoteEphemeral, dh)) {
            return false;
        }
        mixKeyDerive(dh);
        return decryptAndHash(in, off + 32, 32 + 16, remoteStatic, 0);
    }

    /** The second half of reading message A: ss and the payload. */
    public boolean finishReadA(byte[] staticStatic, byte[] in, int off, int payloadLength, byte[] payloadOut) {
        mixKeyDerive(staticStatic);
        return decryptAndHash(in, off + 80, payloadLength + 16, payloadOut, 0);
    }

    /** Writes message B: 32 + payload.length + 16 bytes. Returns false on a low-order key. */
    public boolean writeB(byte[] initiatorStatic, byte[] psk, byte[] payload, byte[] out, int off) {
        System.arraycopy(ephemeralPublic, 0, out, off, 32);
        mixHash(ephemeralPublic, 0, 32);
        mixKey(ephemeralPublic);
        // ee
        if (!X25519.sharedSecret(ephemeralPrivate, remoteEphemeral, dh)) {
            return false;
        }
        mixKeyDerive(dh);
        // se
        if (!X25519.sharedSecret(ephemeralPrivate, initiatorStatic, dh)) {
            return false;
        }
        mixKeyDerive(dh);
        mixKeyAndHash(psk);
        encryptAndHash(payload, 0, payload.length, out, off + 32);
        return true;
    }

    /** Reads message B as the initiator with static key {@code staticPrivate}. */
    public boolean readB(byte[] staticPrivate, byte[] psk, byte[] in, int off, int payloadLength, byte[] payloadOut) {
        System.arraycopy(in, off, remoteEphemeral, 0, 32);
        mixHash(remoteEphemeral, 0, 32);
        mixKey(remoteEphemeral);
        if (!X25519.sharedSecret(ephemeralPrivate, remoteEphemeral, dh)) {
            return false;
        }
        mixKeyDerive(dh);
        if (!X25519.sharedSecret(staticPrivate, remoteEphemeral, dh)) {
            return false;
        }
        mixKeyDerive(dh);
        mixKeyAndHash(psk);
        return decryptAndHash(in, off + 32, payloadLength + 16, payloadOut, 0);
    }

    /** Split: the two transport keys (initiator's sending key first). */
    public void split(byte[] first, byte[] second) {
        kdf.kdf(ck, EMPTY, 0, 0, first, second, null);
    }

    public void destroy() {
        for (byte[] b : fields()) {
            Arrays.fill(b, (byte) 0);
        }
    }

    // --- symmetric state ---

    private void mixHash(byte[] data, int off, int len) {
        kdf.hash(h, h, data, off, len);
    }

    /** Ck = KDF1(Ck, input): the psk modifier's treatment of e. */
    private void mixKey(byte[] input) {
        kdf.kdf(ck, input, 0, input.length, ck, null, null);
    }

    /** (Ck, k) = KDF2(Ck, input). */
    private void mixKeyDerive(byte[] input) {
        kdf.kdf(ck, input, 0, input.length, ck, key, null);
    }

    /** (Ck, tau, k) = KDF3(Ck, psk); H = HASH(H || tau). Tau goes through {@code dh}, free at this point. */
    private void mixKeyAndHash(byte[] psk) {
        kdf.kdf(ck, psk, 0, psk.length, ck, dh, key);
        mixHash(dh, 0, 32);
        Arrays.fill(dh, (byte) 0);
    }

    private void encryptAndHash(byte[] plain, int off, int len, byte[] out, int outOff) {
        ChaChaPoly.seal(key, ZERO_NONCE, plain, off, len, h, out, outOff);
        mixHash(out, outOff, len + 16);
    }

    /** Opens into {@code out}, which must not overlap {@code in}: the ciphertext is hashed after. */
    private boolean decryptAndHash(byte[] in, int off, int len, byte[] out, int outOff) {
        if (!ChaChaPoly.open(key, ZERO_NONCE, in, off, len, h, out, outOff)) {
            return false;
        }
        mixHash(in, off, len);
        return true;
    }
}
