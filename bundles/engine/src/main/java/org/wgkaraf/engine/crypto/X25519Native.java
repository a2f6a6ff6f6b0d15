package org.wgkaraf.engine.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.util.encoders.Hex;

/**
 * Our own X25519 in C (bundles/engine/src/main/c), through JNI. The library holds no state and
 * keeps nothing: the arrays are read and written in place (GetPrimitiveArrayCritical, no copy),
 * and the C code clears its stack before returning, so no key material is left in native memory
 * after a call. Thread-safe.
 *
 * <p>Loading, at the first use of this class: {@code System.loadLibrary}, which inside OSGi finds
 * the library the bundle's {@code Bundle-NativeCode} header names (the framework extracts it per
 * bundle revision); else, outside OSGi, the same library as a resource of this class's own
 * class loader, copied to a temporary file only its owner can read. Then a self-test: the RFC
 * 7748 vectors and a comparison with BouncyCastle. {@link #failure()} says why the library is
 * not used, if it is not.
 */
final class X25519Native {
    static final String LIBRARY = "wgkx25519";
    /** Where the build puts the library for this platform, inside the bundle and on the class path. */
    static final String RESOURCE = "native/linux-x86-64/lib" + LIBRARY + ".so";

    /** {@link #agree}: the JVM copied an array instead of pinning it; out is untouched. */
    static final int NOT_IN_PLACE = -1;

    /** Null when the library is loaded and passed its self-test, else the reason it is not used. */
    private static final String FAILURE = load();

    private X25519Native() {
    }

    static boolean available() {
        return FAILURE == null;
    }

    /** Why the native X25519 is not used, or null when it is. */
    static String failure() {
        return FAILURE;
    }

    /**
     * out = X25519(scalar, u) (RFC 7748; the scalar is clamped, the top bit of u ignored). Each
     * array at least 32 bytes. Returns 1 when out is all zeros (u of low order), 0 otherwise, or
     * a negative value when nothing was computed ({@link #NOT_IN_PLACE}, or an array too short).
     */
    static native int agree(byte[] out, byte[] scalar, byte[] u);

    /**
     * out = X25519(scalar, 9), the public key of a private one, by a fixed-base multiplication
     * over a table of multiples of the base point (built as the library loads). Each array at
     * least 32 bytes. Returns 0, or a negative value when nothing was computed.
     */
    static native int publicKey(byte[] out, byte[] scalar);

    /** 1 when {@link #agree} runs the ladder for processors with BMI2 and ADX, 0 the portable one. */
    static native int ladder();

    /**
     * Which ladder {@link #agree} runs ("BMI2/ADX ladder" or "portable ladder"), or null when the
     * library is not in use.
     */
    static String ladderName() {
        if (FAILURE != null) {
            return null;
        }
        return ladder() == 1 ? "BMI2/ADX ladder" : "portable ladder";
    }

    private static String load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "no native X25519 for " + os + "/" + arch + " (it is built for Linux x86-64)";
        }
        try {
            System.loadLibrary(LIBRARY);
        } catch (UnsatisfiedLinkError | SecurityException notInOsgi) {
            String loaded = loadFromResource();
            if (loaded != null) {
                return loaded + "; System.loadLibrary: " + notInOsgi.getMessage();
            }
        }
        try {
            return selfTest();
        } catch (UnsatisfiedLinkError e) {
            return "the library lacks a function (an older build?): " + e.getMessage();
        } catch (RuntimeException e) {
            return "self-test failed: " + e;
        }
    }

    /** Null when loaded, else why not. */
    private static String loadFromResource() {
        Path file = null;
        try (InputStream in = X25519Native.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "no " + RESOURCE + " in the bundle or on the class path (built with -Dx25519.native.skip=true, or without gcc?)";
            }
            file = Files.createTempFile("wgkx25519-", ".so", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toAbsolutePath().toString());
            return null;
        } catch (IOException | UnsatisfiedLinkError | SecurityException | UnsupportedOperationException e) {
            return "cannot load " + RESOURCE + " from a temporary file: " + e;
        } finally {
            if (file != null) {
                // Once loaded the library stays mapped; the file is not needed any more.
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        }
    }

    /** Null when the library computes what RFC 7748 and BouncyCastle compute (agreements and public keys), else what differed. */
    static String selfTest() {
        String[][] vectors = {
            // RFC 7748 section 5.2
            {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
                "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
            {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
                "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
            // RFC 7748 section 6.1: Alice's public key, and the shared secret
            {"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
                "0900000000000000000000000000000000000000000000000000000000000000",
                "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"},
            {"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
                "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"}};
        byte[] out = new byte[32];
        for (String[] v : vectors) {
            int r = agree(out, Hex.decode(v[0]), Hex.decode(v[1]));
            if (r == NOT_IN_PLACE) {
                return "this JVM copies arrays instead of pinning them (GetPrimitiveArrayCritical)";
            }
            if (r != 0 || !Hex.toHexString(out).equals(v[2])) {
                return "RFC 7748 vector " + v[0] + " gave " + Hex.toHexString(out);
            }
        }
        // RFC 7748 section 6.1: Alice's and Bob's public keys, by the fixed-base multiplication
        String[][] publicKeys = {
            {"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
                "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"},
            {"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
                "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"}};
        for (String[] v : publicKeys) {
            int r = publicKey(out, Hex.decode(v[0]));
            if (r != 0 || !Hex.toHexString(out).equals(v[1])) {
                return "RFC 7748 public key of " + v[0] + " gave " + Hex.toHexString(out) + " (" + r + ")";
            }
        }
        // Fixed inputs against BouncyCastle: a u with the ignored top bit set, u = p + 1
        // (non-canonical, the same point as 1: all zeros) and u = 2^255 - 1 (non-canonical, p + 18).
        byte[] scalar = new byte[32];
        byte[] u = new byte[32];
        byte[] expected = new byte[32];
        for (int i = 0; i < 32; i++) {
            scalar[i] = (byte) (i * 37 + 11);
            u[i] = (byte) (0xff - i * 5);
        }
        byte[][] us = {u, Hex.decode("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            Hex.decode("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")};
        for (byte[] point : us) {
            boolean bc = org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(scalar, 0, point, 0, expected, 0);
            int zero = agree(out, scalar, point);
            if (zero != (bc ? 0 : 1) || !Arrays.equals(out, expected)) {
                return "u " + Hex.toHexString(point) + " gave " + Hex.toHexString(out) + " (" + zero
                        + "), BouncyCastle " + Hex.toHexString(expected);
            }
        }
        org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(scalar, 0, expected, 0);
        if (publicKey(out, scalar) != 0 || !Arrays.equals(out, expected)) {
            return "the public key of " + Hex.toHexString(scalar) + " gave " + Hex.toHexString(out)
                    + ", BouncyCastle " + Hex.toHexString(expected);
        }
        return null;
    }
}
