package org.wgkaraf.api.netif;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Ping as the original's {@code network ping}: through the userspace IPv4 layer for addresses
 * behind a tunnel, through the host OS for the others.
 */
public interface PingService {

    /**
     * Pings {@code host}, writing each line of the original's output to {@code lines} as it
     * happens (the caller prints them), and returns the figures.
     *
     * @throws UnknownHostException when the name does not resolve
     */
    PingResult ping(String host, Options options, Consumer<String> lines) throws UnknownHostException;

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
