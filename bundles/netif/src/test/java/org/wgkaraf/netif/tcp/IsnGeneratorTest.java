package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** RFC 6528: ISN = M + F(four-tuple, secret), M a 4-microsecond clock. */
class IsnGeneratorTest {
    private final IsnGenerator g = new IsnGenerator(1, 2);

    @Test
    void rfc6528_theSameFourTupleAdvancesWithTheClockEvery4Microseconds() {
        int first = g.isn(Packets.A, 40000, Packets.B, 22, 0);
        int later = g.isn(Packets.A, 40000, Packets.B, 22, 1_000_000); // 1 ms later
        assertEquals(250, later - first, "1 ms / 4 us");
    }

    @Test
    void rfc6528_anotherFourTupleGetsAnUnrelatedOffset() {
        int a = g.isn(Packets.A, 40000, Packets.B, 22, 0);
        int b = g.isn(Packets.A, 40001, Packets.B, 22, 0);
        assertNotEquals(a + 0, b);
        assertNotEquals(1, Math.abs(b - a), "not merely the next number");
    }

    @Test
    void rfc6528_anotherSecretGivesOtherNumbers() {
        IsnGenerator other = new IsnGenerator(new SecureRandom());
        assertNotEquals(g.isn(Packets.A, 40000, Packets.B, 22, 0), other.isn(Packets.A, 40000, Packets.B, 22, 0));
    }

    @Test
    void rfc7323_5_4_timestampOffsetsDifferPerConnection() {
        assertNotEquals(g.timestampOffset(Packets.A, 40000, Packets.B, 22), g.timestampOffset(Packets.A, 40001, Packets.B, 22));
    }
}
