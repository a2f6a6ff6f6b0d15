package org.wgkaraf.netif.tcp;

import java.util.function.LongSupplier;

/**
 * The userspace TCP layer for tests of other packages (the IPv4 layer's fuzz harness): without
 * threads, on the test's clock, every random choice from a fixed seed.
 */
public final class TestTcp {
    private TestTcp() {
    }

    /** A layer with small limits (4 connections, 3 half-open, 2 a port, 2 in TIME-WAIT) that sends on the calling thread. */
    public static UserspaceTcp withoutThreads(IpLink link, LongSupplier clock, long seed) {
        return new UserspaceTcp(link, clock, TcpConfig.DEFAULTS.withLimits(4, 3, 2, 2), false, TcpFuzzHarness.seeded(seed));
    }

    /** Runs the timers due at {@code now}, as the timer thread would. */
    public static void tick(UserspaceTcp tcp, long now) {
        tcp.tick(now);
    }

    /** Connections in the layer's table. */
    public static int connections(UserspaceTcp tcp) {
        return tcp.connections();
    }
}
