package org.wgkaraf.engine.crypto;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Curve25519 Diffie-Hellman (RFC 7748). Agreements and public keys run in our own C code through JNI
 * ({@link X25519Native}) where it loads and passes its self-test (Linux x86-64), else in
 * BouncyCastle; the choice is made once, at the first use of this class, and logged. The system
 * property {@value #PROPERTY} = bc | native | auto (the default) forces it; {@code native} where
 * the library cannot be used logs a warning and falls back to BouncyCastle. Pure functions:
 * no state, safe from any thread.
 */
public final class X25519 {
    public static final int KEY_SIZE = 32;
    public static final String PROPERTY = "wgkaraf.x25519";
    private static final Logger LOG = LoggerFactory.getLogger(X25519.class);

    /** The two implementations, each usable directly (tests and benchmarks). */
    public enum Implementation {
        /** BouncyCastle's, pure Java. */
        BC("bc") {
            @Override
            public boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) {
                return org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0);
            }

            @Override
            public void publicKey(byte[] privateKey, byte[] out) {
                // a fixed-base multiplication over precomputed tables
                org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(privateKey, 0, out, 0);
            }

            @Override
            public String unavailableReason() {
                return null;
            }
        },
        /** Ours, in C ({@link X25519Native}); only where {@link #unavailableReason()} is null. */
        NATIVE("native") {
            @Override
            public boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) {
                if (!X25519Native.available()) {
                    throw new IllegalStateException("the native X25519 is not available: " + X25519Native.failure());
                }
                if (out.length >= KEY_SIZE && privateKey.length >= KEY_SIZE && publicKey.length >= KEY_SIZE) {
                    int zero = X25519Native.agree(out, privateKey, publicKey);
                    if (zero >= 0) {
                        return zero == 0;
                    }
                }
                // not computed (an array too short, or not pinned by the JVM): BouncyCastle's
                // answer, or its exception
                return BC.sharedSecret(privateKey, publicKey, out);
            }

            /** The fixed-base multiplication over the library's table (about twice BouncyCastle's speed). */
            @Override
            public void publicKey(byte[] privateKey, byte[] out) {
                if (!X25519Native.available()) {
                    throw new IllegalStateException("the native X25519 is not available: " + X25519Native.failure());
                }
                if (out.length < KEY_SIZE || privateKey.length < KEY_SIZE || X25519Native.publicKey(out, privateKey) < 0) {
                    BC.publicKey(privateKey, out); // not computed: BouncyCastle's answer, or its exception
                }
            }

            @Override
            public String unavailableReason() {
                return X25519Native.failure();
            }
        };

        private final String id;

        Implementation(String id) {
            this.id = id;
        }

        /** "bc" or "native", as {@value X25519#PROPERTY} names it. */
        public String id() {
            return id;
        }

        /** As {@link X25519#sharedSecret}. */
        public abstract boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out);

        /** As {@link X25519#publicKey}. */
        public abstract void publicKey(byte[] privateKey, byte[] out);

        /** Null when this implementation can be used in this JVM, else why not. */
        public abstract String unavailableReason();
    }

    /** What {@link #choose} decided and why; {@code warn} when the property could not be followed. */
    record Choice(Implementation implementation, String reason, boolean warn) {
    }

    private static final Implementation AGREEMENT;

    static {
        Choice c = choose(System.getProperty(PROPERTY), X25519Native::failure);
        AGREEMENT = c.implementation();
        String reason = AGREEMENT == Implementation.NATIVE ? c.reason() + "; " + X25519Native.ladderName() : c.reason();
        if (c.warn()) {
            LOG.warn("X25519: {} ({})", c.implementation().id(), reason);
        } else {
            LOG.info("X25519: {} ({})", c.implementation().id(), reason);
        }
    }

    private X25519() {
    }

    /**
     * The implementation for {@code property} ({@value #PROPERTY}'s value, null for none), given
     * why the native one cannot be used ({@code nativeFailure} returns null when it can; asked
     * only when needed, since asking loads the library).
     */
    static Choice choose(String property, Supplier<String> nativeFailure) {
        String p = property == null ? "auto" : property.trim().toLowerCase(Locale.ROOT);
        if (p.equals("bc")) {
            return new Choice(Implementation.BC, PROPERTY + "=bc", false);
        }
        String ignored = p.equals("native") || p.equals("auto") ? ""
                : "ignoring " + PROPERTY + "=" + property + ", expected bc, native or auto; ";
        String failure = nativeFailure.get();
        if (failure == null) {
            return new Choice(Implementation.NATIVE, ignored + (p.equals("native") ? PROPERTY + "=native" : "loaded and self-tested"),
                    !ignored.isEmpty());
        }
        if (p.equals("native")) {
            return new Choice(Implementation.BC, PROPERTY + "=native, but the native X25519 cannot be used: " + failure, true);
        }
        return new Choice(Implementation.BC, ignored + failure, !ignored.isEmpty());
    }

    /** "native" or "bc": what {@link #sharedSecret} and {@link #publicKey} use in this JVM. */
    public static String implementation() {
        return AGREEMENT.id();
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

    /**
     * The public key of a private one, X25519(privateKey, 9), by a fixed-base multiplication over
     * precomputed multiples of the base point: ours in C, or BouncyCastle's, as for
     * {@link #sharedSecret}.
     */
    public static void publicKey(byte[] privateKey, byte[] out) {
        AGREEMENT.publicKey(privateKey, out);
    }

    /**
     * Computes the shared secret. Returns false when it is all zeros (the peer sent a low-order
     * point); the handshake must then be refused.
     */
    public static boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) {
        return AGREEMENT.sharedSecret(privateKey, publicKey, out);
    }
}
