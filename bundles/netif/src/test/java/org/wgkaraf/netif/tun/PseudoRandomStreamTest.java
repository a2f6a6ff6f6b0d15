package org.wgkaraf.netif.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The stream the TCP test checks its bytes with: the same bytes however the reads split it. */
class PseudoRandomStreamTest {

    @Test
    void theSameSeedGivesTheSameBytesWhateverTheChunking() {
        byte[] whole = new byte[10_000];
        new PseudoRandomStream(42).next(whole, 0, whole.length);
        byte[] pieces = new byte[whole.length];
        PseudoRandomStream s = new PseudoRandomStream(42);
        int[] sizes = {1, 7, 8, 9, 3, 1000, 5, 16, 13};
        int at = 0;
        for (int i = 0; at < pieces.length; i++) {
            int n = Math.min(sizes[i % sizes.length], pieces.length - at);
            s.next(pieces, at, n);
            at += n;
        }
        assertArrayEquals(whole, pieces);
    }

    @Test
    void anotherSeedGivesOtherBytes() {
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        new PseudoRandomStream(1).next(a, 0, a.length);
        new PseudoRandomStream(2).next(b, 0, b.length);
        assertFalse(Arrays.equals(a, b));
    }
}
