package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The reusable HASH/KDF gives what the one-shot {@link Blake2s} functions give, call after call. */
class Blake2sKdfTest {
    private final Blake2sKdf kdf = new Blake2sKdf();
    private final Random random = new Random(7693);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "input of {0} bytes")
    @ValueSource(ints = {0, 1, 32, 63, 64, 65, 200})
    void kdfOfOneTwoAndThreeKeysMatchesTheOneShotKdf(int inputLength) {
        for (int round = 0; round < 3; round++) { // the same instance, again and again
            byte[] key = bytes(32);
            byte[] input = bytes(inputLength + 5);
            byte[] slice = Arrays.copyOfRange(input, 3, 3 + inputLength);
            byte[][] expected = {new byte[32], new byte[32], new byte[32]};
            Blake2s.kdf(key, slice, expected[0], expected[1], expected[2]);
            byte[] e1 = new byte[32];
            byte[] e2a = new byte[32];
            byte[] e2b = new byte[32];
            Blake2s.kdf(key, slice, e1);
            Blake2s.kdf(key, slice, e2a, e2b);

            byte[] o1 = new byte[32];
            byte[] o2 = new byte[32];
            byte[] o3 = new byte[32];
            kdf.kdf(key, input, 3, inputLength, o1, o2, o3);
            assertArrayEquals(expected[0], o1);
            assertArrayEquals(expected[1], o2);
            assertArrayEquals(expected[2], o3);
            kdf.kdf(key, input, 3, inputLength, o1, null, null);
            assertArrayEquals(e1, o1);
            kdf.kdf(key, input, 3, inputLength, o1, o2, null);
            assertArrayEquals(e2a, o1);
            assertArrayEquals(e2b, o2);
        }
    }

    @Test
    void theChainingKeyMayBeBothKeyAndFirstOutput() {
        byte[] ck = bytes(32);
        byte[] input = bytes(32);
        byte[] expectedCk = new byte[32];
        byte[] expectedK = new byte[32];
        Blake2s.kdf(ck, input, expectedCk, expectedK);
        byte[] k = new byte[32];
        kdf.kdf(ck, input, 0, 32, ck, k, null);
        assertArrayEquals(expectedCk, ck);
        assertArrayEquals(expectedK, k);
    }

    @Test
    void hashOfTwoPartsMatchesTheOneShotHashAndMayOverwriteItsFirstPart() {
        byte[] h = bytes(32);
        byte[] data = bytes(100);
        byte[] expected = new byte[32];
        Blake2s.hash(expected, h, Arrays.copyOfRange(data, 10, 58));
        kdf.hash(h, h, data, 10, 48);
        assertArrayEquals(expected, h);
    }

    @Test
    void noKeyMaterialIsLeftInTheScratchAfterACall() throws Exception {
        kdf.kdf(bytes(32), bytes(32), 0, 32, new byte[32], new byte[32], new byte[32]);
        int checked = 0;
        for (Field f : Blake2sKdf.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            if (f.getType() == byte[].class) {
                byte[] scratch = (byte[]) f.get(kdf);
                assertArrayEquals(new byte[scratch.length], scratch, f.getName());
                checked++;
            } else if (f.getType() == int[].class) {
                int[] state = (int[]) f.get(kdf);
                assertArrayEquals(new int[state.length], state, f.getName());
                checked++;
            }
        }
        assertEquals(6, checked, "pad, inner, t0, the counter and the two pad states");
    }

    @Test
    void refusesAKeyOfAnotherSizeAndOutputsOutOfOrder() {
        assertThrows(IllegalArgumentException.class, () -> kdf.kdf(new byte[16], new byte[0], 0, 0, new byte[32], null, null));
        assertThrows(IllegalArgumentException.class, () -> kdf.kdf(new byte[32], new byte[0], 0, 0, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> kdf.kdf(new byte[32], new byte[0], 0, 0, new byte[32], null, new byte[32]));
    }
}
