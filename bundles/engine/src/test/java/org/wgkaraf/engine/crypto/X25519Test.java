package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.SecureRandom;
import java.util.stream.Stream;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.wgkaraf.engine.crypto.X25519.Implementation;

/**
 * RFC 7748 known answers and the refusal of low-order points, for each implementation
 * (BouncyCastle's and our native one; X25519NativeTest makes sure the native one is not
 * silently skipped where it is built).
 */
class X25519Test {

    /** Skips the test for an implementation this JVM cannot use (the native one off Linux x86-64). */
    static void assumeUsable(Implementation impl) {
        assumeTrue(impl.unavailableReason() == null, () -> impl.id() + " not usable here: " + impl.unavailableReason());
    }

    /** RFC 7748 section 5.2: scalar, input u-coordinate, output u-coordinate. */
    static Stream<Arguments> rfc7748Section52() {
        return Stream.of(Implementation.values()).flatMap(impl -> Stream.of(
                Arguments.of(impl,
                        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
                        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
                Arguments.of(impl,
                        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
                        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rfc7748Section52")
    void scalarMultiplicationMatchesRfc7748Section52(Implementation impl, String scalar, String u, String expected) {
        assumeUsable(impl);
        byte[] out = new byte[32];
        assertTrue(impl.sharedSecret(Hex.decode(scalar), Hex.decode(u), out));
        assertEquals(expected, Hex.toHexString(out));
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void iteratedScalarMultiplicationMatchesRfc7748AfterOneIteration(Implementation impl) {
        assumeUsable(impl);
        assertEquals("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", iterate(impl, 1));
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void iteratedScalarMultiplicationMatchesRfc7748AfterOneThousandIterations(Implementation impl) {
        assumeUsable(impl);
        assertEquals("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", iterate(impl, 1000));
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    @EnabledIfSystemProperty(named = "wgkaraf.slowVectors", matches = "true")
    void iteratedScalarMultiplicationMatchesRfc7748AfterOneMillionIterations(Implementation impl) {
        assumeUsable(impl);
        assertEquals("7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424", iterate(impl, 1_000_000));
    }

    /** RFC 7748 section 5.2: k = u = 9; then repeatedly k, u = X25519(k, u), k. */
    private static String iterate(Implementation impl, int times) {
        byte[] k = new byte[32];
        byte[] u = new byte[32];
        k[0] = 9;
        u[0] = 9;
        byte[] r = new byte[32];
        for (int i = 0; i < times; i++) {
            assertTrue(impl.sharedSecret(k, u, r));
            System.arraycopy(k, 0, u, 0, 32);
            System.arraycopy(r, 0, k, 0, 32);
        }
        return Hex.toHexString(k);
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void diffieHellmanMatchesRfc7748Section61(Implementation impl) {
        assumeUsable(impl);
        byte[] alicePriv = Hex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPriv = Hex.decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePub = new byte[32];
        byte[] bobPub = new byte[32];
        impl.publicKey(alicePriv, alicePub);
        impl.publicKey(bobPriv, bobPub);
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Hex.toHexString(alicePub));
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Hex.toHexString(bobPub));

        byte[] aliceShared = new byte[32];
        byte[] bobShared = new byte[32];
        assertTrue(impl.sharedSecret(alicePriv, bobPub, aliceShared));
        assertTrue(impl.sharedSecret(bobPriv, alicePub, bobShared));
        String k = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertEquals(k, Hex.toHexString(aliceShared));
        assertEquals(k, Hex.toHexString(bobShared));
    }

    /** The engine's entry points, with whichever implementation this JVM chose. */
    @Test
    void diffieHellmanThroughTheChosenImplementationMatchesRfc7748Section61() {
        byte[] alicePriv = Hex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPub = Hex.decode("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        byte[] alicePub = new byte[32];
        X25519.publicKey(alicePriv, alicePub);
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Hex.toHexString(alicePub));
        byte[] shared = new byte[32];
        assertTrue(X25519.sharedSecret(alicePriv, bobPub, shared));
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Hex.toHexString(shared));
    }

    /**
     * u-coordinates of small order (cr.yp.to/ecdh.html#validate): 0, 1, the two points of order 8,
     * p - 1, p and p + 1. Any clamped scalar maps them to the all-zero output.
     */
    static Stream<String> lowOrderPoints() {
        return Stream.of(
                "0000000000000000000000000000000000000000000000000000000000000000",
                "0100000000000000000000000000000000000000000000000000000000000000",
                "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
                "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    }

    static Stream<Arguments> lowOrderPointsForEachImplementation() {
        return Stream.of(Implementation.values()).flatMap(impl -> lowOrderPoints().map(p -> Arguments.of(impl, p)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("lowOrderPointsForEachImplementation")
    void sharedSecretRefusesLowOrderPoint(Implementation impl, String point) {
        assumeUsable(impl);
        byte[] priv = new byte[32];
        X25519.generatePrivateKey(new SecureRandom(), priv);
        byte[] out = new byte[32];
        java.util.Arrays.fill(out, (byte) 0x55);
        assertFalse(impl.sharedSecret(priv, Hex.decode(point), out));
        assertArrayEquals(new byte[32], out);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("lowOrderPointsForEachImplementation")
    void sharedSecretRefusesLowOrderPointWithTheIgnoredTopBitSet(Implementation impl, String point) {
        assumeUsable(impl);
        // RFC 7748 section 5: the top bit of the u-coordinate is masked, so these are the same points.
        byte[] u = Hex.decode(point);
        u[31] |= (byte) 0x80;
        byte[] priv = new byte[32];
        X25519.generatePrivateKey(new SecureRandom(), priv);
        assertFalse(impl.sharedSecret(priv, u, new byte[32]));
    }

    @Test
    void generatedPrivateKeyIsClamped() {
        byte[] k = new byte[32];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 64; i++) {
            X25519.generatePrivateKey(random, k);
            assertEquals(0, k[0] & 7);
            assertEquals(0x40, k[31] & 0xc0);
        }
    }
}
