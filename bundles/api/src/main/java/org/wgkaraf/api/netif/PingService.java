package org.wgkaraf.api.netif;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Ping as the original's {@code network ping}: through the userspace IPv4 layer for addresses
 * behind a tunnel, through the host OS for the others. The service measures; the shell formats.
 */
@ProviderType
public interface PingService {

    /**
     * Pings {@code host}, telling {@code listener} of each reply or timeout as it happens, and
     * returns the figures.
     *
     * @throws UnknownHostException when the name does not resolve
     */
    PingResult ping(String host, Options options, Listener listener) throws UnknownHostException, InterruptedException;

    /** Events of a run, on the caller's thread, in order. */
    interface Listener {
        void started(String host, InetAddress address, int dataSize);

        /** @param bytes the data bytes echoed back, as the original prints them ({@code 64 bytes from}) */
        void reply(int sequence, int bytes, int ttl, double rttMillis);

        void timeout(int sequence);
    }

    /** The original's defaults: 4 requests of 64 data bytes, 1 s apart, 1 s timeout each. */
    record Options(int count, Duration interval, Duration timeout, int dataSize) {
        public static final Options DEFAULT = new Options(4, Duration.ofSeconds(1), Duration.ofSeconds(1), 64);

        public Options {
            if (count < 1 || count > 1000) {
                throw new IllegalArgumentException("count " + count + " is outside 1-1000");
            }
            if (dataSize < 0 || dataSize > 65507 - 8) {
                throw new IllegalArgumentException("data size " + dataSize + " is outside 0-65499");
            }
        }
    }
}
