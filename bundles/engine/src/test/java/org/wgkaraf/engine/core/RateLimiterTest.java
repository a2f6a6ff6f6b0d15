package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long MS = 1_000_000L;
    /** An arbitrary nanoTime origin, far from zero and negative, as nanoTime may be. */
    private static final long T0 = -5_000_000_000_000L;

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static int allowedOf(RateLimiter limiter, InetAddress source, long now, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            allowed += limiter.allow(source, now) ? 1 : 0;
        }
        return allowed;
    }

    @Test
    void burstOfFiveThenRefused() {
        RateLimiter limiter = new RateLimiter();
        InetAddress a = ip("198.51.100.1");
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.allow(a, T0), "packet " + (i + 1) + " of the burst");
        }
        assertFalse(limiter.allow(a, T0));
        assertFalse(limiter.allow(a, T0));
    }

    @Test
    void refillsOnePacketEveryFiftyMilliseconds() {
        RateLimiter limiter = new RateLimiter();
        InetAddress a = ip("198.51.100.1");
        assertEquals(5, allowedOf(limiter, a, T0, 10));
        assertFalse(limiter.allow(a, T0 + 50 * MS - 1));
        assertTrue(limiter.allow(a, T0 + 50 * MS), "credit accrued while refused is kept");
        assertFalse(limiter.allow(a, T0 + 50 * MS));
        assertTrue(limiter.allow(a, T0 + 100 * MS));
    }

    @Test
    void sustainedFloodGetsTwentyPerSecondAfterTheBurst() {
        RateLimiter limiter = new RateLimiter();
        InetAddress a = ip("198.51.100.1");
        int allowed = 0;
        // One attempt every millisecond for ten seconds.
        for (long t = 0; t <= 10_000; t++) {
            allowed += limiter.allow(a, T0 + t * MS) ? 1 : 0;
        }
        assertEquals(RateLimiter.BURST + 10 * RateLimiter.PACKETS_PER_SECOND, allowed);
    }

    @Test
    void idleCreditIsCappedAtTheBurst() {
        RateLimiter limiter = new RateLimiter();
        InetAddress a = ip("198.51.100.1");
        assertEquals(5, allowedOf(limiter, a, T0, 10));
        assertEquals(4, allowedOf(limiter, a, T0 + 200 * MS, 10), "200 ms of credit");
        assertEquals(5, allowedOf(limiter, a, T0 + 900 * MS, 10), "700 ms idle, capped at 250 ms");
    }

    @Test
    void sourcesAreIndependent() {
        RateLimiter limiter = new RateLimiter();
        assertEquals(5, allowedOf(limiter, ip("198.51.100.1"), T0, 10));
        assertEquals(5, allowedOf(limiter, ip("198.51.100.2"), T0, 10));
        assertEquals(5, allowedOf(limiter, ip("2001:db8::1"), T0, 10));
        assertEquals(3, limiter.size());
    }

    @Test
    void ipv6SourcesShareABucketPerSlash64() {
        RateLimiter limiter = new RateLimiter();
        assertEquals(3, allowedOf(limiter, ip("2001:db8:0:7::1"), T0, 3));
        assertEquals(2, allowedOf(limiter, ip("2001:db8:0:7:ffff::2"), T0, 10));
        assertEquals(5, allowedOf(limiter, ip("2001:db8:0:8::1"), T0, 10));
        assertEquals(2, limiter.size());
    }

    @Test
    void staleSourcesAreDroppedAfterASecond() {
        RateLimiter limiter = new RateLimiter();
        for (int i = 0; i < 10; i++) {
            assertTrue(limiter.allow(ip("198.51.100." + i), T0));
        }
        assertTrue(limiter.allow(ip("198.51.100.99"), T0 + 900 * MS));
        assertEquals(11, limiter.size());
        assertTrue(limiter.allow(ip("203.0.113.1"), T0 + 1500 * MS));
        assertEquals(2, limiter.size(), "only the sources seen within the last second remain");
        limiter.expire(T0 + 2600 * MS);
        assertEquals(0, limiter.size());
    }

    @Test
    void fullTableRefusesNewSourcesUntilOldOnesExpire() {
        RateLimiter limiter = new RateLimiter();
        int max = RateLimiter.DEFAULT_MAX_ENTRIES;
        for (int i = 0; i < max; i++) {
            assertTrue(limiter.allow(ip("10.0." + (i >> 8) + "." + (i & 0xff)), T0));
        }
        assertEquals(max, limiter.size());
        assertFalse(limiter.allow(ip("192.0.2.1"), T0 + 10 * MS), "table full: new source refused");
        assertFalse(limiter.allow(ip("2001:db8::1"), T0 + 10 * MS), "table full: new source refused");
        assertTrue(limiter.allow(ip("10.0.0.0"), T0 + 10 * MS), "known sources keep their bucket");
        assertEquals(max, limiter.size());
        assertTrue(limiter.allow(ip("10.0.0.1"), T0 + 500 * MS));
        assertTrue(limiter.allow(ip("192.0.2.1"), T0 + 1100 * MS), "room again once the old ones expire");
        assertEquals(2, limiter.size(), "the new source and the one seen 600 ms ago");
    }

    @Test
    void clearForgetsEverySource() {
        RateLimiter limiter = new RateLimiter();
        InetAddress a = ip("198.51.100.1");
        assertEquals(5, allowedOf(limiter, a, T0, 10));
        limiter.clear();
        assertEquals(0, limiter.size());
        assertEquals(5, allowedOf(limiter, a, T0, 10));
    }
}
