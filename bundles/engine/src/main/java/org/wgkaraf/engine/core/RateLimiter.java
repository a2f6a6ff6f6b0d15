package org.wgkaraf.engine.core;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Limits handshake initiations per source as WireGuard does under load: a token bucket per source
 * refilled at {@value #PACKETS_PER_SECOND} packets a second with a burst of {@value #BURST}.
 * Tokens are counted in nanoseconds of credit, a packet costing one second divided by the rate.
 *
 * <p>An IPv4 source is one address; an IPv6 source is its /64, because whoever holds one IPv6
 * address usually holds the whole /64 and could otherwise rotate through it. The table holds at
 * most {@code maxEntries} sources; when it is full a new source is refused, so a flood of spoofed
 * addresses costs bounded memory and existing sources keep their buckets. Sources unseen for more
 * than a second are dropped (their bucket would be full again anyway), at most once a second.
 *
 * <p>No thread or clock inside: the caller passes {@link System#nanoTime()}-style readings, which
 * are compared only by difference. Thread-safe.
 */
public final class RateLimiter {

    public static final int PACKETS_PER_SECOND = 20;
    public static final int BURST = 5;
    public static final int DEFAULT_MAX_ENTRIES = 4096;

    private static final long SECOND = 1_000_000_000L;
    private static final long PACKET_COST = SECOND / PACKETS_PER_SECOND;
    private static final long TOKEN_MAX = PACKET_COST * BURST;
    private static final long ENTRY_LIFETIME = SECOND;

    private static final class Bucket {
        long tokens;
        long lastNanos;

        Bucket(long tokens, long lastNanos) {
            this.tokens = tokens;
            this.lastNanos = lastNanos;
        }
    }

    private final int maxEntries;
    private final Map<Long, Bucket> ipv4 = new HashMap<>();
    private final Map<Long, Bucket> ipv6 = new HashMap<>();
    private boolean started;
    private long lastExpiry;

    public RateLimiter() {
        this(DEFAULT_MAX_ENTRIES);
    }

    public RateLimiter(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the rate limiter needs room for at least one source, not " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** Whether a handshake initiation from {@code source} may be processed now; spends a token if so. */
    public synchronized boolean allow(InetAddress source, long nowNanos) {
        if (!started) {
            started = true;
            lastExpiry = nowNanos;
        } else if (nowNanos - lastExpiry >= ENTRY_LIFETIME) {
            expire(nowNanos);
        }
        byte[] a = source.getAddress();
        boolean v4 = a.length == 4;
        Map<Long, Bucket> table = v4 ? ipv4 : ipv6;
        long high = readInt(a, 0) & 0xffff_ffffL;
        long key = v4 ? high : high << 32 | (readInt(a, 4) & 0xffff_ffffL);
        Bucket b = table.get(key);
        if (b == null) {
            if (size() >= maxEntries) {
                return false;
            }
            table.put(key, new Bucket(TOKEN_MAX - PACKET_COST, nowNanos));
            return true;
        }
        // A clock read out of order earns nothing rather than costing credit.
        long elapsed = Math.max(0, nowNanos - b.lastNanos);
        long tokens = b.tokens + Math.min(elapsed, TOKEN_MAX);
        tokens = Math.min(tokens, TOKEN_MAX);
        b.lastNanos = nowNanos;
        if (tokens >= PACKET_COST) {
            b.tokens = tokens - PACKET_COST;
            return true;
        }
        b.tokens = tokens;
        return false;
    }

    /** Drops the sources unseen for more than a second. {@link #allow} calls it once a second. */
    public synchronized void expire(long nowNanos) {
        ipv4.values().removeIf(b -> nowNanos - b.lastNanos > ENTRY_LIFETIME);
        ipv6.values().removeIf(b -> nowNanos - b.lastNanos > ENTRY_LIFETIME);
        started = true;
        lastExpiry = nowNanos;
    }

    /** Sources currently tracked. */
    public synchronized int size() {
        return ipv4.size() + ipv6.size();
    }

    public synchronized void clear() {
        ipv4.clear();
        ipv6.clear();
        started = false;
    }

    private static int readInt(byte[] a, int off) {
        return (a[off] & 0xff) << 24 | (a[off + 1] & 0xff) << 16 | (a[off + 2] & 0xff) << 8 | (a[off + 3] & 0xff);
    }
}
