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
import org.wgkaraf.engine.crypto.X25519;

/**
 * The public-key operations a handshake is made of, one implementation beside the other, so that
 * the choice of X25519 rests on a figure. A handshake does five variable-base agreements and
 * makes two ephemeral public keys (fixed base).
 * Run: mvn -B -Pbench -DskipTests -pl bundles/engine -am verify -Djmh.args="HandshakeCryptoBenchmark"
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeCryptoBenchmark {
    private final byte[] priv = new byte[32];
    private final byte[] peerPub = new byte[32];
    private final byte[] out = new byte[32];
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

    @Benchmark
    public byte[] jdkAgreement() throws Exception {
        jdk.init(jdkPriv);
        jdk.doPhase(jdkPub, true);
        return jdk.generateSecret();
    }
}
