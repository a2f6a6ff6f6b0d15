package org.wgkaraf.netif.ping;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.Optional;

/** One echo request through the host's own network stack. */
interface HostPing {

    /** The reply, or empty when none came within {@code timeout}. */
    Optional<Reply> ping(Inet4Address address, int dataSize, Duration timeout) throws InterruptedException;

    record Reply(int ttl, double rttMillis) {
    }
}
