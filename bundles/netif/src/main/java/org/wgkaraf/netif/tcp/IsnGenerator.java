package org.wgkaraf.netif.tcp;

import java.security.SecureRandom;

/**
 * Initial sequence numbers as RFC 6528 asks: ISN = M + F(local address, local port, remote
 * address, remote port, secret key), where M is a clock ticking every 4 microseconds and F a keyed
 * hash (SipHash-2-4, its key drawn once per layer from a secure random source). An off-path host
 * cannot guess the ISN of a connection, while a new incarnation of the same four-tuple starts
 * above the old one's numbers. The same hash, with the other half of its output, gives each
 * connection's timestamp offset (RFC 7323 5.4), so timestamps reveal no host-wide clock.
 */
final class IsnGenerator {
    private final SipHash f;

    IsnGenerator(SecureRandom random) {
        this(random.nextLong(), random.nextLong());
    }

    IsnGenerator(long k0, long k1) {
        this.f = new SipHash(k0, k1);
    }

    private long hash(int localAddress, int localPort, int remoteAddress, int remotePort) {
        long a = (localAddress & 0xffffffffL) << 32 | (remoteAddress & 0xffffffffL);
        long b = (long) (localPort & 0xffff) << 16 | (remotePort & 0xffff);
        return f.hash(a, b);
    }

    /** @param now monotonic nanoseconds */
    int isn(int localAddress, int localPort, int remoteAddress, int remotePort, long now) {
        int m = (int) (now / 4000); // RFC 6528: a 4 microsecond timer
        return m + (int) hash(localAddress, localPort, remoteAddress, remotePort);
    }

    /** The offset added to this connection's timestamp clock. */
    int timestampOffset(int localAddress, int localPort, int remoteAddress, int remotePort) {
        return (int) (hash(localAddress, localPort, remoteAddress, remotePort) >>> 32);
    }
}
