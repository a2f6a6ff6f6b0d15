package org.wgkaraf.netif.ip;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Buffers for the packets the layer builds, each large enough for any IPv4 packet. Taken and given
 * back around each send, so sending allocates nothing once a few exist, and no lock is held while
 * the tunnel takes the packet.
 */
final class OutputBuffers {
    static final int SIZE = 65535;
    private final ArrayBlockingQueue<byte[]> free;

    OutputBuffers(int kept) {
        free = new ArrayBlockingQueue<>(kept);
    }

    byte[] take() {
        byte[] b = free.poll();
        return b != null ? b : new byte[SIZE];
    }

    void give(byte[] b) {
        free.offer(b); // beyond the kept number, the extra buffer is left to the collector
    }
}
