package org.wgkaraf.netif.ip;

/**
 * A token bucket: up to {@code burst} events at once, then {@code perSecond} a second. Limits the
 * ICMP errors the layer sends, so a flood to closed ports is not answered packet for packet.
 */
final class RateLimiter {
    private static final long SECOND = 1_000_000_000L;
    private final int burst;
    private final long nanosPerToken;
    private long tokens;
    private long last;

    RateLimiter(int burst, int perSecond, long now) {
        this.burst = burst;
        this.nanosPerToken = SECOND / perSecond;
        this.tokens = burst;
        this.last = now;
    }

    synchronized boolean tryAcquire(long now) {
        long earned = (now - last) / nanosPerToken;
        if (earned > 0) {
            tokens = Math.min(burst, tokens + earned);
            last = tokens == burst ? now : last + earned * nanosPerToken;
        }
        if (tokens == 0) {
            return false;
        }
        tokens--;
        return true;
    }
}
