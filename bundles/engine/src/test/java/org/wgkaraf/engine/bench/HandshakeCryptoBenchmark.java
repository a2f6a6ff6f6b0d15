package org.wgkaraf.engine.bench;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.wgkaraf.engine.crypto.Blake2sHasher;
import org.wgkaraf.engine.crypto.Blake2sKdf;
import org.wgkaraf.engine.crypto.X25519;

/**
 * The public-key operations a handshake is made of, one implementation beside the other, so that
 * the choice of X25519 rests on a figure (BouncyCastle's, the JDK's, our native one). A handshake does five variable-base agreements and
 * makes two ephemeral public keys (fixed base); it also runs sixteen KDFs (about 200 BLAKE2s
 * compressions), so BLAKE2s and the KDF are here too.
 * Run: mvn -B -Pbench -DskipTests -pl bundles/engine -am verify -Djmh.args="HandshakeCryptoBenchmark"
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeCryptoBenchmark {
    private final byte[] priv = new byte[32];
    private final byte[] peerPub = new byte[32];
    private final byte[] out = new byte[32];
    private final byte[] block = new byte[64];
    private final Blake2sHasher ownHasher = new Blake2sHasher();
    private final Blake2sDigest bcDigest = new Blake2sDigest(256);
    private final Blake2sKdf kdf = new Blake2sKdf();
    private final byte[] ck = new byte[32];
    private final byte[] k = new byte[32];
    private KeyAgreement jdk;
    private PrivateKey jdkPriv;
    private PublicKey jdkPub;

    @Setup
    public void setUp() throws Exception {
        SecureRandom random = new SecureRandom();
        X25519.generatePrivateKey(random, priv);
        byte[] other = new byte[32];
        X25519.generatePrivateKey(random, other);
        X25519.publicKey(other, peerPub);
        KeyFactory kf = KeyFactory.getInstance("X25519");
        jdkPriv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, priv.clone()));
        byte[] le = peerPub.clone();
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        jdkPub = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
        jdk = KeyAgreement.getInstance("X25519");
    }

    @Benchmark
    public byte[] bcAgreement() {
        org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(priv, 0, peerPub, 0, out, 0);
        return out;
    }

    @Benchmark
    public byte[] bcPublicKey() {
        org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(priv, 0, out, 0);
        return out;
    }

    /** Our own X25519 in C, through JNI (X25519Native). */
    @Benchmark
    public byte[] nativeAgreement() {
        X25519.Implementation.NATIVE.sharedSecret(priv, peerPub, out);
        return out;
    }

    /** The native ladder from u = 9 (no precomputed tables), against bcPublicKey. */
    @Benchmark
    public byte[] nativePublicKey() {
        X25519.Implementation.NATIVE.publicKey(priv, out);
        return out;
    }

    @Benchmark
    public byte[] jdkAgreement() throws Exception {
        jdk.init(jdkPriv);
        jdk.doPhase(jdkPub, true);
        return jdk.generateSecret();
    }

    /** One 64-byte message: one compression. */
    @Benchmark
    public byte[] blake2sOwn() {
        ownHasher.update(block, 0, 64);
        ownHasher.doFinal(out, 0);
        return out;
    }

    @Benchmark
    public byte[] blake2sBc() {
        bcDigest.update(block, 0, 64);
        bcDigest.doFinal(out, 0);
        return out;
    }

    /** The handshake's commonest KDF: (ck, k) = KDF2(ck, dh). */
    @Benchmark
    public byte[] kdf2() {
        kdf.kdf(ck, peerPub, 0, 32, ck, k, null);
        return k;
    }
}
