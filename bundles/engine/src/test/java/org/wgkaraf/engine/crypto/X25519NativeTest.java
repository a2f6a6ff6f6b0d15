package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.wgkaraf.engine.crypto.X25519.Implementation;

/** The native X25519: that it is in use where it is built, and that it agrees with BouncyCastle. */
class X25519NativeTest {
    private static final HexFormat HEX = HexFormat.of();
    /** p = 2^255 - 19, little-endian. */
    private static final byte[] P = HEX.parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

    static boolean builtHere() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"))
                && !Boolean.getBoolean("x25519.native.skip");
    }

    /**
     * Where the build makes the library, it must load and pass its self-test; otherwise the
     * suite would test BouncyCastle twice and say nothing.
     */
    @Test
    void theNativeImplementationIsLoadedOnLinuxX8664() {
        if (builtHere()) {
            assertNull(Implementation.NATIVE.unavailableReason(),
                    "the native X25519 is built for this platform but does not load; install gcc (Debian: apt-get install gcc"
                            + " libc6-dev) and build the engine again, or pass -Dx25519.native.skip=true to test BouncyCastle's only");
            if (System.getProperty(X25519.PROPERTY) == null) {
                assertEquals("native", X25519.implementation());
            }
        } else if (!Boolean.getBoolean("x25519.native.skip")) {
            // not built for this platform (a skipped build may have left an earlier one in target/)
            assertNotNull(Implementation.NATIVE.unavailableReason());
            assertEquals("bc", X25519.implementation());
        }
    }

    /**
     * On a processor with BMI2 and ADX (the kernel lists them as bmi2 and adx) agreements take the
     * faster ladder, elsewhere the portable one; both are compared with each other and with
     * BouncyCastle (below, and by the build's C tests).
     */
    @Test
    void theLadderFollowsTheProcessor() throws IOException {
        assumeTrue(builtHere() && Implementation.NATIVE.unavailableReason() == null,
                "the native X25519 is not built here");
        Path cpuinfo = Path.of("/proc/cpuinfo");
        assumeTrue(Files.isReadable(cpuinfo), "no /proc/cpuinfo");
        String flags = Files.readAllLines(cpuinfo).stream()
                .filter(l -> l.startsWith("flags")).findFirst().orElse("");
        Set<String> set = Set.of(flags.substring(flags.indexOf(':') + 1).trim().split("\\s+"));
        boolean mulx = set.contains("bmi2") && set.contains("adx");
        assertEquals(mulx ? "BMI2/ADX ladder" : "portable ladder", X25519Native.ladderName());
    }

    @Test
    void selfTestPasses() {
        X25519Test.assumeUsable(Implementation.NATIVE);
        assertNull(X25519Native.selfTest());
    }

    private static byte[] plus(byte[] le, int k) {
        byte[] r = le.clone();
        int carry = k;
        for (int i = 0; i < 32 && carry != 0; i++) {
            int s = (r[i] & 0xff) + carry;
            r[i] = (byte) s;
            carry = s >>> 8;
        }
        return r;
    }

    /** u = 0, 1, p - 1, p, p + 1 and every non-canonical value p .. 2^255 - 1, with and without the top bit. */
    private static List<byte[]> specialPoints() {
        List<byte[]> points = new ArrayList<>();
        points.add(new byte[32]);
        points.add(plus(new byte[32], 1));
        points.add(plus(new byte[32], 9));
        points.add(HEX.parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")); // p - 1
        for (int k = 0; k <= 18; k++) {
            points.add(plus(P, k)); // p + k; p + 18 = 2^255 - 1
        }
        X25519Test.lowOrderPoints().forEach(s -> points.add(HEX.parseHex(s)));
        int n = points.size();
        for (int i = 0; i < n; i++) {
            byte[] top = points.get(i).clone();
            top[31] |= (byte) 0x80;
            points.add(top);
        }
        return points;
    }

    private static void assertSameAsBouncyCastle(byte[] scalar, byte[] u, String context) {
        byte[] bc = new byte[32];
        byte[] nat = new byte[32];
        Arrays.fill(nat, (byte) 0xa5);
        byte[] scalarBefore = scalar.clone();
        byte[] uBefore = u.clone();
        boolean bcOk = Implementation.BC.sharedSecret(scalar, u, bc);
        boolean nativeOk = Implementation.NATIVE.sharedSecret(scalar, u, nat);
        String what = context + ": scalar " + HEX.formatHex(scalar) + ", u " + HEX.formatHex(u);
        assertArrayEquals(bc, nat, what);
        assertEquals(bcOk, nativeOk, what);
        assertArrayEquals(scalarBefore, scalar, "the scalar is clamped on a copy");
        assertArrayEquals(uBefore, u, "u is left as it was");
    }

    @Test
    void theSpecialPointsGiveWhatBouncyCastleGives() {
        X25519Test.assumeUsable(Implementation.NATIVE);
        SplittableRandom random = new SplittableRandom(7748);
        byte[] scalar = new byte[32];
        int zeros = 0;
        for (byte[] u : specialPoints()) {
            for (int i = 0; i < 8; i++) {
                random.nextBytes(scalar);
                assertSameAsBouncyCastle(scalar, u, "special point");
            }
            byte[] out = new byte[32];
            if (!Implementation.NATIVE.sharedSecret(scalar, u, out)) {
                zeros++;
                assertArrayEquals(new byte[32], out);
            }
        }
        // 0, 1, p - 1, p, p + 1, then the seven low-order points again; each with and without
        // the top bit
        assertEquals(2 * (5 + 7), zeros);
    }

    /**
     * 20,000 random (scalar, u) pairs; the scalars unclamped (both clamp), u uniform (so the top
     * bit is set in half), non-canonical, or made of 0x00 and 0xff runs that fill limbs to their
     * edges.
     */
    @Test
    void twentyThousandRandomPairsGiveWhatBouncyCastleGives() {
        X25519Test.assumeUsable(Implementation.NATIVE);
        long seed = new SecureRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> special = specialPoints();
        byte[] scalar = new byte[32];
        byte[] u = new byte[32];
        for (int i = 0; i < 20_000; i++) {
            random.nextBytes(scalar);
            switch (i % 4) {
                case 0, 1 -> random.nextBytes(u);
                case 2 -> u = plus(P, random.nextInt(19)); // p .. 2^255 - 1
                default -> {
                    for (int j = 0; j < 32; j++) {
                        int r = random.nextInt(3);
                        u[j] = r == 0 ? 0 : r == 1 ? (byte) 0xff : (byte) random.nextInt(256);
                    }
                }
            }
            if (i % 4 == 2 && random.nextBoolean()) {
                u[31] |= (byte) 0x80;
            }
            if (i % 1000 == 999) {
                u = special.get(random.nextInt(special.size())).clone();
            }
            assertSameAsBouncyCastle(scalar, u, "pair " + i + " of seed " + seed);
            u = u.clone();
        }
    }

    /**
     * The fixed-base multiplication (public keys): 20,000 random private keys, unclamped (both
     * clamp), and scalars made of 0x00, 0xff and 0x88 runs (the signed digits' edges: 0, 15 with
     * carries, 8), against BouncyCastle's; out may be the private key's own array.
     */
    @Test
    void twentyThousandPublicKeysGiveWhatBouncyCastleGives() {
        X25519Test.assumeUsable(Implementation.NATIVE);
        long seed = new SecureRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] scalar = new byte[32];
        byte[] ours = new byte[32];
        byte[] theirs = new byte[32];
        for (int i = 0; i < 20_000; i++) {
            if (i % 2 == 0) {
                random.nextBytes(scalar);
            } else {
                for (int j = 0; j < 32; j++) {
                    int r = random.nextInt(4);
                    scalar[j] = r == 0 ? 0 : r == 1 ? (byte) 0xff : r == 2 ? (byte) 0x88 : (byte) random.nextInt(256);
                }
            }
            Implementation.BC.publicKey(scalar, theirs);
            Implementation.NATIVE.publicKey(scalar, ours);
            assertArrayEquals(theirs, ours, () -> "private key " + HEX.formatHex(scalar) + " of seed " + seed);
        }
        byte[] k = scalar.clone();
        Implementation.NATIVE.publicKey(k, k);
        assertArrayEquals(theirs, k);
    }

    /** The C code reads both inputs before it writes out, so out may be one of them. */
    @Test
    void outMayBeAnInput() {
        X25519Test.assumeUsable(Implementation.NATIVE);
        byte[] scalar = HEX.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        byte[] u = HEX.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
        String expected = "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552";
        byte[] k = scalar.clone();
        assertTrue(Implementation.NATIVE.sharedSecret(k, u, k));
        assertEquals(expected, HEX.formatHex(k));
        byte[] v = u.clone();
        assertTrue(Implementation.NATIVE.sharedSecret(scalar, v, v));
        assertEquals(expected, HEX.formatHex(v));
    }

    @Test
    void aShortArrayIsRefusedAsBouncyCastleRefusesIt() {
        X25519Test.assumeUsable(Implementation.NATIVE);
        byte[] k = new byte[32];
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> Implementation.BC.sharedSecret(k, new byte[31], new byte[32]));
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> Implementation.NATIVE.sharedSecret(k, new byte[31], new byte[32]));
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> Implementation.NATIVE.sharedSecret(k, new byte[32], new byte[31]));
    }

    @Test
    void theChoiceFollowsTheProperty() {
        AtomicBoolean asked = new AtomicBoolean();
        X25519.Choice bc = X25519.choose("bc", () -> {
            asked.set(true);
            return null;
        });
        assertEquals(Implementation.BC, bc.implementation());
        assertFalse(bc.warn());
        assertFalse(asked.get(), "bc does not load the library");

        assertEquals(Implementation.NATIVE, X25519.choose(null, () -> null).implementation());
        assertEquals(Implementation.NATIVE, X25519.choose("auto", () -> null).implementation());
        assertEquals(Implementation.NATIVE, X25519.choose(" Native ", () -> null).implementation());

        X25519.Choice auto = X25519.choose(null, () -> "no library");
        assertEquals(Implementation.BC, auto.implementation());
        assertFalse(auto.warn());
        assertTrue(auto.reason().contains("no library"), auto.reason());

        X25519.Choice forced = X25519.choose("native", () -> "no library");
        assertEquals(Implementation.BC, forced.implementation(), "native that cannot load falls back, never fails");
        assertTrue(forced.warn());
        assertTrue(forced.reason().contains("no library"), forced.reason());

        X25519.Choice typo = X25519.choose("nativ", () -> null);
        assertEquals(Implementation.NATIVE, typo.implementation());
        assertTrue(typo.warn());
        assertTrue(typo.reason().contains("nativ"), typo.reason());
    }
}
