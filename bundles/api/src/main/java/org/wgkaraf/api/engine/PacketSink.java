package org.wgkaraf.api.engine;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the decrypted inner IP packets of a tunnel. */
@FunctionalInterface
@ConsumerType
public interface PacketSink {
    /**
     * Called on the tunnel's receive thread, without any lock of the engine held: the sink may
     * send through the tunnel from inside the call, or wait for another thread that does. The
     * bytes are valid only during the call: copy what must be kept. Must not block for long: the
     * tunnel receives nothing meanwhile.
     */
    void deliver(byte[] packet, int offset, int length);

    /**
     * No more packets are waiting for now: a sink that holds packets back to pass them on
     * together (the TUN backend joins TCP segments) passes them on. The tunnel calls it on its
     * receive thread, like {@link #deliver}, when it has delivered what it had and would otherwise
     * wait; a sink that holds nothing back need not implement it.
     */
    default void flush() {
    }

    /**
     * As {@link #deliver}, from a caller with more packets to hand over at once (the TUN backend
     * splitting a 64 KiB super-segment): the sink may hold this packet back, to pass it on together
     * with the following ones, until the caller's next {@link #deliver} or {@link #flush()}, which
     * the caller owes at the end of its burst. The bytes are valid only during the call, as with
     * {@link #deliver}. A sink that holds nothing back delivers it at once.
     */
    default void deliverMore(byte[] packet, int offset, int length) {
        deliver(packet, offset, length);
    }
}
