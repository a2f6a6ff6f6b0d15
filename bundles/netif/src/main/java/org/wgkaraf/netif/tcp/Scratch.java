package org.wgkaraf.netif.tcp;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * What a thread needs to handle one segment or to send one: a segment to parse into and a packet
 * buffer. Taken from a {@link Pool} for one segment's handling or one pump and given back, so
 * nothing is allocated per packet, and, unlike thread-locals, never left on the engine's threads
 * to pin this bundle's classes after an update.
 */
final class Scratch {
    final Segment segment = new Segment();
    final byte[] out;

    private Scratch(int size) {
        out = new byte[size];
    }

    /** The layer's scratch buffers: as many as threads use at once, up to a number kept. */
    static final class Pool {
        private static final int KEPT = 32;
        private final ArrayBlockingQueue<Scratch> free = new ArrayBlockingQueue<>(KEPT);
        private final int size;

        /** @param size the largest packet a connection writes */
        Pool(int size) {
            this.size = size;
        }

        Scratch take() {
            Scratch s = free.poll();
            return s != null ? s : new Scratch(size);
        }

        void give(Scratch s) {
            free.offer(s); // beyond the kept number, the collector takes it
        }
    }
}
