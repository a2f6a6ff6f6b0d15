package org.wgkaraf.api.engine;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the decrypted inner IP packets of a tunnel. */
@FunctionalInterface
@ConsumerType
public interface PacketSink {
    /**
     * Called on the tunnel's receive thread. The bytes are valid only during the call: copy what
     * must be kept. Must not block for long.
     */
    void deliver(byte[] packet, int offset, int length);
}
