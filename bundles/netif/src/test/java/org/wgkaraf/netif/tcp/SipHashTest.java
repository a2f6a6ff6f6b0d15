package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** SipHash-2-4 against the reference vectors of its paper (key 00..0f, message 00, 01, ...). */
class SipHashTest {
    private final SipHash h = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

    private static long[] message(int length) {
        long[] w = new long[length / 8 + 1];
        for (int i = 0; i < length; i++) {
            w[i / 8] |= (long) i << (8 * (i % 8));
        }
        return w;
    }

    @Test
    void emptyMessage() {
        assertEquals(0x726fdb47dd0e0e31L, h.hash(message(0), 0));
    }

    @Test
    void fifteenBytes() {
        assertEquals(0xa129ca6149be45e5L, h.hash(message(15), 15));
    }

    @Test
    void eightBytes() {
        assertEquals(0x93f5f5799a932462L, h.hash(message(8), 8));
    }

    @Test
    void theKeyMatters() {
        assertNotEquals(new SipHash(1, 2).hash(5, 6), new SipHash(1, 3).hash(5, 6));
    }
}
